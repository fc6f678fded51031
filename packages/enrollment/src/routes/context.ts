import { type RequestHandler, type Response } from 'express';
import { type AppSession, type FormHandler, type RelyingParty, type SafeHtml } from '@portal/rp-kit';
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

/** A form post: rp-kit's, CSRF-checked against the session, each field once. */
export function formPost(ctx: Context, handler: FormHandler): RequestHandler[] {
  return ctx.rp.formPost(handler);
}

export { csrfField } from '@portal/rp-kit';
