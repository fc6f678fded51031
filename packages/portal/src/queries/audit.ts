import type { Db } from '../db/knex.js';

export interface AuditEventRow {
  id?: number;
  at: number;
  action: string;
  actor_user_id: string | null;
  subject_user_id: string | null;
  subject: string | null;
  ip: string | null;
  user_agent: string | null;
  details: string | null;
}

export function createAuditQueries(db: Db) {
  return {
    async append(event: AuditEventRow): Promise<void> {
      await db<AuditEventRow>('audit_events').insert(event);
    },
    async recent(filter: { action?: string; subjectUserId?: string; limit?: number } = {}): Promise<AuditEventRow[]> {
      const q = db<AuditEventRow>('audit_events').orderBy('id', 'desc').limit(filter.limit ?? 100);
      if (filter.action) q.where({ action: filter.action });
      if (filter.subjectUserId) q.where({ subject_user_id: filter.subjectUserId });
      return q;
    },
  };
}

export type AuditQueries = ReturnType<typeof createAuditQueries>;
