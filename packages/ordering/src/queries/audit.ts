import type { Db } from '@portal/db';

/** VAOS's trail of changes: who, which organization, what, which order or lot. Ids only. */
export function createAuditQueries(db: Db) {
  return {
    async record(entry: { at: number; sub: string; organization_id: string | null; action: string; order_id?: number | null; lot_id?: number | null }): Promise<void> {
      await db('ordering_audit').insert({ order_id: null, lot_id: null, ...entry });
    },
    async recent(limit = 100) {
      return db('ordering_audit').orderBy('id', 'desc').limit(limit).select('*');
    },
  };
}

export type AuditQueries = ReturnType<typeof createAuditQueries>;
