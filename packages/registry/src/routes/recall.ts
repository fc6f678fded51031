import express, { type Response, type Router } from 'express';
import { defaultRecallCriteria, parseRecallCriteria, recallCriteriaFields, recallGroups, type Recall, type RecallCriteria } from '../libraries/recall.js';
import { lettersPage, recallForm, recallHeader, recallListPage, recallRow } from '../views/reports.js';
import { actorOf, csrfField, formPost, renderWorkspace, requireWorkspace, type Context } from './context.js';
import { sendCsv } from './reports.js';

/**
 * Recall and reminder (seed 000): the criteria, the list of clients due, its CSV and the letters.
 * The list is a POST: it names clients, so it stays out of URLs and history; the CSV and letters
 * are POSTs too (CSRF-checked), since each one writes the audit trail.
 */
export function createRecallRoutes(deps: Context & { recall: Recall }): Router {
  const { recall } = deps;
  const router = express.Router();
  const guard = requireWorkspace(deps);

  async function showForm(res: Response, values: Record<string, string>, errors: Record<string, string>) {
    const { organization } = await recall.options(actorOf(res));
    const failed = Object.keys(errors).length > 0;
    renderWorkspace(deps, res, {
      status: failed ? 400 : 200,
      title: failed ? 'Error: Recall and reminder' : 'Recall and reminder',
      current: '/recall',
      body: recallForm({ groups: recallGroups, organizationName: organization.name, values, errors, csrf: csrfField(res) }),
    });
  }

  /** The criteria of a posted form, or the form again with what to correct. */
  async function criteriaOf(res: Response, body: Record<string, string>): Promise<RecallCriteria | undefined> {
    await recall.options(actorOf(res)); // the role first: a View Only post is refused before anything is read
    const parsed = parseRecallCriteria(body);
    if ('errors' in parsed) {
      await showForm(res, body, parsed.errors);
      return undefined;
    }
    return parsed.criteria;
  }

  router.get('/recall', ...guard, async (_req, res) => showForm(res, recallCriteriaFields(defaultRecallCriteria), {}));

  router.post(
    '/recall',
    ...guard,
    ...formPost(deps, async (_req, res, body) => {
      const criteria = await criteriaOf(res, body);
      if (!criteria) return;
      const list = await recall.run(actorOf(res), criteria);
      renderWorkspace(deps, res, {
        title: `Recall and reminder: ${list.entries.length} clients due`,
        current: '/recall',
        body: recallListPage({ list, groups: recallGroups, criteriaFields: recallCriteriaFields(criteria), csrf: csrfField(res) }),
      });
    }),
  );

  router.post(
    '/recall/export.csv',
    ...guard,
    ...formPost(deps, async (_req, res, body) => {
      const criteria = await criteriaOf(res, body);
      if (!criteria) return;
      const list = await recall.disclose(actorOf(res), criteria, 'csv');
      sendCsv(res, `recall-${list.organization.code}-${list.today}.csv`, recallHeader, list.entries.map(recallRow));
    }),
  );

  router.post(
    '/recall/letters',
    ...guard,
    ...formPost(deps, async (_req, res, body) => {
      const criteria = await criteriaOf(res, body);
      if (!criteria) return;
      const list = await recall.disclose(actorOf(res), criteria, 'letters');
      res.set('cache-control', 'no-store');
      renderWorkspace(deps, res, { title: 'Reminder letters', current: '/recall', body: lettersPage({ list }) });
    }),
  );

  return router;
}
