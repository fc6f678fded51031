import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { ClientRecords, SearchRequest } from '../libraries/client-records.js';
import { InvalidForm, RegistryError } from '../libraries/errors.js';
import { fieldErrors, searchInput } from '../libraries/input.js';
import { listNameInput, reportInput, type Schools } from '../libraries/schools.js';
import type { ClientSummary } from '../queries/clients.js';
import type { SearchMode } from '../views/clients.js';
import { findStudentPage, listPage, listsPage, reportCsv, reportPage, reportsPage } from '../views/schools.js';
import { actorOf, csrfField, formPost, renderWorkspace, requireWorkspace, type Context } from './context.js';

export interface SchoolRouteDeps extends Context {
  schools: Schools;
  /** The registry's client search (quick, basic, smart): Find student uses it as Client search does. */
  records: ClientRecords;
  today: () => string;
  /** Where the times of lists and reports are shown. */
  timeZone: string;
}

const modes = ['quick', 'basic', 'smart'] as const;
const isMode = (v: unknown): v is SearchMode => (modes as readonly unknown[]).includes(v);

/** A list or report id from the path: anything but a plain number is an id that does not exist. */
const idOf = (value: unknown): number => (typeof value === 'string' && /^[1-9]\d{0,8}$/.test(value) ? Number(value) : 0);

function validate<S extends z.ZodType>(schema: S, body: Record<string, string>): { data: z.output<S> } | { errors: Record<string, string> } {
  const parsed = schema.safeParse(body);
  return parsed.success ? { data: parsed.data } : { errors: fieldErrors(parsed.error) };
}

const listNotices: Record<string, string> = {
  created: 'The list was created. Find students to add to it.',
  renamed: 'The list was renamed.',
  removed: 'The student was removed from the list.',
};

/** Schools (seed 000, every role): manage lists, find student, check school report. */
export function createSchoolRoutes(deps: SchoolRouteDeps): Router {
  const { schools, records, timeZone } = deps;
  const router = express.Router();
  const guard = requireWorkspace(deps);

  // --- Manage lists -------------------------------------------------------------------------------
  async function showLists(res: Response, extra: { values?: Record<string, string>; errors?: Record<string, string>; notice?: string | undefined; status?: number } = {}) {
    const errors = extra.errors ?? {};
    renderWorkspace(deps, res, {
      status: extra.status,
      title: `${Object.keys(errors).length ? 'Error: ' : ''}Manage lists`,
      current: '/schools/lists',
      body: listsPage({ lists: await schools.lists(actorOf(res)), csrf: csrfField(res), values: extra.values ?? {}, errors, notice: extra.notice, timeZone }),
    });
  }

  router.get('/schools/lists', ...guard, (req, res) => showLists(res, { notice: req.query.deleted === '1' ? 'The list and its reports were deleted.' : undefined }));

  router.post(
    '/schools/lists',
    ...guard,
    ...formPost(deps, async (_req, res, body) => {
      const checked = validate(listNameInput, body);
      if ('errors' in checked) return showLists(res, { values: body, errors: checked.errors, status: 400 });
      try {
        const id = await schools.createList(actorOf(res), checked.data.name);
        res.redirect(303, `/schools/lists/${id}?done=created`);
      } catch (err) {
        if (err instanceof InvalidForm) return showLists(res, { values: body, errors: err.fields, status: 400 });
        throw err;
      }
    }),
  );

  async function showList(req: Request, res: Response, extra: { values?: Record<string, string>; errors?: Record<string, string>; status?: number } = {}) {
    const { list, students, reports } = await schools.list(actorOf(res), idOf(req.params.id));
    const errors = extra.errors ?? {};
    const notice = typeof req.query.done === 'string' && req.method === 'GET' ? listNotices[req.query.done] : undefined;
    renderWorkspace(deps, res, {
      status: extra.status,
      title: `${Object.keys(errors).length ? 'Error: ' : ''}List: ${list.name}`,
      current: '/schools/lists',
      body: listPage({ list, students, reports, csrf: csrfField(res), values: extra.values ?? {}, errors, notice, timeZone, today: deps.today() }),
    });
  }

  router.get('/schools/lists/:id', ...guard, (req, res) => showList(req, res));

  router.post(
    '/schools/lists/:id/rename',
    ...guard,
    ...formPost(deps, async (req, res, body) => {
      const id = idOf(req.params.id);
      const checked = validate(listNameInput, body);
      // The list is looked up (404 for another organization's) before the name is judged.
      if ('errors' in checked) return showList(req, res, { values: body, errors: checked.errors, status: 400 });
      try {
        await schools.renameList(actorOf(res), id, checked.data.name);
        res.redirect(303, `/schools/lists/${id}?done=renamed`);
      } catch (err) {
        if (err instanceof InvalidForm) return showList(req, res, { values: body, errors: err.fields, status: 400 });
        throw err;
      }
    }),
  );

  router.post(
    '/schools/lists/:id/delete',
    ...guard,
    ...formPost(deps, async (req, res) => {
      await schools.deleteList(actorOf(res), idOf(req.params.id));
      res.redirect(303, '/schools/lists?deleted=1');
    }),
  );

  router.post(
    '/schools/lists/:id/students/:registryId/remove',
    ...guard,
    ...formPost(deps, async (req, res) => {
      const id = idOf(req.params.id);
      await schools.removeStudent(actorOf(res), id, String(req.params.registryId));
      res.redirect(303, `/schools/lists/${id}?done=removed`);
    }),
  );

  router.post(
    '/schools/lists/:id/report',
    ...guard,
    ...formPost(deps, async (req, res, body) => {
      const checked = validate(reportInput, body);
      if ('errors' in checked) return showList(req, res, { values: body, errors: checked.errors, status: 400 });
      try {
        const reportId = await schools.generateReport(actorOf(res), idOf(req.params.id), checked.data.asOf);
        res.redirect(303, `/schools/reports/${reportId}`);
      } catch (err) {
        if (err instanceof InvalidForm) return showList(req, res, { values: body, errors: err.fields, status: 400 });
        throw err;
      }
    }),
  );

  // --- Find student -------------------------------------------------------------------------------
  async function showFind(
    res: Response,
    p: { mode: SearchMode; list: unknown; values?: Record<string, string>; errors?: Record<string, string>; results?: ClientSummary[]; addError?: string; notice?: string | undefined; status?: number },
  ) {
    const actor = actorOf(res);
    const lists = await schools.lists(actor);
    // Only one of the organization's own lists is pre-chosen; any other id is ignored.
    const wanted = idOf(p.list);
    const preselected = lists.some((l) => l.id === wanted) ? wanted : undefined;
    const errors = p.errors ?? {};
    const onLists = p.results ? await schools.listsWith(actor, p.results.map((r) => r.id)) : undefined;
    renderWorkspace(deps, res, {
      status: p.status,
      title: `${Object.keys(errors).length || p.addError ? 'Error: ' : ''}Find student`,
      current: '/schools/find-student',
      body: findStudentPage({ mode: p.mode, csrf: csrfField(res), values: p.values ?? {}, errors, lists, preselected, notice: p.notice, results: p.results, onLists, addError: p.addError }),
    });
  }

  router.get('/schools/find-student', ...guard, (req, res) => {
    const added = typeof req.query.added === 'string' && /^\d{1,4}$/.test(req.query.added) ? Number(req.query.added) : undefined;
    const notice =
      added === undefined ? undefined : added === 0 ? 'The student was already on the lists you chose.' : `The student was added to ${added} ${added === 1 ? 'list' : 'lists'}.`;
    return showFind(res, { mode: isMode(req.query.mode) ? req.query.mode : 'quick', list: req.query.list, notice });
  });

  // A POST, as Client search: names and dates of birth stay out of URLs, logs and history.
  router.post(
    '/schools/find-student',
    ...guard,
    ...formPost(deps, async (_req, res, body) => {
      const mode = isMode(body.mode) ? body.mode : 'quick';
      const checked = validate(searchInput[mode], body);
      if ('errors' in checked) return showFind(res, { mode, list: body.list, values: body, errors: checked.errors, status: 400 });
      const results = await records.search(actorOf(res), { mode, ...checked.data } as SearchRequest);
      return showFind(res, { mode, list: body.list, values: body, results });
    }),
  );

  router.post(
    '/schools/find-student/add',
    ...guard,
    ...formPost(deps, async (_req, res, body) => {
      const actor = actorOf(res);
      const mode = isMode(body.mode) ? body.mode : 'quick';
      const registryId = body.registryId ?? '';
      // Checkboxes named list-<id>: one field each, as formPost takes no repeated field.
      const listIds = Object.entries(body).flatMap(([key, value]) => (/^list-\d+$/.test(key) && value === '1' ? [idOf(key.slice(5))] : []));
      try {
        const added = await schools.addStudent(actor, registryId, listIds);
        const list = idOf(body.list);
        res.redirect(303, `/schools/find-student?mode=${mode}${list ? `&list=${list}` : ''}&added=${added}`);
      } catch (err) {
        if (!(err instanceof InvalidForm)) throw err;
        // The student again, found the way the search finds them (and only if it would).
        const results = /^\d{10}$/.test(registryId)
          ? await records.search(actor, { mode: 'basic', registryId, lastName: null, firstName: null, middleName: null, birthDate: null, sex: null, motherMaidenName: null, phone: null, zip: null })
          : [];
        if (!results.length) throw new RegistryError('client.not_found', 404);
        return showFind(res, { mode, list: body.list, results, addError: Object.values(err.fields)[0], status: 400 });
      }
    }),
  );

  // --- Check school report ------------------------------------------------------------------------
  router.get('/schools/reports', ...guard, async (_req, res) => {
    renderWorkspace(deps, res, { title: 'Check school report', current: '/schools/reports', body: reportsPage({ reports: await schools.reports(actorOf(res)), timeZone }) });
  });

  router.get('/schools/reports/:id.csv', ...guard, async (req, res) => {
    const report = await schools.report(actorOf(res), idOf(req.params.id), { download: true });
    res
      .type('text/csv; charset=utf-8')
      .set({ 'content-disposition': `attachment; filename="school-report-${report.id}.csv"`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
      .send(reportCsv(report));
  });

  router.get('/schools/reports/:id', ...guard, async (req, res) => {
    const actor = actorOf(res);
    const report = await schools.report(actor, idOf(req.params.id));
    renderWorkspace(deps, res, { title: `School report: ${report.listName}`, current: '/schools/reports', body: reportPage({ report, organization: actor.org.name, timeZone }) });
  });

  return router;
}
