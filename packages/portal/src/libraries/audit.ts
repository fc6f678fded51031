import type { AuditQueries } from '../queries/audit.js';
import type { Clock } from './clock.js';

export interface AuditContext {
  ip?: string | undefined;
  userAgent?: string | undefined;
  actorUserId?: string | null | undefined;
}

export interface AuditEvent {
  action: string;
  subjectUserId?: string | null;
  /** What the event was about when it is not a user (a client id, an org code, a username tried). */
  subject?: string | null;
  /** Never a secret: callers pass ids, names and reasons only. */
  details?: Record<string, unknown>;
}

/** The append-only audit trail: who, whom, what, when, from where (SPEC §3.10). */
export function createAudit(deps: { queries: AuditQueries; clock: Clock }) {
  return {
    async record(event: AuditEvent, context: AuditContext = {}): Promise<void> {
      await deps.queries.append({
        at: deps.clock.now(),
        action: event.action,
        actor_user_id: context.actorUserId ?? null,
        subject_user_id: event.subjectUserId ?? null,
        subject: event.subject?.slice(0, 200) ?? null,
        ip: context.ip?.slice(0, 64) ?? null,
        user_agent: context.userAgent?.slice(0, 300) ?? null,
        details: event.details ? JSON.stringify(event.details) : null,
      });
    },
  };
}

export type Audit = ReturnType<typeof createAudit>;
