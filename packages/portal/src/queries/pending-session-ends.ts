import type { Db } from '../db/knex.js';

export interface PendingSessionEndRow {
  id?: number;
  user_id: string;
  reason: string;
  requested_at: number;
  keep_session_id: string | null;
}

/** Session endings a committed change owes (a reset, a disabled account): the outbox of sessions.ts. */
export function createPendingSessionEndQueries(db: Db) {
  const table = () => db<PendingSessionEndRow>('pending_session_ends');
  return {
    async add(row: Omit<PendingSessionEndRow, 'id'>): Promise<number> {
      const [inserted] = await table().insert(row).returning(['id']);
      return Number((inserted as { id: number }).id);
    },
    async find(id: number): Promise<PendingSessionEndRow | undefined> {
      return table().where({ id }).first();
    },
    /** Requests older than `before`: their process died before carrying them out. */
    async due(before: number, limit = 100): Promise<PendingSessionEndRow[]> {
      return table().where('requested_at', '<', before).orderBy('id').limit(limit);
    },
    async remove(id: number): Promise<void> {
      await table().where({ id }).delete();
    },
  };
}

export type PendingSessionEndQueries = ReturnType<typeof createPendingSessionEndQueries>;
