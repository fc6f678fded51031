import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { html, RpError, type AppSession, type RelyingParty, type SafeHtml } from '@portal/rp-kit';
import { isStateReviewer, type Actor } from '../libraries/access.js';
import { syntropiPage } from '../views/layout.js';

export interface Context {
  rp: RelyingParty;
}

export function personName(session: AppSession): string {
  const { name, preferred_username: username } = session.claims;
  return typeof name === 'string' && name ? name : typeof username === 'string' ? username : session.sub;
}

/** Every Syntropi page: a live session, and the actor from its claims (organizations included). */
export function guard(ctx: Context): RequestHandler[] {
  const actor: RequestHandler = (_req, res, next) => {
    const session = ctx.rp.sessionOf(res);
    const email = typeof session.claims.email === 'string' && session.claims.email ? session.claims.email : null;
    res.locals.actor = { sub: session.sub, name: personName(session), email, orgs: ctx.rp.orgsOf(session) } satisfies Actor;
    next();
  };
  return [ctx.rp.requireSession, actor];
}

export function actorOf(res: Response): Actor {
  const actor = res.locals.actor as Actor | undefined;
  if (!actor) throw new Error('actorOf() used on a route without guard');
  return actor;
}

/** A Syntropi page: rp-kit's frame, with the Enterprise Portal link on the right side (seed 004). */
export function render(ctx: Context, res: Response, page: { title: string; body: SafeHtml; status?: number }): void {
  const actor = actorOf(res);
  ctx.rp.render(res, { title: page.title, status: page.status, body: syntropiPage({ portalUrl: ctx.rp.portalUrl, reviewer: isStateReviewer(actor), body: page.body }) });
}

const parseForm = express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 60 });

/** A form post: parsed (small bodies only), CSRF-checked against the session, then handled. */
export function formPost(ctx: Context, handler: (req: Request, res: Response, body: Record<string, string>) => Promise<void>): RequestHandler[] {
  return [
    parseForm,
    async (req: Request, res: Response, next: NextFunction) => {
      const raw = (req.body ?? {}) as Record<string, unknown>;
      // CSRF: every POST carries the session's token, checked before anything changes.
      if (!ctx.rp.verifyCsrf(ctx.rp.sessionOf(res), raw.csrf)) return next(new RpError('request.csrf', 403));
      // One value per field: a repeated field is a malformed form, not a list to pick from.
      const body: Record<string, string> = {};
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string') return next(new RpError('request.invalid', 400));
        body[k] = v;
      }
      await handler(req, res, body);
    },
  ];
}

/** The hidden CSRF field every form carries (bound to the app session). */
export function csrfField(res: Response): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${(res.locals.rpSession as AppSession).csrfToken}">`;
}
