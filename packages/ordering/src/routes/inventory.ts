import { Router, type RequestHandler, type Response } from 'express';
import { html } from '@portal/rp-kit';
import { t } from '../locales.js';
import { InvalidForm } from '../libraries/errors.js';
import { fieldErrors, wasteInput } from '../libraries/input.js';
import { titleOf } from '../views/layout.js';
import { lotsTable } from '../views/orders.js';
import { wastePage } from '../views/waste.js';
import { actorOf, csrfField, formPost, orgOf, renderWorkspace, type Context } from './context.js';

/** The inventory list and the waste report. */
export function createInventoryRoutes(ctx: Context & { workspace: RequestHandler[] }): Router {
  const { workspace } = ctx;
  const router = Router();

  router.get('/inventory', ...workspace, async (_req, res) => {
    const lots = await ctx.inventory.lots(actorOf(res), orgOf(res).iis_id);
    renderWorkspace(ctx, res, { title: t('inventory.title'), current: '/inventory', body: html`<h1>${t('inventory.heading', { org: orgOf(res).name })}</h1>${lotsTable(lots)}<p><a href="/waste/new">${t('waste.title')}</a></p>` });
  });

  const show = async (res: Response, values: Record<string, string>, errors: Record<string, string>, notice?: string) => {
    const lots = await ctx.inventory.lots(actorOf(res), orgOf(res).iis_id, { withStock: true });
    renderWorkspace(ctx, res, { status: Object.keys(errors).length ? 400 : 200, title: titleOf(t('waste.title'), errors), current: '/waste/new', body: wastePage({ org: orgOf(res), lots, csrf: csrfField(res), values, errors, notice }) });
  };

  router.get('/waste/new', ...workspace, (req, res) => show(res, {}, {}, req.query.done === '1' ? t('notices.wasted') : undefined));

  router.post(
    '/waste',
    ...workspace,
    ...formPost(ctx, async (_req, res, body) => {
      const parsed = wasteInput.safeParse({ lot: body.lot ?? '', reason: body.reason ?? '', doses: body.doses ?? '' });
      if (!parsed.success) return show(res, body, fieldErrors(parsed.error));
      try {
        // The lot decides the organization; the library refuses a lot of one the person does not coordinate.
        await ctx.inventory.reportWaste(actorOf(res), { lotId: parsed.data.lot, reason: parsed.data.reason, doses: parsed.data.doses });
        res.redirect(303, '/waste/new?done=1');
      } catch (err) {
        if (err instanceof InvalidForm) return show(res, body, err.fields);
        throw err;
      }
    }),
  );

  return router;
}
