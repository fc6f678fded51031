import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Db } from '@portal/db';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import * as oidc from 'openid-client';
import { systemClock, type Clock } from './clock.js';
import { clearCookie, cookieName, readCookie, setCookie, type CookiePolicy } from './cookies.js';
import { AppError, RpError } from './errors.js';
import { t } from './locales.js';
import { commonStaticDir, defaultAgency, html, pageContextMiddleware, uswdsStaticDirs, type Agency, type SafeHtml } from '@portal/common';
import { createIssuerConnection } from './issuer.js';
import { createLogoutRoutes } from './logout-routes.js';
import { InvalidLogoutToken, verifyLogoutToken } from './logout-token.js';
import { orgsFromClaims, type OrgAccess } from './orgs.js';
import { createPendingLogins, sameSecret } from './pending-logins.js';
import { createSessionRoutes, remainingSeconds } from './session-routes.js';
import { createSessionStore, type AppSession } from './session-store.js';
import { createTokenSeal } from './token-seal.js';
import { messageBody, renderPage } from './views.js';
import { createFormPost } from './form-post.js';

export interface RpLogger {
  (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>): void;
}

export interface RelyingPartyOptions {
  /** The app's name as people know it: ImmTrac2, Syntropi, VAOS. */
  appName: string;
  /** The portal's URL, which is also its OIDC issuer (SPEC §4). */
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  /**
   * The app's database, opened by the app (createDb) and migrated with `migrateRpKit`: sessions
   * live there, so a restart signs nobody out and every instance of the app shares them.
   */
  db: Db;
  /** The app's own stylesheets, linked on every page after rp-kit's (the app serves them). */
  stylesheets?: readonly string[];
  /** The agency whose chrome every page wears (AppSettings.agency); default the embedded Texas one. */
  agency?: Agency;
  /** The app's own public URL (no trailing slash); redirect URIs and cookie security derive from it. */
  baseUrl: string;
  clock?: Clock;
  /** Inactivity that signs a person out of this app (SPEC §3.7); default 15. Fractions allowed (tests). */
  idleMinutes?: number;
  /** How long before the idle end pages warn and offer "Stay signed in"; default 120. */
  idleWarningSeconds?: number;
  /** Longest an app session lives however active it is; matches the portal's SESSION_MAX_HOURS. */
  maxSessionHours?: number;
  /** How long a started sign-in may take before /callback refuses it. */
  loginMinutes?: number;
  /** What a person reads when the portal refuses them this app (OIDC access_denied). */
  accessDenied?: { title?: string; message?: string };
  log?: RpLogger;
  /**
   * Calling an API as the signed-in person: sign-in also asks for `scope` and an access token for
   * `resource` (RFC 8707), kept encrypted with the session; `accessTokenOf` hands it out and
   * `renewPath` gets a fresh one.
   */
  api?: { resource: string; scope: string };
}

const baseScope = 'openid profile email phone orgs';
const randomValue = /^[A-Za-z0-9_-]{43}$/;

/** One JSON line per event; ids and reasons only, never a token or a cookie value. */
export function consoleLogger(options: { info: boolean }): RpLogger {
  return (level, message, details) => {
    if (level === 'info' && !options.info) return;
    (level === 'info' ? console.log : console.error)(JSON.stringify({ level, message, ...details }));
  };
}

const defaultLog = consoleLogger({ info: false });

/**
 * Everything a relying party shares (SPEC §5): OIDC sign-in against the portal (code + PKCE),
 * a server-side session with a sliding idle timeout, back-channel and RP-initiated logout, the
 * "Enterprise Portal" link, role guards and the error pages.
 */
export function createRelyingParty(options: RelyingPartyOptions) {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? defaultLog;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const issuerUrl = options.issuerUrl.replace(/\/+$/, '');
  const portalUrl = `${issuerUrl}/`;
  const redirectUri = `${baseUrl}/callback`;
  const cookiePolicy: CookiePolicy = { secure: new URL(baseUrl).protocol === 'https:' };
  // Several apps share a host name on different ports in development, and cookies ignore ports:
  // each app's cookies carry its client id so they never collide.
  const sessionCookie = `${options.clientId}.session`;
  const loginCookie = `${options.clientId}.login`;
  const readOwnCookie = (req: Request, name: string) => readCookie(req, cookieName(cookiePolicy, name));
  const idleMinutes = options.idleMinutes ?? 15;
  const idleWarningSeconds = options.idleWarningSeconds ?? 120;
  const maxSessionHours = options.maxSessionHours ?? 12;
  if (!(idleMinutes > 0) || !Number.isFinite(idleMinutes)) throw new Error('idleMinutes must be a positive number');
  // A warning as long as the session itself would be up the moment a page opens.
  if (!Number.isInteger(idleWarningSeconds) || idleWarningSeconds < 0 || idleWarningSeconds >= idleMinutes * 60) {
    throw new Error('idleWarningSeconds must be a whole number of seconds shorter than idleMinutes');
  }

  const api = options.api;
  if (api && (!URL.canParse(api.resource) || new URL(api.resource).hash)) throw new Error('api.resource must be an absolute URL without a fragment (RFC 8707)');
  if (api && !/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/.test(api.scope)) throw new Error('api.scope must be space-separated scope tokens');
  const scope = api ? `${baseScope} ${api.scope}` : baseScope;

  const sessions = createSessionStore({
    db: options.db,
    clientId: options.clientId,
    clock,
    idleMs: idleMinutes * 60_000,
    absoluteMs: maxSessionHours * 3_600_000,
    tokenSeal: createTokenSeal(options.clientSecret, options.clientId),
  });
  const pendingLogins = createPendingLogins({ clock, ttlMs: (options.loginMinutes ?? 30) * 60_000 });
  const issuer = createIssuerConnection({ issuerUrl, clientId: options.clientId, clientSecret: options.clientSecret });

  async function connect() {
    try {
      return await issuer.get();
    } catch (err) {
      log('warn', 'OIDC discovery failed', { issuer: issuerUrl, err: (err as Error).message });
      throw new RpError('portal.unreachable', 503);
    }
  }

  const sessionIdOf = (req: Request) => readOwnCookie(req, sessionCookie);
  const clearSessionCookie = (res: Response) => clearCookie(res, cookiePolicy, sessionCookie);
  /** Checks a form's or header's CSRF token against the one bound to the session (constant time). */
  const verifyCsrf = (session: AppSession, submitted: unknown): boolean => typeof submitted === 'string' && sameSecret(session.csrfToken, submitted);

  /** Renders a page; a signed-in request (requireSession) gets the header with Sign Out and the idle warning. */
  function render(res: Response, page: { title: string; body: SafeHtml; status?: number }): void {
    const session = res.locals.rpSession as AppSession | undefined;
    // The request already holds the session (requireSession just slid it): its time left needs no query.
    const remainingMs = session ? sessions.remainingMs(session) : 0;
    const signedIn =
      session && remainingMs > 0
        ? {
            name: personName(session),
            csrfToken: session.csrfToken,
            timeout: { remainingSeconds: remainingSeconds(remainingMs), warningSeconds: idleWarningSeconds },
          }
        : undefined;
    res
      .status(page.status ?? 200)
      .type('html')
      .send(renderPage({ appName: options.appName, portalUrl, stylesheets: options.stylesheets, agency: options.agency }, { title: page.title, body: page.body, signedIn }));
  }

  const router = express.Router();
  router.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          // Only the app's own files: the idle warning's script and its calls to /session/*.
          scriptSrc: ["'self'"],
          connectSrc: ["'self'"],
          styleSrc: ["'self'"],
          // USWDS's web fonts and icons, served by the app itself.
          fontSrc: ["'self'"],
          imgSrc: ["'self'"],
          // Sign Out posts here and is redirected to the portal's end_session endpoint, and Chromium
          // applies form-action to the redirect too.
          formAction: ["'self'", new URL(issuerUrl).origin],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
        },
      },
      strictTransportSecurity: cookiePolicy.secure,
    }),
  );
  // Every page in the person's language (?lang=, the app's own <client>.lang cookie, Accept-Language);
  // `__Host-` over https like the app's other cookies (cookies.ts).
  router.use(pageContextMiddleware({ agency: options.agency ?? defaultAgency, cookieName: cookieName(cookiePolicy, `${options.clientId}.lang`), secure: cookiePolicy.secure }));
  router.use('/static/rp-kit', express.static(fileURLToPath(new URL('./static', import.meta.url)), { maxAge: '1h' }));
  router.use('/static/common', express.static(commonStaticDir, { maxAge: '1h' }));
  // USWDS's stylesheet, fonts and icons, from the installed package (dotfiles: under node_modules/.pnpm).
  for (const [folder, dir] of Object.entries(uswdsStaticDirs)) router.use(`/static/uswds/${folder}`, express.static(dir, { maxAge: '1d', dotfiles: 'allow' }));

  router.get('/login', async (req, res) => {
    res.set('cache-control', 'no-store');
    const returnTo = localPath(req.query.return_to);
    // renew=1: a fresh authorization although signed in (a new access token); the portal answers
    // without a page while its own session is live.
    const renew = req.query.renew === '1';
    if (!renew && (await sessions.use(readOwnCookie(req, sessionCookie))).session) return res.redirect(302, returnTo);

    const { config } = await connect();
    const existing = readOwnCookie(req, loginCookie);
    const browser = existing && randomValue.test(existing) ? existing : randomBytes(32).toString('base64url');
    setCookie(res, cookiePolicy, loginCookie, browser, pendingLogins.ttlMs);

    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    pendingLogins.add({ state, nonce, codeVerifier, returnTo, browser });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope,
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      ...(api ? { resource: api.resource } : {}),
    });
    res.redirect(302, url.href);
  });

  router.get('/callback', async (req, res) => {
    res.set('cache-control', 'no-store');
    const state = typeof req.query.state === 'string' ? req.query.state : undefined;
    // Single use and bound to this browser: a code carried to another browser is refused (login CSRF).
    const login = pendingLogins.take(state, readOwnCookie(req, loginCookie));
    if (!login) throw new RpError('login.expired', 400);

    const { config } = await connect();
    // The redirect URI is our configured one, never rebuilt from the Host header.
    const currentUrl = new URL(redirectUri);
    currentUrl.search = new URL(req.originalUrl, baseUrl).search;
    let tokens;
    try {
      tokens = await oidc.authorizationCodeGrant(
        config,
        currentUrl,
        {
          pkceCodeVerifier: login.codeVerifier,
          expectedState: login.state,
          expectedNonce: login.nonce,
          idTokenExpected: true,
        },
        // The same resource as the authorization request: the token is for that API (RFC 8707 §2.2).
        api ? { resource: api.resource } : undefined,
      );
    } catch (err) {
      if (err instanceof oidc.AuthorizationResponseError && err.error === 'access_denied') {
        // The portal says why (e.g. VAOS is for coordinators only, SPEC §3.8); its words are shown
        // escaped. The state already matched this browser's own sign-in, so no other site chose them.
        const reason = portalReason(err.error_description);
        log('info', 'the portal refused the sign-in', { reason });
        throw new RpError('login.denied', 403, reason ? { message: reason } : options.accessDenied);
      }
      log('warn', 'sign-in callback refused', { err: (err as Error).message, code: (err as { code?: string }).code });
      throw new RpError('login.failed', 400);
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new RpError('login.failed', 400);

    // A fresh session id at every sign-in (session fixation); a previous session here ends. When
    // it was the same person's live session (a renewal), the new one continues it: same data,
    // CSRF token and sign-in time.
    const previous = readOwnCookie(req, sessionCookie);
    const before = await sessions.inspect(previous);
    if (previous) await sessions.destroy(previous);
    const expiresIn = tokens.expiresIn();
    const session = await sessions.create({
      sub: claims.sub,
      sid: typeof claims.sid === 'string' ? claims.sid : undefined,
      claims: { ...claims },
      idToken: tokens.id_token,
      accessToken:
        api && tokens.access_token ? { value: tokens.access_token, expiresAt: expiresIn === undefined ? undefined : clock.now() + expiresIn * 1000 } : undefined,
      continues: before.state === 'live' && before.session.sub === claims.sub ? before.session : undefined,
    });
    // The login cookie stays: other tabs of this browser may be signing in with it.
    setCookie(res, cookiePolicy, sessionCookie, session.id, undefined);
    log('info', 'signed in', { sub: session.sub });
    res.redirect(302, login.returnTo);
  });

  router.post('/backchannel-logout', express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 10 }), async (req, res) => {
    res.set('cache-control', 'no-store');
    const token = (req.body as Record<string, unknown> | undefined)?.logout_token;
    const refuse = (reason: string) => {
      log('warn', 'back-channel logout refused', { reason });
      res.status(400).json({ error: 'invalid_request', error_description: 'the logout token is missing or invalid' });
    };
    if (typeof token !== 'string' || !token) return refuse('no logout_token');
    let connection;
    try {
      connection = await connect();
    } catch {
      // The portal will retry or log the failure; it reads JSON here, not a page.
      return res.status(503).json({ error: 'temporarily_unavailable' });
    }
    const metadata = connection.config.serverMetadata();
    try {
      const who = await verifyLogoutToken(token, {
        issuer: metadata.issuer,
        clientId: options.clientId,
        jwks: connection.jwks,
        algorithms: metadata.id_token_signing_alg_values_supported ?? ['RS256'],
      });
      const ended = await sessions.destroyMatching(who);
      log('info', 'back-channel logout', { sid: who.sid, ended });
      res.status(200).end();
    } catch (err) {
      if (err instanceof InvalidLogoutToken) return refuse(err.message);
      throw err;
    }
  });

  const routeDeps = { appName: options.appName, sessions, sessionIdOf, clearSessionCookie, verifyCsrf, render };
  router.use(createSessionRoutes({ ...routeDeps, idleMinutes, maxSessionHours }));
  router.use(createLogoutRoutes({ ...routeDeps, baseUrl, portalUrl, issuer }));

  /** Lets a request through only with a live session (sliding the idle window); else sends it to /login. */
  const requireSession: RequestHandler = async (req, res, next) => {
    const id = readOwnCookie(req, sessionCookie);
    const found = await sessions.use(id);
    if (!found.session) {
      if (id) clearCookie(res, cookiePolicy, sessionCookie);
      const back = req.method === 'GET' ? localPath(req.originalUrl) : '/';
      return res.redirect(req.method === 'GET' ? 302 : 303, back === '/' ? '/login' : `/login?return_to=${encodeURIComponent(back)}`);
    }
    res.locals.rpSession = found.session;
    // Pages with personal data are never cached by the browser or a proxy.
    res.set('cache-control', 'no-store');
    next();
  };

  /** A role guard after requireSession: a person who fails `allowed` gets a 403 page saying why. */
  function requireAccess(allowed: (orgs: OrgAccess[], session: AppSession) => boolean, denied?: { title?: string; message?: string }): RequestHandler {
    return (_req, res, next) => {
      const session = sessionOf(res);
      if (!allowed(orgsFromClaims(session.claims), session)) return next(new RpError('access.denied', 403, denied));
      next();
    };
  }

  const notFound: RequestHandler = (_req, _res, next) => next(new RpError('page.not_found', 404));

  /** The one error handler: a coded RpError becomes its page; anything else a generic 500, details logged only. */
  const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
    let error: RpError;
    if (err instanceof RpError) error = err;
    else if (err instanceof AppError) error = err.toRpError();
    else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) error = new RpError('request.invalid', err.status);
    else {
      log('error', 'unhandled error', { path: req.path, err: err?.message, stack: err?.stack });
      error = new RpError('server.error', 500);
    }
    if (res.headersSent) return;
    res.set('cache-control', 'no-store');
    const signInAgain = error.code.startsWith('login.') && error.code !== 'login.denied';
    // Refused an app: the portal home lists the ones the person may open.
    const denied = error.code === 'login.denied' || error.code === 'access.denied';
    const action = signInAgain
      ? html`<p><a class="usa-button" href="/login">${t('session.signIn')}</a></p>`
      : denied
        ? html`<p><a class="usa-button" href="${portalUrl}">Back to the Enterprise Portal</a></p>`
        : '';
    render(res, { status: error.status, title: error.title, body: messageBody(error.title, error.text, action) });
  };

  return {
    router,
    requireSession,
    requireAccess,
    render,
    notFound,
    errorHandler,
    sessions,
    portalUrl,
    /** The live session of a request that passed requireSession. */
    sessionOf,
    orgsOf: (session: AppSession) => orgsFromClaims(session.claims),
    verifyCsrf,
    /** A CSRF-checked form post (form-post.ts), for routes after requireSession. */
    formPost: createFormPost(verifyCsrf),
    /**
     * Merges `patch` into `session.data` and stores it, for this and every later request of the
     * session (a key set to undefined is removed). `session.data` itself is read-only.
     */
    updateSessionData: (session: AppSession, patch: Readonly<Record<string, unknown>>): Promise<void> => sessions.updateData(session, patch),
    /**
     * The access token for `api.resource`, or undefined when the session has none or it ends within
     * 30 seconds: then send the person to `renewPath(...)`.
     */
    accessTokenOf: (session: AppSession): Promise<string | undefined> => sessions.accessTokenOf(session),
    /**
     * Where to send a signed-in person for a fresh access token: a new authorization (silent while
     * the portal session is live) that comes back to `returnTo`, a local path, with the session renewed.
     */
    renewPath: (returnTo: string): string => `/login?renew=1&return_to=${encodeURIComponent(localPath(returnTo))}`,
  };
}

export type RelyingParty = ReturnType<typeof createRelyingParty>;

export function sessionOf(res: Response): AppSession {
  const session = res.locals.rpSession as AppSession | undefined;
  if (!session) throw new Error('sessionOf() used on a route without requireSession');
  return session;
}

/** The portal's error_description as plain text for a page: no control characters, a sane length. */
function portalReason(description: string | undefined): string | undefined {
  const text = description?.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 500);
  return text || undefined;
}

function personName(session: AppSession): string {
  const { name, preferred_username: username } = session.claims;
  return typeof name === 'string' && name ? name : typeof username === 'string' ? username : session.sub;
}

/** A path on this app to return to after sign-in; anything else (absolute, protocol-relative) is "/" (open redirect). */
export function localPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  if (/[\u0000-\u001f]/.test(value) || value.length > 2000) return '/';
  if (value === '/login' || value.startsWith('/login?') || value.startsWith('/callback') || value.startsWith('/logout')) return '/';
  return value;
}
