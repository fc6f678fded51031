import express, { type Request, type Response, type Router } from 'express';
import type Provider from 'oidc-provider';
import type { PortalConfig } from '../config/index.js';
import type { Csrf } from '../libraries/csrf.js';
import type { Clock } from '../libraries/clock.js';
import type { Audit } from '../libraries/audit.js';
import type { OidcPayloadQueries } from '../queries/oidc-payloads.js';
import type { UserQueries } from '../queries/users.js';
import type { SessionTerminator } from '../oidc/sessions.js';
import { PortalError } from '../libraries/errors.js';
import { accountBinding, createSignedIn } from './signed-in.js';
import { auditContext } from './request-context.js';

/**
 * What the idle warning on every page talks to (SPEC §3.7): how long this session has left — read
 * without counting as activity, so an open tab does not keep a session alive — "Stay signed in",
 * and the sign-out when the time has passed.
 */
export function createSessionRoutes(deps: {
  config: PortalConfig;
  provider: Provider;
  csrf: Csrf;
  clock: Clock;
  audit: Audit;
  payloads: OidcPayloadQueries;
  users: UserQueries;
  sessions: SessionTerminator;
}): Router {
  const { config, provider, csrf, clock, payloads } = deps;
  const router = express.Router();
  const idleMs = config.sessionIdleMinutes * 60_000;
  const maxMs = config.sessionMaxHours * 3600_000;
  const signedIn = createSignedIn(deps);

  /** The session id in the signed cookie, without loading (and so touching) the session. */
  function sessionIdOf(req: Request, res: Response): string | undefined {
    const ctx = provider.createContext(req, res);
    return ctx.cookies.get(provider.cookieName('session'), { signed: true }) ?? undefined;
  }

  async function remainingMs(id: string | undefined): Promise<number> {
    if (!id) return 0;
    const stored = await payloads.find('Session', id);
    if (!stored?.payload.accountId) return 0;
    const now = clock.now();
    const idleLeft = (stored.lastActiveAt ?? now) + idleMs - now;
    const maxLeft = stored.createdAt === null ? Infinity : stored.createdAt + maxMs - now;
    return Math.max(0, Math.min(idleLeft, maxLeft));
  }

  router.get('/session/status', async (req, res) => {
    // Rounded up: 0 means over, so the page and /session/idle agree on when it has ended.
    res.set('cache-control', 'no-store').json({ remainingSeconds: Math.ceil((await remainingMs(sessionIdOf(req, res))) / 1000) });
  });

  // "Stay signed in": a deliberate action by the person, so it counts as activity. CSRF: a header
  // token bound to the session (a cross-site page cannot set it).
  router.post('/session/keepalive', async (req, res) => {
    const who = await signedIn.current(req, res);
    if (!who) throw new PortalError('session.ended', 401);
    if (!csrf.verify(accountBinding(who.sessionId), req.get('x-csrf-token'))) throw new PortalError('request.csrf', 403);
    await payloads.touch('Session', who.sessionId, clock.now());
    res.set('cache-control', 'no-store').json({ remainingSeconds: Math.floor(Math.min(idleMs, await remainingMs(who.sessionId)) / 1000) });
  });

  // The warning's end: signs out only a session that really is past its time (another tab may have
  // kept it alive), the same way as Sign Out, so the apps hear of it.
  router.get('/session/idle', async (req, res) => {
    const id = sessionIdOf(req, res);
    if ((await remainingMs(id)) > 0) return res.redirect(303, '/');
    const stored = id ? await payloads.find('Session', id) : undefined;
    if (id && stored?.payload.accountId) {
      await deps.sessions.endSession(id);
      await deps.audit.record({ action: 'session.idle_timeout', subjectUserId: String(stored.payload.accountId) }, auditContext(req));
    }
    res.redirect(303, '/signed-out?reason=idle');
  });

  return router;
}
