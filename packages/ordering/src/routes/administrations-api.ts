import express, { type ErrorRequestHandler, type Router } from 'express';
import { createAccessTokenVerifier, requireAccessToken, type Clock, type RpLogger, type VerifiedAccessToken, type VerifyAccessToken } from '@portal/rp-kit';
import type { AdministrationEvent, Administrations } from '../libraries/administrations.js';

/** The scope of the inventory API's tokens (the portal's INVENTORY_RESOURCE; the registry's own client holds it). */
export const inventoryAdministeredScope = 'inventory:administered';

export interface InventoryApiSettings {
  /** The `aud` its tokens must carry (ORDERING_INVENTORY_AUDIENCE); default VAOS's URL + /api/v1. */
  audience?: string | undefined;
  /** Replaces the JWT verification against the portal's JWKS (tests). */
  verifyToken?: VerifyAccessToken | undefined;
}

const maxEvents = 500;
const nonEmpty = (v: unknown, max: number, pattern?: RegExp): v is string => typeof v === 'string' && v.length > 0 && v.length <= max && (!pattern || pattern.test(v));

/** An event as the feed sends it, or the reason it is not one. */
function readEvent(raw: unknown): AdministrationEvent | string {
  const e = (raw ?? {}) as Record<string, unknown>;
  if (!nonEmpty(e.id, 64, /^[A-Za-z0-9._:-]+$/)) return 'id: 1 to 64 letters, digits, dots, colons, dashes or underscores';
  if (e.kind !== 'given' && e.kind !== 'reversed') return 'kind: given or reversed';
  if (!nonEmpty(e.immunization, 64, /^[A-Za-z0-9._:-]+$/)) return 'immunization: the sender\'s id of the dose';
  if (!nonEmpty(e.iisId, 10, /^\d{10}$/)) return 'iisId: the organization\'s 10-digit TX IIS ID';
  if (!nonEmpty(e.vaccine, 13, /^(\d{1,4}|\d{4,5}-\d{3,4}-\d{1,2})$/)) return 'vaccine: a CVX code or a package NDC (5-4-2)';
  if (!nonEmpty(e.lot, 50) || /[\u0000-\u001f\u007f]/.test(e.lot)) return 'lot: the lot number as printed';
  if (!Number.isInteger(e.doses) || (e.doses as number) < 1 || (e.doses as number) > 100) return 'doses: a whole number from 1 to 100';
  return { id: e.id, kind: e.kind, immunization: e.immunization, iisId: e.iisId, vaccine: e.vaccine, lot: e.lot, doses: e.doses as number };
}

/**
 * POST /api/v1/administrations: the registry's inventory feed (doses given and reversed). A machine
 * endpoint: the portal's JWT access token (client_credentials, scope inventory:administered), no
 * session, no cookie read (so no CSRF), its own JSON parser. A batch is read whole first: one bad
 * event refuses the batch (400) and nothing is applied; a good batch answers each event's outcome.
 */
export function createAdministrationsApi(deps: { administrations: Administrations; issuerUrl: string; baseUrl: string; clock: Clock; log: RpLogger; settings?: InventoryApiSettings | undefined }): Router {
  const audience = deps.settings?.audience ?? `${deps.baseUrl.replace(/\/+$/, '')}/api/v1`;
  const verify = deps.settings?.verifyToken ?? createAccessTokenVerifier({ issuer: deps.issuerUrl, audience, scope: inventoryAdministeredScope, clock: deps.clock });
  const refuse = (res: express.Response, status: number, error: string, description: string) => res.status(status).set('cache-control', 'no-store').json({ error, error_description: description });

  const router = express.Router();
  router.post(
    '/api/v1/administrations',
    requireAccessToken({ verify, accept: (token: VerifiedAccessToken) => token.clientId, realm: 'VAOS inventory', answer: 'json', log: deps.log, unavailable: 'VAOS cannot verify access tokens right now. Send again later.' }),
    express.json({ limit: '256kb', type: () => true }),
    async (req, res) => {
      const events = (req.body as { events?: unknown } | undefined)?.events;
      if (!Array.isArray(events) || events.length === 0 || events.length > maxEvents) return refuse(res, 400, 'invalid_request', `Send { "events": [...] } with 1 to ${maxEvents} events.`);
      const read = events.map(readEvent);
      const bad = read.findIndex((e) => typeof e === 'string');
      if (bad >= 0) return refuse(res, 400, 'invalid_request', `events[${bad}].${read[bad] as string}`);
      if (new Set(read.map((e) => (e as AdministrationEvent).id)).size !== read.length) return refuse(res, 400, 'invalid_request', 'Each event id appears once in a batch.');
      const results = await deps.administrations.receive(res.locals.caller as string, read as AdministrationEvent[]);
      res.status(200).set('cache-control', 'no-store').json({ results });
    },
  );
  router.all('/api/v1/administrations', (_req, res) => refuse(res.set('allow', 'POST'), 405, 'invalid_request', 'POST { "events": [...] } here.'));
  // The JSON parser's refusals in words, without a stack trace; anything else is a 500 in JSON, logged.
  const errors: ErrorRequestHandler = (err, req, res, next) => {
    if (!req.path.startsWith('/api/')) return next(err);
    const status = typeof err?.status === 'number' ? err.status : 500;
    if (status === 413) return refuse(res, 413, 'invalid_request', 'The batch is larger than 256 KB.');
    if (status >= 400 && status < 500) return refuse(res, 400, 'invalid_request', 'The body is not JSON.');
    deps.log('error', 'inventory api failed', { err: err?.message });
    refuse(res, 500, 'server_error', 'VAOS could not record the events. Send them again later.');
  };
  router.use(errors);
  return router;
}
