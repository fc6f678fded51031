import express, { type Request, type Response, type Router } from 'express';
import { html, type SafeHtml } from '@portal/common';
import { t } from './locales.js';
import type { AppSession, SessionStore } from './session-store.js';
import { describeMinutes, messageBody } from './views.js';

export interface SessionRouteDeps {
  appName: string;
  sessions: SessionStore;
  idleMinutes: number;
  maxSessionHours: number;
  /** The app session cookie's value, if any. */
  sessionIdOf(req: Request): string | undefined;
  clearSessionCookie(res: Response): void;
  verifyCsrf(session: AppSession, submitted: unknown): boolean;
  render(res: Response, page: { title: string; body: SafeHtml; status?: number }): void;
}

/** Whole seconds left, rounded up: "0" only once the session has really ended, never a moment before. */
export const remainingSeconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * What the idle warning on every page talks to (SPEC §3.7), as at the portal: how long this app
 * session has left — read without counting as activity, so an open tab does not keep a session
 * alive — "Stay signed in", and the page that ends the session once its time has passed.
 */
export function createSessionRoutes(deps: SessionRouteDeps): Router {
  const { sessions } = deps;
  const router = express.Router();

  router.get('/session/status', async (req, res) => {
    const found = await sessions.inspect(deps.sessionIdOf(req));
    res.set('cache-control', 'no-store').json({ remainingSeconds: found.state === 'live' ? remainingSeconds(found.remainingMs) : 0 });
  });

  // "Stay signed in": a deliberate action, so it counts as activity. CSRF: a header token bound to
  // the session, checked before the session is touched (a cross-site page can neither set the
  // header nor read the token), so a forged request does not even slide the idle window.
  router.post('/session/keepalive', async (req, res) => {
    res.set('cache-control', 'no-store');
    const id = deps.sessionIdOf(req);
    const found = await sessions.inspect(id);
    if (found.state !== 'live') return res.status(401).json({ error: 'session_ended' });
    if (!deps.verifyCsrf(found.session, req.get('x-csrf-token'))) return res.status(403).json({ error: 'csrf' });
    const { session } = await sessions.use(id);
    res.json({ remainingSeconds: session ? remainingSeconds(sessions.remainingMs(session)) : 0 });
  });

  // Where the warning goes when the time has passed. It ends only a session that really is past its
  // time — another tab may have kept it alive — so a link from another site can end nothing.
  router.get('/session/idle', async (req, res) => {
    res.set('cache-control', 'no-store');
    const id = deps.sessionIdOf(req);
    const found = await sessions.inspect(id);
    if (found.state === 'live' && found.remainingMs > 0) return res.redirect(303, '/');
    if (id) {
      await sessions.destroy(id);
      deps.clearSessionCookie(res);
    }
    const why =
      found.state === 'ended' && found.reason === 'lifetime'
        ? t('session.endedLifetime', { hours: deps.maxSessionHours })
        : t('session.endedIdle', { duration: describeMinutes(deps.idleMinutes) });
    deps.render(res, { title: t('session.endedTitle'), body: signedOutBody(why, deps.appName) });
  });

  return router;
}

function signedOutBody(why: string, appName: string): SafeHtml {
  return messageBody(t('session.endedTitle'), why, html`<p>${t('session.signInAgain', { app: appName })}</p>
  <p><a class="usa-button" href="/login">${t('session.signIn')}</a></p>`);
}
