import type { Db } from '../db/knex.js';

export function createPasswordHistoryQueries(db: Db) {
  return {
    /** The user's most recent password hashes, newest first (the current one included). */
    async recent(userId: string, limit: number): Promise<string[]> {
      const rows = await db('password_history').where({ user_id: userId }).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).select('password_hash');
      return rows.map((r: { password_hash: string }) => r.password_hash);
    },
    async add(userId: string, passwordHash: string, now: number, trx: Db = db): Promise<void> {
      await trx('password_history').insert({ user_id: userId, password_hash: passwordHash, created_at: now });
    },
  };
}

export type PasswordHistoryQueries = ReturnType<typeof createPasswordHistoryQueries>;
