import type { Db } from '@portal/db';

export interface AuditEntry { at: number; sub: string; organization_id: string | null; action: string; client_id?: number | null; details?: string | null }

/** The registry's trail of changes: who, which organization, what, which client. Never the data itself. */
export function createAuditQueries(db: Db) {
  return {
    async record(entry: AuditEntry): Promise<void> {
      await db('registry_audit').insert({ client_id: null, details: null, ...entry });
    },
    /** Several rows in one statement (an HL7 message's client, doses and the message itself), in order. */
    async recordAll(entries: readonly AuditEntry[]): Promise<void> {
      if (entries.length) await db('registry_audit').insert(entries.map((entry) => ({ client_id: null, details: null, ...entry })));
    },
    async ofClient(clientId: number) {
      return db('registry_audit').where({ client_id: clientId }).orderBy('at', 'desc').select('*');
    },
    async recent(limit = 100) {
      return db('registry_audit').orderBy('id', 'desc').limit(limit).select('*');
    },
  };
}

export type AuditQueries = ReturnType<typeof createAuditQueries>;
