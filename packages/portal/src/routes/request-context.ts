import type { Request } from 'express';
import type { AuditContext } from '../libraries/audit.js';

/** Where a request came from, for the audit trail. `req.ip` honours TRUST_PROXY. */
export function auditContext(req: Request, actorUserId?: string | null): AuditContext {
  return { ip: req.ip, userAgent: req.get('user-agent'), actorUserId };
}
