import { type RequestHandler, type Response } from 'express';
import { RpError, type AppSession, type FormHandler, type OrgAccess, type RelyingParty } from '@portal/rp-kit';
import { t } from '../locales.js';
import { coordinatedOrgs, isStateStaff, type Actor } from '../libraries/access.js';
import type { Inventory } from '../libraries/inventory.js';
import type { Orders } from '../libraries/orders.js';
import type { CatalogueQueries } from '../queries/catalogue.js';
import { workspace, type WorkspacePage } from '../views/layout.js';

/** What VAOS keeps in the person's app session (rp-kit stores it server-side). */
export interface OrderingSessionData {
  /** The organization chosen on /choose (its TX IIS ID), when the person coordinates several. */
  activeOrg?: string;
}

export interface Context {
  rp: RelyingParty;
  orders: Orders;
  inventory: Inventory;
  catalogue: CatalogueQueries;
}

export function personName(session: AppSession): string {
  const { name, preferred_username: username } = session.claims;
  return typeof name === 'string' && name ? name : typeof username === 'string' ? username : session.sub;
}

export function actorFromSession(rp: RelyingParty, session: AppSession): Actor {
  return { sub: session.sub, name: personName(session), orgs: rp.orgsOf(session) };
}

/** The organization this session works for: the one chosen, or the only one the person coordinates. */
export function activeOrgOf(rp: RelyingParty, session: AppSession): OrgAccess | undefined {
  const mine = coordinatedOrgs(rp.orgsOf(session));
  const chosen = (session.data as OrderingSessionData).activeOrg;
  return mine.find((o) => o.iis_id === chosen) ?? (mine.length === 1 ? mine[0] : undefined);
}

/**
 * Guards every page of VAOS: a live session, a coordinator somewhere (the portal checked already;
 * this is the app's own check, not trust in the portal alone), then an organization chosen. A GET
 * without one goes to /choose; anything else is refused.
 */
export function requireWorkspace(ctx: Context, coordinatorOnly: RequestHandler): RequestHandler[] {
  const { rp } = ctx;
  const check: RequestHandler = (req, res, next) => {
    const session = rp.sessionOf(res);
    const org = activeOrgOf(rp, session);
    if (!org) {
      if (req.method === 'GET') return res.redirect(302, '/choose');
      return next(new RpError('access.denied', 403, { title: t('choose.title'), message: t('access.chooseFirst') }));
    }
    res.locals.actor = actorFromSession(rp, session);
    res.locals.org = org;
    next();
  };
  return [rp.requireSession, coordinatorOnly, check];
}

export function actorOf(res: Response): Actor {
  const actor = res.locals.actor as Actor | undefined;
  if (!actor) throw new Error('actorOf() used on a route without requireWorkspace');
  return actor;
}

export function orgOf(res: Response): OrgAccess {
  return res.locals.org as OrgAccess;
}

/** Renders a page of VAOS: the menu, who and for whom, the content. */
export function renderWorkspace(ctx: Context, res: Response, page: WorkspacePage & { status?: number }): void {
  const actor = actorOf(res);
  ctx.rp.render(res, { title: page.title, status: page.status, body: workspace({ org: orgOf(res), stateStaff: isStateStaff(actor), several: coordinatedOrgs(actor.orgs).length > 1 }, page) });
}

// The order form has one field per catalogue row; 80 leaves room for an operator's additions.
/** A form post: rp-kit's, CSRF-checked against the session, each field once. */
export function formPost(ctx: Context, handler: FormHandler): RequestHandler[] {
  return ctx.rp.formPost(handler, { bodyBytes: '16kb', fields: 80 });
}

export { csrfField } from '@portal/rp-kit';
