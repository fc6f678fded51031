import { Router, type Response } from 'express';
import { isStateReviewer, orgOf } from '../libraries/access.js';
import type { Exchanges } from '../libraries/exchanges.js';
import { fieldErrors, roiInput } from '../libraries/input.js';
import { siteBody } from '../views/sites.js';
import { actorOf, csrfField, formPost, guard, render, type Context } from './context.js';

/** A provider site's Bidirectional Exchange ROI and its Connectivity and Transport (seed 003, steps 6–12). */
export function createSiteRoutes(ctx: Context & { exchanges: Exchanges }): Router {
  const { exchanges } = ctx;
  const router = Router();

  const show = async (res: Response, iisId: string, extra: { errors?: Record<string, string>; values?: Record<string, string>; notice?: string; status?: number } = {}) => {
    const actor = actorOf(res);
    const site = await exchanges.view(actor, iisId);
    render(ctx, res, { title: `Provider site ${iisId}`, status: extra.status, body: siteBody({ site, isMember: Boolean(orgOf(actor, iisId)), reviewer: isStateReviewer(actor), csrf: csrfField(res), ...extra }) });
  };
  const notices: Record<string, string> = {
    roi: 'Bidirectional Exchange ROI saved. The state activates the bidirectional widget next.',
    activated: 'Bidirectional widget activated.',
    queued: 'The site is in the TX-ImmTrac2 waiting queue.',
    live: 'Approved to go live; the point of contact was emailed.',
  };

  router.get('/sites/:iisId', ...guard(ctx), async (req, res) => {
    await show(res, String(req.params.iisId), { notice: notices[String(req.query.done)] });
  });

  router.post('/sites/:iisId/roi', ...guard(ctx), ...formPost(ctx, async (req, res, body) => {
    const iisId = req.params.iisId as string;
    const parsed = roiInput.safeParse(body);
    if (!parsed.success) return show(res, iisId, { status: 400, errors: fieldErrors(parsed.error), values: body });
    await exchanges.submitRoi(actorOf(res), iisId, parsed.data);
    res.redirect(303, `/sites/${iisId}?done=roi`);
  }));

  const stepRoute = (path: string, done: string, act: (res: Response, iisId: string, body: Record<string, string>) => Promise<void>) =>
    router.post(`/sites/:iisId/${path}`, ...guard(ctx), ...formPost(ctx, async (req, res, body) => {
      const iisId = req.params.iisId as string;
      await act(res, iisId, body);
      res.redirect(303, `/sites/${iisId}?done=${done}`);
    }));
  stepRoute('activate', 'activated', (res, iisId, body) => exchanges.activateWidget(actorOf(res), iisId, (body.comment ?? '').trim().slice(0, 2000)));
  stepRoute('waiting-queue', 'queued', (res, iisId) => exchanges.enterWaitingQueue(actorOf(res), iisId));
  stepRoute('go-live', 'live', (res, iisId, body) => exchanges.approveGoLive(actorOf(res), iisId, (body.comment ?? '').trim().slice(0, 2000)));

  /**
   * "Click to download": the secret is in this one answer only (no-store, an attachment), never in
   * Syntropi's database or logs. Rotation answers the same way with the new secret.
   */
  const download = (res: Response, iisId: string, file: Record<string, unknown>) => {
    res
      .status(200)
      .set({ 'cache-control': 'no-store', pragma: 'no-cache', 'content-disposition': `attachment; filename="txiis-${iisId}-hl7-credentials.json"` })
      .type('application/json')
      .send(JSON.stringify(file, null, 2));
  };
  const howTo = (tokenEndpoint: string, resource: string, scope: string) =>
    `POST ${tokenEndpoint} with grant_type=client_credentials, scope=${scope} and resource=${resource}, authenticating with clientId and clientSecret (HTTP Basic). Send the access_token as "Authorization: Bearer <token>" with each HL7 VXU message.`;

  router.post('/sites/:iisId/credentials', ...guard(ctx), ...formPost(ctx, async (req, res) => {
    const iisId = req.params.iisId as string;
    const c = await exchanges.issueCredentials(actorOf(res), iisId);
    download(res, iisId, { clientId: c.clientId, clientSecret: c.clientSecret, iisId: c.iisId, scope: c.scope, tokenEndpoint: c.tokenEndpoint, resource: c.resource, howToGetAToken: howTo(c.tokenEndpoint, c.resource, c.scope) });
  }));

  router.post('/sites/:iisId/credentials/rotate', ...guard(ctx), ...formPost(ctx, async (req, res) => {
    const iisId = req.params.iisId as string;
    const { clientId, rotated, listing } = await exchanges.rotateSecret(actorOf(res), iisId);
    const scope = typeof listing?.scope === 'string' ? listing.scope : 'hl7:submit';
    const tokenEndpoint = typeof listing?.tokenEndpoint === 'string' ? listing.tokenEndpoint : `${ctx.rp.portalUrl.replace(/\/+$/, '')}/token`;
    const resource = typeof listing?.resource === 'string' ? listing.resource : undefined;
    download(res, iisId, { clientId, clientSecret: rotated.clientSecret, iisId, scope, tokenEndpoint, resource, howToGetAToken: howTo(tokenEndpoint, resource ?? '(the resource of your first download)', scope), previousSecretExpiresAt: isoTime(rotated.previousSecretExpiresAt), note: 'The previous secret keeps working until previousSecretExpiresAt; switch to this one before then.' });
  }));

  return router;
}

/** The portal answers epoch milliseconds; the file a person downloads says the time in ISO 8601. */
function isoTime(value: string | number | null): string | null {
  if (value === null) return null;
  const at = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(at) ? new Date(at).toISOString() : null;
}
