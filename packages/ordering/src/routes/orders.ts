import { Router, type RequestHandler, type Response } from 'express';
import { coordinates, isStateStaff, requireStateStaff } from '../libraries/access.js';
import { InvalidForm } from '../libraries/errors.js';
import { fieldErrors, orderPackages, receiptLineInput, transitionInput } from '../libraries/input.js';
import { titleOf } from '../views/layout.js';
import { newOrderPage, orderPage, ordersTable } from '../views/orders.js';
import { html } from '@portal/rp-kit';
import { t } from '../locales.js';
import { actorOf, csrfField, formPost, orgOf, renderWorkspace, type Context } from './context.js';

/** The notices `?done=` asks for after a step (anything else shows none). */
const notices = new Set(['placed', 'received', 'moved']);

/** Placing an order, its page and its steps (approve, reject, ship: DSHS; cancel, receive: the coordinator). */
export function createOrderRoutes(ctx: Context & { workspace: RequestHandler[] }): Router {
  const { workspace } = ctx;
  const router = Router();

  const showNew = async (res: Response, values: Record<string, string>, errors: Record<string, string>) =>
    renderWorkspace(ctx, res, { status: Object.keys(errors).length ? 400 : 200, title: titleOf(t('newOrder.title'), errors), current: '/orders/new', body: newOrderPage({ org: orgOf(res), items: await ctx.catalogue.list(), csrf: csrfField(res), values, errors }) });

  router.get('/orders', ...workspace, async (_req, res) => {
    const orders = await ctx.orders.ofOrganization(actorOf(res), orgOf(res).iis_id);
    renderWorkspace(ctx, res, { title: t('orders.title'), current: '/orders', body: html`<h1>${t('orders.ofOrg', { org: orgOf(res).name })}</h1>${ordersTable(orders)}<p><a class="usa-button" href="/orders/new">${t('orders.place')}</a></p>` });
  });

  router.get('/orders/new', ...workspace, (_req, res) => showNew(res, {}, {}));

  router.post(
    '/orders',
    ...workspace,
    ...formPost(ctx, async (_req, res, body) => {
      const items = await ctx.catalogue.list();
      const errors: Record<string, string> = {};
      const lines: { ndc: string; packages: number }[] = [];
      for (const item of items) {
        const field = `qty-${item.ndc}`;
        const raw = body[field] ?? '';
        if (!raw.trim()) continue;
        const parsed = orderPackages.safeParse(raw);
        if (parsed.success) lines.push({ ndc: item.ndc, packages: parsed.data });
        else errors[field] = parsed.error.issues[0]!.message;
      }
      if (!Object.keys(errors).length && !lines.length) errors.form = t('input.noLines');
      if (Object.keys(errors).length) return showNew(res, body, errors);
      try {
        // The organization is the form's: the library refuses one the person does not coordinate (403).
        const id = await ctx.orders.place(actorOf(res), body.org ?? '', lines);
        res.redirect(303, `/orders/${id}?done=placed`);
      } catch (err) {
        if (err instanceof InvalidForm) return showNew(res, body, err.fields);
        throw err;
      }
    }),
  );

  router.get('/approvals', ...workspace, async (_req, res) => {
    const actor = actorOf(res);
    requireStateStaff(actor);
    const waiting = await ctx.orders.awaitingState(actor);
    renderWorkspace(ctx, res, { title: t('orders.approvalsTitle'), current: '/approvals', body: html`<h1>${t('orders.waiting')}</h1>${ordersTable(waiting, { withOrg: true })}` });
  });

  const showOrder = async (res: Response, id: number, values: Record<string, string>, errors: Record<string, string>, notice?: string) => {
    const actor = actorOf(res);
    const view = await ctx.orders.view(actor, id);
    const mine = coordinates(actor, view.order.org_iis_id);
    const state = isStateStaff(actor);
    const stateSteps = !state ? [] : view.order.status === 'submitted' ? (['approved', 'rejected'] as const) : view.order.status === 'approved' ? (['shipped'] as const) : [];
    renderWorkspace(ctx, res, {
      status: Object.keys(errors).length ? 400 : 200,
      title: titleOf(t('orders.orderNumber', { id: String(id) }), errors),
      current: '/orders',
      body: orderPage({ view, csrf: csrfField(res), canReceive: mine && view.order.status === 'shipped', canCancel: mine && view.order.status === 'submitted', stateSteps: [...stateSteps], values, errors, notice }),
    });
  };

  router.get('/orders/:id', ...workspace, async (req, res) => {
    const done = typeof req.query.done === 'string' && notices.has(req.query.done) ? t(`notices.${req.query.done}`) : undefined;
    await showOrder(res, orderId(req.params.id as string), {}, {}, done);
  });

  router.post(
    '/orders/:id/status',
    ...workspace,
    ...formPost(ctx, async (req, res, body) => {
      const id = orderId(req.params.id as string);
      const parsed = transitionInput.safeParse({ to: body.to ?? '', comment: body.comment ?? '' });
      if (!parsed.success) return showOrder(res, id, body, fieldErrors(parsed.error));
      await ctx.orders.transition(actorOf(res), id, parsed.data.to, parsed.data.comment);
      res.redirect(303, `/orders/${id}?done=moved`);
    }),
  );

  router.post(
    '/orders/:id/receive',
    ...workspace,
    ...formPost(ctx, async (req, res, body) => {
      const id = orderId(req.params.id as string);
      // Who and when first (403, 409), then what was typed (400).
      const lines = await ctx.orders.linesToReceive(actorOf(res), id);
      const errors: Record<string, string> = {};
      const received: Record<number, { lot: string; expiry: string }> = {};
      for (const line of lines) {
        const parsed = receiptLineInput.safeParse({ lot: body[`lot-${line.id}`] ?? '', expiry: body[`expiry-${line.id}`] ?? '' });
        if (parsed.success) received[line.id] = parsed.data;
        else for (const issue of parsed.error.issues) errors[`${String(issue.path[0])}-${line.id}`] ??= issue.message;
      }
      if (Object.keys(errors).length) return showOrder(res, id, body, errors);
      try {
        await ctx.orders.receive(actorOf(res), id, received);
        res.redirect(303, `/orders/${id}?done=received`);
      } catch (err) {
        if (err instanceof InvalidForm) return showOrder(res, id, body, err.fields);
        throw err;
      }
    }),
  );

  return router;
}

/** An order id from the path; anything else is no order (the library answers 404). */
function orderId(raw: string | undefined): number {
  return /^\d{1,9}$/.test(raw ?? '') ? Number(raw) : -1;
}
