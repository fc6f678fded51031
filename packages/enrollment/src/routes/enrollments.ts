import { Router } from 'express';
import { isStateReviewer, orgOf } from '../libraries/access.js';
import { InvalidForm } from '../libraries/errors.js';
import type { Enrollments } from '../libraries/enrollments.js';
import type { Exchanges } from '../libraries/exchanges.js';
import { decisionInput, draftOf, fieldErrors, startInput } from '../libraries/input.js';
import { editBody, homeBody, reviewBody, startBody, viewBody } from '../views/enrollments.js';
import { actorOf, csrfField, formPost, guard, render, type Context } from './context.js';

/** Home, registering and renewing a site, and the state's review (seed 003, steps 4–5). */
export function createEnrollmentRoutes(ctx: Context & { enrollments: Enrollments; exchanges: Exchanges }): Router {
  const { enrollments, exchanges } = ctx;
  const router = Router();
  const id = (raw: string | undefined) => (/^\d{1,9}$/.test(raw ?? '') ? Number(raw) : NaN);

  router.get('/', ...guard(ctx), async (_req, res) => {
    const actor = actorOf(res);
    render(ctx, res, { title: 'Home', body: homeBody({ name: actor.name, orgs: actor.orgs, enrollments: await enrollments.mine(actor), reviewer: isStateReviewer(actor) }) });
  });

  router.get('/enrollments/new', ...guard(ctx), (_req, res) => {
    render(ctx, res, { title: 'Register or renew a site', body: startBody({ orgs: actorOf(res).orgs, csrf: csrfField(res) }) });
  });

  router.post('/enrollments', ...guard(ctx), ...formPost(ctx, async (_req, res, body) => {
    const actor = actorOf(res);
    const parsed = startInput.safeParse(body);
    if (!parsed.success) {
      return render(ctx, res, { status: 400, title: 'Register or renew a site', body: startBody({ orgs: actor.orgs, csrf: csrfField(res), errors: fieldErrors(parsed.error), values: body }) });
    }
    const created = await enrollments.start(actor, parsed.data);
    res.redirect(303, `/enrollments/${created}/edit`);
  }));

  router.get('/enrollments/:id/edit', ...guard(ctx), async (req, res) => {
    const actor = actorOf(res);
    const view = await enrollments.view(actor, id(String(req.params.id)));
    if (!['draft', 'rejected'].includes(view.row.status) || !orgOf(actor, view.row.organization_iis_id)) return res.redirect(302, `/enrollments/${view.row.id}`);
    render(ctx, res, { title: 'Enrollment', body: editBody({ row: view.row, draft: view.draft, csrf: csrfField(res), contact: actor, saved: req.query.saved === '1' }) });
  });

  router.post('/enrollments/:id', ...guard(ctx), ...formPost(ctx, async (req, res, body) => {
    const actor = actorOf(res);
    const enrollmentId = id(req.params.id as string);
    const draft = draftOf(body);
    if (body.action !== 'submit') {
      await enrollments.saveDraft(actor, enrollmentId, draft);
      return res.redirect(303, `/enrollments/${enrollmentId}/edit?saved=1`);
    }
    try {
      await enrollments.submit(actor, enrollmentId, draft);
    } catch (error) {
      if (!(error instanceof InvalidForm)) throw error;
      const view = await enrollments.view(actor, enrollmentId);
      return render(ctx, res, { status: 400, title: 'Enrollment', body: editBody({ row: view.row, draft, csrf: csrfField(res), contact: actor, errors: error.fields }) });
    }
    res.redirect(303, `/enrollments/${enrollmentId}?submitted=1`);
  }));

  const showView = async (res: Parameters<typeof actorOf>[0], enrollmentId: number, extra: { errors?: Record<string, string>; notice?: string; status?: number } = {}) => {
    const actor = actorOf(res);
    const view = await enrollments.view(actor, enrollmentId);
    const member = Boolean(orgOf(actor, view.row.organization_iis_id));
    render(ctx, res, {
      title: `Enrollment ${view.row.id}`, status: extra.status,
      body: viewBody({ ...view, canEdit: member && ['draft', 'rejected'].includes(view.row.status), canDecide: isStateReviewer(actor) && view.row.status === 'submitted', csrf: csrfField(res), errors: extra.errors, notice: extra.notice }),
    });
  };

  router.get('/enrollments/:id', ...guard(ctx), async (req, res) => {
    const notice = req.query.submitted === '1' ? 'Submitted. The Texas Immunization Program will review it; you will get an email with the decision.' : req.query.decided === '1' ? 'Decision recorded and emailed to the point of contact.' : undefined;
    await showView(res, id(String(req.params.id)), { notice });
  });

  router.post('/enrollments/:id/decision', ...guard(ctx), ...formPost(ctx, async (req, res, body) => {
    const enrollmentId = id(req.params.id as string);
    const parsed = decisionInput.safeParse(body);
    if (!parsed.success) return showView(res, enrollmentId, { status: 400, errors: fieldErrors(parsed.error) });
    await enrollments.decide(actorOf(res), enrollmentId, parsed.data.decision, parsed.data.comment);
    res.redirect(303, `/enrollments/${enrollmentId}?decided=1`);
  }));

  router.get('/review', ...guard(ctx), async (_req, res) => {
    const actor = actorOf(res);
    const [submitted, queues] = await Promise.all([enrollments.queue(actor), exchanges.stateQueues(actor)]);
    render(ctx, res, { title: 'State review', body: reviewBody({ submitted, exchanges: queues, csrf: csrfField(res) }) });
  });

  return router;
}
