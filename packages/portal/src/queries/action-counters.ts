import type { Db } from '../db/knex.js';

/**
 * Fixed-window counters for actions that must be limited across instances (caller verification per
 * target and per agent). One upsert counts and returns the count, so the limit holds under bursts.
 */
export function createActionCounterQueries(db: Db) {
  return {
    async hit(key: string, windowStart: number): Promise<number> {
      const rows = await db('action_counters')
        .insert({ key, window_start: windowStart, count: 1 })
        .onConflict(['key', 'window_start'])
        .merge({ count: db.raw('action_counters.count + 1') })
        .returning(['count']);
      return Number((rows[0] as { count: number }).count);
    },
    /** Counts one hit on each key in one statement (shared rate limits: one round trip a request). */
    async hitMany(keys: readonly string[], windowStart: number): Promise<number[]> {
      const rows = (await db('action_counters')
        .insert(keys.map((key) => ({ key, window_start: windowStart, count: 1 })))
        .onConflict(['key', 'window_start'])
        .merge({ count: db.raw('action_counters.count + 1') })
        .returning(['key', 'count'])) as { key: string; count: number }[];
      const byKey = new Map(rows.map((r) => [r.key, Number(r.count)]));
      return keys.map((k) => byKey.get(k) ?? 0);
    },
    async deleteBefore(windowStart: number): Promise<number> {
      return db('action_counters').where('window_start', '<', windowStart).delete();
    },
  };
}

export type ActionCounterQueries = ReturnType<typeof createActionCounterQueries>;
