import type { Request, Response } from 'express';
import type { Support } from '../libraries/administration/support.js';
import type { SignedIn, StaffActor } from './signed-in.js';
import { PortalError, messageFor } from '../libraries/errors.js';
import type { UserSearchField, UserSearchRow } from '../queries/users.js';
import { auditContext } from './request-context.js';

export interface UserSearchView {
  field: UserSearchField;
  text: string;
  results?: { rows: UserSearchRow[]; page: number; more: boolean };
  problems?: string[];
}

const fields: readonly UserSearchField[] = ['username', 'name', 'email', 'org'];

/**
 * The "find a user" page of the help desk and of administration: the query string read, the
 * search run through the support library (which audits it), and a refused search shown with its
 * message. Each console renders the page its own way.
 */
export function searchUsers(support: Support, supportContact: string, render: (view: UserSearchView, who: SignedIn) => string) {
  return async (req: Request, res: Response, who: SignedIn, actor: StaffActor) => {
    const field = typeof req.query.field === 'string' && (fields as readonly string[]).includes(req.query.field) ? (req.query.field as UserSearchField) : 'name';
    const text = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : '';
    if (!text) return res.type('html').send(render({ field, text }, who));
    try {
      const results = await support.search(actor, { field, text, page: req.query.page ?? 1 }, auditContext(req, who.user.id));
      res.type('html').send(render({ field, text, results }, who));
    } catch (err) {
      if (!(err instanceof PortalError) || err.status !== 400) throw err;
      res.status(400).type('html').send(render({ field, text, problems: [messageFor(err.code, { support: supportContact })] }, who));
    }
  };
}
