import express, { type ErrorRequestHandler, type RequestHandler, type Router } from 'express';
import type { Db } from '@portal/db';
import { requireAccessToken, type Clock, type RpLogger, type VerifyAccessToken } from '@portal/rp-kit';
import { createRateLimit } from '../hl7/rate-limit.js';
import { createTokenVerifier, hl7CallerOf, type Hl7Caller } from '../hl7/token.js';
import { createHl7Intake } from '../libraries/hl7-intake.js';
import type { AuditQueries } from '../queries/audit.js';

export interface Hl7Settings {
  /** The `aud` the tokens must carry (REGISTRY_HL7_AUDIENCE); default the registry's URL + /hl7/v2. */
  audience?: string;
  /** Replaces the JWT verification against the portal's JWKS (tests, or another issuer). */
  verifyToken?: VerifyAccessToken;
  messagesPerMinute?: number;
  maxBodyBytes?: number;
  maxSegments?: number;
}

export interface Hl7Options {
  hl7?: Hl7Settings;
}

/** The media types a VXU may be posted with (docs/hl7.md). */
const acceptedTypes = ['x-application/hl7-v2+er7', 'application/hl7-v2', 'text/plain'];

const plain = (res: express.Response, status: number, text: string) => res.status(status).type('text/plain').set('cache-control', 'no-store').send(`${text}\n`);

/**
 * POST /hl7/v2/vxu: a machine endpoint — a bearer token from the portal, no session, no CSRF form
 * field (no cookie is read, so there is nothing for a cross-site request to ride on), and its own
 * body parser on this route only.
 */
export function createHl7Routes(deps: { db: Db; clock: Clock; audit: AuditQueries; issuerUrl: string; baseUrl: string; log: RpLogger; settings?: Hl7Settings | undefined; afterDoses?: (() => void) | undefined }): Router {
  const settings = deps.settings ?? {};
  const audience = settings.audience ?? `${deps.baseUrl.replace(/\/+$/, '')}/hl7/v2`;
  if (!URL.canParse(audience)) throw new Error(`REGISTRY_HL7_AUDIENCE: not a URL: ${audience}`);
  const verifyToken = settings.verifyToken ?? createTokenVerifier({ issuer: deps.issuerUrl, audience, clock: deps.clock });
  const maxBodyBytes = settings.maxBodyBytes ?? 1024 * 1024;
  const limiter = createRateLimit({ perMinute: settings.messagesPerMinute ?? 600, clock: deps.clock });
  const intake = createHl7Intake({ db: deps.db, clock: deps.clock, audit: deps.audit, maxSegments: settings.maxSegments ?? 2_000, afterDoses: deps.afterDoses });

  const authenticate = requireAccessToken({
    verify: verifyToken,
    accept: hl7CallerOf,
    realm: 'ImmTrac2 HL7',
    answer: 'text',
    log: deps.log,
    unavailable: 'The registry cannot verify access tokens right now. Send the message again later.',
  });

  const rateLimit: RequestHandler = (_req, res, next) => {
    const wait = limiter.take((res.locals.caller as Hl7Caller).clientId);
    if (wait) return plain(res.set('retry-after', String(wait)), 429, 'Too many messages from this client: wait and send again.');
    next();
  };

  const mediaType: RequestHandler = (req, res, next) => {
    const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!acceptedTypes.includes(type)) return plain(res, 415, `Post the message as ${acceptedTypes.join(' or ')}.`);
    next();
  };

  const router = express.Router();
  router.post(
    '/hl7/v2/vxu',
    authenticate,
    rateLimit,
    mediaType,
    express.raw({ type: () => true, limit: maxBodyBytes }),
    async (req, res) => {
      const caller = res.locals.caller as Hl7Caller;
      const charset = /charset=([^;]+)/i.exec(req.get('content-type') ?? '')?.[1]?.trim().toLowerCase();
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const text = body.toString(charset === 'iso-8859-1' || charset === 'latin1' ? 'latin1' : 'utf8');
      try {
        const answer = await intake.receive(text, { clientId: caller.clientId, iisId: caller.iisId });
        if (answer.kind === 'not-hl7') return plain(res, 400, answer.reason);
        res.status(200).type('x-application/hl7-v2+er7').set('cache-control', 'no-store').send(answer.ack);
      } catch (err) {
        deps.log('error', 'hl7 intake failed', { err: (err as Error)?.message, stack: (err as Error)?.stack });
        plain(res, 500, 'The registry could not process the message. Send it again later.');
      }
    },
  );
  router.all('/hl7/v2/vxu', (_req, res) => plain(res.set('allow', 'POST'), 405, 'POST an HL7 v2 VXU^V04 message here.'));

  // The body parser's refusals, in words and without a stack trace.
  const bodyErrors: ErrorRequestHandler = (err, req, res, next) => {
    if (!req.path.startsWith('/hl7/')) return next(err);
    const status = typeof err?.status === 'number' ? err.status : 500;
    if (status === 413) return plain(res, 413, `The message is larger than ${maxBodyBytes} bytes.`);
    if (status >= 400 && status < 500) return plain(res, status, 'The request body could not be read.');
    deps.log('error', 'hl7 request failed', { err: err?.message });
    plain(res, 500, 'The registry could not process the message. Send it again later.');
  };
  router.use(bodyErrors);
  return router;
}
