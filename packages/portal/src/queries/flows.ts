import type { Db } from '../db/knex.js';

export interface FlowRow {
  id: string;
  kind: string;
  state: string;
  user_id: string | null;
  username_key: string | null;
  interaction_uid: string | null;
  data: string;
  attempts: number;
  created_at: number;
  updated_at: number;
  expires_at: number;
}

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
     * Moves a flow from one named state to another only if it is still in the first: two
     * submissions of the same form (double click, replay) cannot both advance it.
     */
    async transition(id: string, from: string, changes: Partial<Pick<FlowRow, 'state' | 'data' | 'user_id' | 'attempts' | 'expires_at'>>, now: number): Promise<boolean> {
      const n = await flows().where({ id, state: from }).andWhere('expires_at', '>', now).update({ ...changes, updated_at: now });
      return n === 1;
    },
    /** Counts a wrong answer atomically and returns the new count. */
    async addAttempt(id: string, now: number): Promise<number> {
      await flows().where({ id }).update({ attempts: db.raw('attempts + 1'), updated_at: now });
      const row = await flows().where({ id }).first('attempts');
      return Number(row?.attempts ?? 0);
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
