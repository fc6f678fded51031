import express, { type Request, type Response, type Router } from 'express';
import * as oidc from 'openid-client';
import { RpError } from './errors.js';
import { html, type SafeHtml } from '@portal/common';
import { t } from './locales.js';
import type { IssuerConnector } from './issuer.js';
import type { AppSession, SessionStore } from './session-store.js';
import { messageBody } from './views.js';

export interface LogoutRouteDeps {
  appName: string;
  baseUrl: string;
  portalUrl: string;
  issuer: IssuerConnector;
  sessions: SessionStore;
  sessionIdOf(req: Request): string | undefined;
  clearSessionCookie(res: Response): void;
  verifyCsrf(session: AppSession, submitted: unknown): boolean;
  render(res: Response, page: { title: string; body: SafeHtml; status?: number }): void;
}

/**
 * Sign Out (SPEC §3.7): a POST carrying the CSRF token bound to the app session, so another site
 * cannot sign a person out (logout CSRF); a GET only asks. The app session ends here, then the
 * portal ends the SSO session and tells every other app (RP-initiated, then back-channel logout).
 */
/** The `state` of the app's RP-initiated logout, echoed back to `/` (RP-Initiated Logout 1.0 §3). */
const signedOutState = 'signed-out';

export function createLogoutRoutes(deps: LogoutRouteDeps): Router {
  const { sessions, appName } = deps;
  const router = express.Router();
  /** "You have signed out", with the ways back: sign in to this app again, or the portal. */
  const signedOut = (res: Response) =>
    deps.render(res, {
      title: t('session.signedOutTitle'),
      body: messageBody(t('session.signedOutTitle'), t('session.signedOut', { app: appName }), html`<p><a class="usa-button" href="/login">${t('session.signInTo', { app: appName })}</a> <a class="usa-button usa-button--outline" href="${deps.portalUrl}">${t('session.toPortal')}</a></p>`),
    });

  // Where the portal sends the person back after RP-initiated logout (post_logout_redirect_uri is
  // the app's `/`, with this state): "You have signed out", with the ways back, instead of a bare
  // sign-in page. A live session means they are signed in after all: the app's own home.
  router.get('/', async (req, res, next) => {
    if (req.query.state !== signedOutState) return next();
    if ((await sessions.inspect(deps.sessionIdOf(req))).state === 'live') return next();
    res.set('cache-control', 'no-store');
    signedOut(res);
  });

  router.get('/logout', async (req, res) => {
    res.set('cache-control', 'no-store');
    // Opening the page is activity like any other page of the app.
    const { session } = await sessions.use(deps.sessionIdOf(req));
    if (!session) {
      return deps.render(res, {
        title: t('session.notSignedInTitle'),
        body: messageBody(t('session.notSignedInTitle'), t('session.notSignedIn', { app: appName }), html`<p><a class="usa-button" href="/login">${t('session.signIn')}</a></p>`),
      });
    }
    res.locals.rpSession = session; // the signed-in header and the idle warning
    deps.render(res, {
      title: t('session.signOut'),
      body: html`<section class="card" aria-labelledby="logout-title">
  <h1 id="logout-title">${t('session.signOutQuestion', { app: appName })}</h1>
  <p>${t('session.signOutExplained')}</p>
  <form method="post" action="/logout">
    <input type="hidden" name="csrf" value="${session.csrfToken}">
    <button class="usa-button" type="submit">${t('session.signOut')}</button>
    <a class="usa-button usa-button--outline" href="/">${t('session.cancel')}</a>
  </form>
</section>`,
    });
  });

  router.post('/logout', express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 }), async (req, res) => {
    res.set('cache-control', 'no-store');
    const id = deps.sessionIdOf(req);
    const found = await sessions.inspect(id);
    let idTokenHint: string | undefined;
    if (found.state === 'live') {
      // Checked before anything changes: a forged post leaves the session as it was.
      if (!deps.verifyCsrf(found.session, (req.body as Record<string, unknown> | undefined)?.csrf)) throw new RpError('request.csrf', 403);
      idTokenHint = found.session.idToken;
    }
    // Without a live session there is nothing here to protect: the portal asks before it signs anyone out.
    if (id) {
      await sessions.destroy(id);
      deps.clearSessionCookie(res);
    }

    let connection;
    try {
      connection = await deps.issuer.get();
    } catch {
      // The app session is gone either way; say so rather than fail.
      return signedOut(res);
    }
    const endSession = oidc.buildEndSessionUrl(connection.config, {
      post_logout_redirect_uri: `${deps.baseUrl}/`,
      state: signedOutState,
      ...(idTokenHint ? { id_token_hint: idTokenHint } : {}),
    });
    res.redirect(303, endSession.href);
  });

  return router;
}
