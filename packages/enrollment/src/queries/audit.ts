import type { Db } from '@portal/db';

/** Syntropi's trail: who, what, which record — ids only, never the form's contents or a secret. */
export function createAuditQueries(db: Db) {
  return {
    async record(entry: { at: number; sub: string; action: string; organization_iis_id?: string | null; enrollment_id?: number | null; exchange_id?: number | null }): Promise<void> {
      await db('enrollment_audit').insert({ organization_iis_id: null, enrollment_id: null, exchange_id: null, ...entry });
    },
    async recent(limit = 100) {
      return db('enrollment_audit').orderBy('id', 'desc').limit(limit).select('*');
    },
  };
}

export type AuditQueries = ReturnType<typeof createAuditQueries>;
