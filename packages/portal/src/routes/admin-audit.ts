import express, { type Router } from 'express';
import type Provider from 'oidc-provider';
import type { PortalConfig } from '../config/index.js';
import type { Csrf } from '../libraries/csrf.js';
import type { Clock } from '../libraries/clock.js';
import { PortalError, messageFor } from '../libraries/errors.js';
import type { UserQueries } from '../queries/users.js';
import type { AuditLog, AuditQueryInput } from '../libraries/administration/audit-log.js';
import { auditSearchPage } from '../views/admin-audit.js';
import { auditContext } from './request-context.js';
import { createSignedIn } from './signed-in.js';

const filterNames = ['from', 'to', 'action', 'actor', 'subject', 'ip'] as const;

function filtersOf(query: Record<string, unknown>): AuditQueryInput {
  const filters: AuditQueryInput = {};
  for (const name of filterNames) {
    const value = query[name];
    if (typeof value === 'string' && value.trim()) filters[name] = value.slice(0, 200);
  }
  return filters;
}

/**
 * The audit log's search page and CSV export for administrators (issue #8). Reads only: GET, no
 * CSRF needed; each search and export is recorded by the library.
 */
export function createAdminAuditRoutes(deps: { config: PortalConfig; provider: Provider; csrf: Csrf; users: UserQueries; clock: Clock; auditLog: AuditLog }): Router {
  const { config } = deps;
  const router = express.Router();
  const signedIn = createSignedIn({ provider: deps.provider, users: deps.users, csrf: deps.csrf, config, clock: deps.clock });
  // Staff get as far as the library, which lets only holders of audit:read (administrators) read.
  const staff = (handler: Parameters<typeof signedIn.staff>[1]) => signedIn.staff(['helpdesk', 'admin'], handler);

  router.get(
    '/admin/audit',
    staff(async (req, res, who, actor) => {
      const filters = filtersOf(req.query);
      const view = { header: who.header, supportContact: config.supportContact, timeZone: config.mail.timeZone, filters };
      try {
        const before = typeof req.query.before === 'string' ? Number(req.query.before) : undefined;
        // The page opens on the newest entries; any filter narrows them.
        const result = await deps.auditLog.search(actor, filters, { before }, auditContext(req, who.user.id));
        res.type('html').send(auditSearchPage({ ...view, events: result.events, nextBefore: result.nextBefore }));
      } catch (err) {
        if (!(err instanceof PortalError) || err.status !== 400) throw err;
        res.status(400).type('html').send(auditSearchPage({ ...view, problems: [messageFor(err.code, { support: config.supportContact, ...err.params })] }));
      }
    }),
  );

  router.get(
    '/admin/audit/export.csv',
    staff(async (req, res, who, actor) => {
      // Checked and filtered before the first byte, so a refusal is a proper error page.
      const rows = await deps.auditLog.export(actor, filtersOf(req.query), 'csv', auditContext(req, who.user.id));
      res.status(200).set({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="audit-log.csv"', 'cache-control': 'no-store' });
      for await (const chunk of rows) {
        if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end();
    }),
  );

  return router;
}
