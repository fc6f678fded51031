import type { Db } from '../db/knex.js';
import { usernameKey } from './users.js';

export interface SignInCounterRow {
  username_key: string;
  failures: number;
  locked_at: number | null;
  updated_at: number;
}

export function createSignInCounterQueries(db: Db) {
  const table = () => db<SignInCounterRow>('sign_in_counters');
  return {
    async find(username: string): Promise<SignInCounterRow | undefined> {
      return table().where({ username_key: usernameKey(username) }).first();
    },
    /** Clears failures and any lock; returns whether there was anything to clear. */
    async clear(username: string): Promise<boolean> {
      return (await table().where({ username_key: usernameKey(username) }).delete()) > 0;
    },
  };
}

export type SignInCounterQueries = ReturnType<typeof createSignInCounterQueries>;
