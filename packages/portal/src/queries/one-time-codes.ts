import type { Db } from '../db/knex.js';

export interface OneTimeCodeRow {
  user_id: string;
  purpose: string;
  flow_id: string;
  code_hash: string;
  failed_attempts: number;
  expires_at: number;
}

export function createOneTimeCodeQueries(db: Db) {
  const table = () => db<OneTimeCodeRow>('one_time_codes');
  return {
    /** Stores a new code for (user, purpose), replacing any older one: only the newest is valid. */
    async issue(row: Omit<OneTimeCodeRow, 'failed_attempts'>): Promise<void> {
      await table()
        .insert({ ...row, failed_attempts: 0 })
        .onConflict(['user_id', 'purpose'])
        .merge(['flow_id', 'code_hash', 'expires_at', 'failed_attempts']);
    },
    async find(userId: string, purpose: string): Promise<OneTimeCodeRow | undefined> {
      return table().where({ user_id: userId, purpose }).first();
    },
    /** Counts a wrong try atomically; returns the count after it. */
    async addFailure(userId: string, purpose: string): Promise<number> {
      await table().where({ user_id: userId, purpose }).update({ failed_attempts: db.raw('failed_attempts + 1') });
      const row = await table().where({ user_id: userId, purpose }).first('failed_attempts');
      return Number(row?.failed_attempts ?? Infinity);
    },
    /** Single use: the first caller to delete the row owns the code. */
    async consume(userId: string, purpose: string, codeHash: string): Promise<boolean> {
      return (await table().where({ user_id: userId, purpose, code_hash: codeHash }).delete()) === 1;
    },
    async remove(userId: string, purpose: string): Promise<void> {
      await table().where({ user_id: userId, purpose }).delete();
    },
  };
}

export type OneTimeCodeQueries = ReturnType<typeof createOneTimeCodeQueries>;
