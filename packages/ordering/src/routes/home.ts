import { Router, type RequestHandler } from 'express';
import { RpError } from '@portal/rp-kit';
import { t } from '../locales.js';
import { coordinatedOrgs } from '../libraries/access.js';
import { orgChoice } from '../libraries/input.js';
import { choosePage, homePage } from '../views/home.js';
import { cataloguePage } from '../views/orders.js';
import { actorOf, csrfField, formPost, orgOf, renderWorkspace, type Context, type OrderingSessionData } from './context.js';

/** Home, the organization choice (like ImmTrac2's landing) and the catalogue. */
export function createHomeRoutes(ctx: Context & { workspace: RequestHandler[]; coordinatorOnly: RequestHandler; today: () => string }): Router {
  const { rp, workspace } = ctx;
  const router = Router();

  router.get('/', ...workspace, async (_req, res) => {
    const actor = actorOf(res);
    const org = orgOf(res);
    const [lots, orders] = await Promise.all([ctx.inventory.lots(actor, org.iis_id), ctx.orders.ofOrganization(actor, org.iis_id, 5)]);
    renderWorkspace(ctx, res, { title: t('home.title'), current: '/', body: homePage({ name: actor.name, org, lots, orders, today: ctx.today() }) });
  });

  router.get('/choose', rp.requireSession, ctx.coordinatorOnly, (_req, res) => {
    const orgs = coordinatedOrgs(rp.orgsOf(rp.sessionOf(res)));
    rp.render(res, { title: t('choose.title'), body: choosePage({ orgs, csrf: csrfField(res) }) });
  });

  router.post(
    '/choose',
    rp.requireSession,
    ctx.coordinatorOnly,
    ...formPost(ctx, async (_req, res, body) => {
      const session = rp.sessionOf(res);
      const parsed = orgChoice.safeParse(body);
      // Only an organization the person coordinates, as the claim says; anything else changes nothing.
      if (!parsed.success || !coordinatedOrgs(rp.orgsOf(session)).some((o) => o.iis_id === parsed.data.org)) throw new RpError('request.invalid', 400, { title: t('choose.title'), message: t('choose.chooseOne') });
      await rp.updateSessionData(session, { activeOrg: parsed.data.org } satisfies OrderingSessionData);
      res.redirect(303, '/');
    }),
  );

  router.get('/catalogue', ...workspace, async (_req, res) => {
    renderWorkspace(ctx, res, { title: t('catalogue.title'), current: '/catalogue', body: cataloguePage(await ctx.catalogue.list()) });
  });

  return router;
}
