import type { Db } from '../db/knex.js';

export interface FlowRow {
  id: string;
  kind: string;
  state: string;
  version: number;
  user_id: string | null;
  username_key: string | null;
  interaction_uid: string | null;
  data: string;
  attempts: number;
  secret_hash: string | null;
  secret_expires_at: number | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
}

export type FlowChanges = Partial<Pick<FlowRow, 'state' | 'data' | 'user_id' | 'username_key' | 'secret_hash' | 'secret_expires_at'>>;

export function createFlowQueries(db: Db) {
  const flows = () => db<FlowRow>('flows');
  return {
    async insert(row: FlowRow): Promise<void> {
      await flows().insert(row);
    },
    async find(id: string): Promise<FlowRow | undefined> {
      return flows().where({ id }).first();
    },
    async findByInteraction(kind: string, interactionUid: string): Promise<FlowRow | undefined> {
      return flows().where({ kind, interaction_uid: interactionUid }).orderBy('created_at', 'desc').first();
    },
    /**
     * Compare-and-set: moves a flow only if it is still in the state and version it was read in.
     * Of two submissions racing (double click, two tabs, a replay, two instances) exactly one gets
     * the row; in PostgreSQL the other waits on the row lock and then matches nothing.
     */
    async transition(id: string, from: { state: string; version: number }, changes: FlowChanges, now: number): Promise<boolean> {
      const n = await flows()
        .where({ id, state: from.state, version: from.version })
        .andWhere('expires_at', '>', now)
        .update({ ...changes, version: db.raw('version + 1'), updated_at: now });
      return n === 1;
    },
    /**
     * Reserves one try at the flow's secret (a code, answers) before it is compared: one statement
     * counts it only while the count is under the limit, so a burst from any number of instances
     * gets at most `limit` compares. Returns the try's number and the secret as it is now (a newer
     * code elsewhere may have cleared it), or undefined when no try is left.
     */
    async reserveTry(id: string, state: string, limit: number, now: number): Promise<{ attempt: number; secretHash: string | null; secretExpiresAt: number | null } | undefined> {
      const rows = await flows()
        .where({ id, state })
        .andWhere('attempts', '<', limit)
        .andWhere('expires_at', '>', now)
        .update({ attempts: db.raw('attempts + 1'), updated_at: now })
        .returning(['attempts', 'secret_hash', 'secret_expires_at']);
      const row = rows[0];
      if (!row) return undefined;
      return { attempt: Number(row.attempts), secretHash: row.secret_hash ?? null, secretExpiresAt: row.secret_expires_at == null ? null : Number(row.secret_expires_at) };
    },
    /** Only the newest code counts: a new one clears those of other flows of the kind for the username. */
    async clearOtherSecrets(kind: string, usernameKey: string, keepId: string, now: number): Promise<void> {
      await flows().where({ kind, username_key: usernameKey }).whereNot({ id: keepId }).whereNotNull('secret_hash').update({ secret_hash: null, secret_expires_at: null, updated_at: now });
    },
    async setSecret(id: string, secretHash: string | null, secretExpiresAt: number | null, now: number): Promise<void> {
      await flows().where({ id }).update({ secret_hash: secretHash, secret_expires_at: secretExpiresAt, updated_at: now });
    },
    async remove(id: string): Promise<void> {
      await flows().where({ id }).delete();
    },
    async deleteExpired(now: number): Promise<number> {
      return flows().where('expires_at', '<', now).delete();
    },
  };
}

export type FlowQueries = ReturnType<typeof createFlowQueries>;
