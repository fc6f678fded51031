import type { Request, Response } from 'express';
import type Provider from 'oidc-provider';
import type { UserQueries, UserRow } from '../queries/users.js';
import type { Csrf } from '../libraries/csrf.js';
import type { PortalConfig } from '../config/index.js';
import type { Clock } from '../libraries/clock.js';
import { passwordExpiry } from '../flows/password-change/change-password.js';
import type { SignedInHeader } from '../views/layout.js';
import { consoleActor, type Actor } from '../libraries/administration/actors.js';
import { PortalError } from '../libraries/errors.js';
import { t } from '../locales/account.js';

type StaffRole = 'helpdesk' | 'admin';
export type StaffActor = Extract<Actor, { kind: 'person' }>;

export interface SignedIn {
  user: UserRow;
  /** The SSO session's id: CSRF tokens on account pages are bound to it. */
  sessionId: string;
  /** For the page header: the name and the Sign Out form's token. */
  header: SignedInHeader;
  /** A CSRF token for a form on this person's pages. */
  csrfToken: string;
  /** How this session was signed in (libraries/assurance.ts): the consoles need AAL2 from staff. */
  acr: string | undefined;
}

/** CSRF binding for every form a signed-in person submits (account pages, Sign Out). */
export const accountBinding = (sessionId: string) => `account:${sessionId}`;

/**
 * Who is signed in to the portal itself: the SSO session oidc-provider keeps (its cookie), read
 * through oidc-provider — an idle or expired session reads as nobody.
 */
export function createSignedIn(deps: { provider: Provider; users: UserQueries; csrf: Csrf; config: PortalConfig; clock: Clock }) {
  const timeout = { idleSeconds: Math.round(deps.config.sessionIdleMinutes * 60), warningSeconds: deps.config.sessionIdleWarningSeconds };
  async function current(req: Request, res: Response): Promise<SignedIn | undefined> {
    const ctx = deps.provider.createContext(req, res);
    const session = await deps.provider.Session.get(ctx);
    if (!session.accountId) return undefined;
    const user = await deps.users.findById(session.accountId);
    if (!user || user.disabled_at) return undefined;
    const csrfToken = deps.csrf.token(accountBinding(session.jti));
    const expiry = passwordExpiry(user, deps.config.passwordPolicy, deps.clock.now());
    const banner = expiry.warn ? t('banner.passwordExpires', { count: expiry.daysLeft }) : undefined;
    return { user, sessionId: session.jti, csrfToken, acr: session.acr, header: { name: user.name, signOutToken: csrfToken, timeout, links: deps.config.links, banner } };
  }

  /** Wraps a handler that needs a signed-in person; others are sent to sign in. */
  function required(handler: (req: Request, res: Response, who: SignedIn) => Promise<unknown>) {
    return async (req: Request, res: Response) => {
      const who = await current(req, res);
      if (!who) return res.redirect(303, '/login');
      res.set('cache-control', 'no-store');
      await handler(req, res, who);
    };
  }

  /**
   * Wraps a handler for staff with one of `roles` (the help desk console, administration): the
   * person as the actor the administration libraries take, which decide again what it may do.
   * Anyone else signed in gets 403 before anything is looked up.
   */
  function staff(roles: readonly StaffRole[], handler: (req: Request, res: Response, who: SignedIn, actor: StaffActor) => Promise<unknown>) {
    return required(async (req, res, who) => {
      await handler(req, res, who, consoleActor(who.user, { acr: who.acr }, deps.config.mfa, roles));
    });
  }

  /** A form's CSRF token, checked on the raw body first: a form refused for its content must still be this person's. */
  function checkFormCsrf(who: SignedIn, req: Request): void {
    const token = (req.body as { csrf?: unknown } | undefined)?.csrf;
    if (!deps.csrf.verify(accountBinding(who.sessionId), typeof token === 'string' ? token : undefined)) throw new PortalError('request.csrf', 403);
  }

  return { current, required, staff, checkFormCsrf };
}

export type SignedInReader = ReturnType<typeof createSignedIn>;
