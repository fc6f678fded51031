import { type RequestHandler, type Response } from 'express';
import { RpError, type AppSession, type FormHandler, type OrgAccess, type RelyingParty } from '@portal/rp-kit';
import type { Actor } from '../libraries/access.js';
import { statementVersion } from '../libraries/statement.js';
import type { OrganizationQueries } from '../queries/organizations.js';
import { workspace, type WorkspacePage } from '../views/layout.js';

/** What ImmTrac2 keeps in the person's app session (rp-kit stores it server-side). */
export interface RegistrySessionData {
  /** The Confidentiality Statement version agreed to (also recorded in the database). */
  statementVersion?: string;
  /** The organization chosen on the landing screen (its TX IIS ID). */
  activeOrg?: string;
  /** The pandemic message's "OK", once per session. */
  pandemicOk?: boolean;
}

export interface Context {
  rp: RelyingParty;
  orgs: OrganizationQueries;
  saveSessionData(session: AppSession, patch: RegistrySessionData): Promise<void>;
}

export const dataOf = (session: AppSession) => session.data as RegistrySessionData;

/** The person's organization for this session, only ever one of their own claims. */
export function activeOrgOf(rp: RelyingParty, session: AppSession): OrgAccess | undefined {
  const chosen = dataOf(session).activeOrg;
  return chosen ? rp.orgsOf(session).find((o) => o.iis_id === chosen) : undefined;
}

/** The next screen of seed 004's journey a person has not passed yet, or undefined: go on. */
export function nextStep(rp: RelyingParty, session: AppSession): string | undefined {
  const data = dataOf(session);
  if (data.statementVersion !== statementVersion) return '/statement';
  if (!activeOrgOf(rp, session)) return '/landing';
  if (!data.pandemicOk) return '/pandemic';
  return undefined;
}

/**
 * Guards every function of the application view: a live session, then the journey (statement,
 * organization, pandemic message) passed. A GET is sent to the step it missed; anything else is
 * refused, so no form can be posted around the Confidentiality Statement.
 */
export function requireWorkspace(ctx: Context): RequestHandler[] {
  const { rp, orgs } = ctx;
  const check: RequestHandler = async (req, res, next) => {
    const session = rp.sessionOf(res);
    const step = nextStep(rp, session);
    if (step) {
      if (req.method === 'GET') return res.redirect(302, step);
      return next(new RpError('access.denied', 403, { title: 'Confidentiality Statement', message: 'Please sign in to ImmTrac2 again and agree to the Confidentiality Statement first.' }));
    }
    const org = activeOrgOf(rp, session)!;
    const row = await orgs.find(org.iis_id);
    const actor: Actor = { sub: session.sub, name: personName(session), org, region: row?.region ?? null };
    res.locals.actor = actor;
    next();
  };
  return [rp.requireSession, check];
}

export function actorOf(res: Response): Actor {
  const actor = res.locals.actor as Actor | undefined;
  if (!actor) throw new Error('actorOf() used on a route without requireWorkspace');
  return actor;
}

export function personName(session: AppSession): string {
  const { name, preferred_username: username } = session.claims;
  return typeof name === 'string' && name ? name : typeof username === 'string' ? username : session.sub;
}

/** Renders a page of the application view: menu bar, menu panel by role, the content. */
export function renderWorkspace(ctx: Context, res: Response, page: WorkspacePage & { status?: number }): void {
  ctx.rp.render(res, { title: page.title, status: page.status, body: workspace(actorOf(res), page, ctx.rp.portalUrl) });
}

/** A form post: rp-kit's, CSRF-checked against the session, each field once. */
export function formPost(ctx: Context, handler: FormHandler): RequestHandler[] {
  return ctx.rp.formPost(handler);
}

export { csrfField } from '@portal/rp-kit';
