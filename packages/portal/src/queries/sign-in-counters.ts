import type { Db } from '../db/knex.js';
import { usernameKey } from './users.js';

export interface SignInCounterRow {
  username_key: string;
  failures: number;
  locked_at: number | null;
  updated_at: number;
}

/**
 * Failed sign-ins per username (SPEC §3.2), in the database so every instance shares them.
 * An attempt is *reserved* — counted as a failure — before the password is checked, in one atomic
 * upsert; a success then clears it. So N parallel guesses get attempt numbers 1…N and only the first
 * six can ever reach a password check.
 */
export function createSignInCounterQueries(db: Db) {
  const table = () => db<SignInCounterRow>('sign_in_counters');
  return {
    async find(username: string): Promise<SignInCounterRow | undefined> {
      return table().where({ username_key: usernameKey(username) }).first();
    },
    /** Counts one more attempt and returns the new count and whether the name is locked. */
    async reserveAttempt(username: string, now: number): Promise<{ failures: number; locked: boolean }> {
      const rows = await table()
        .insert({ username_key: usernameKey(username), failures: 1, locked_at: null, updated_at: now })
        .onConflict('username_key')
        .merge({ failures: db.raw('sign_in_counters.failures + 1'), updated_at: now })
        .returning(['failures', 'locked_at']);
      const row = rows[0]!;
      return { failures: Number(row.failures), locked: row.locked_at !== null };
    },
    async lock(username: string, now: number): Promise<void> {
      await table().where({ username_key: usernameKey(username) }).whereNull('locked_at').update({ locked_at: now, updated_at: now });
    },
    /** Gives back one reserved attempt that turned out not to be a failure (a right password, a code still owed). */
    async release(username: string, now: number): Promise<void> {
      await table().where({ username_key: usernameKey(username) }).andWhere('failures', '>', 0).update({ failures: db.raw('failures - 1'), updated_at: now });
    },
    /** Clears failures and any lock; returns whether there was anything to clear. */
    async clear(username: string): Promise<boolean> {
      return (await table().where({ username_key: usernameKey(username) }).delete()) > 0;
    },
  };
}

export type SignInCounterQueries = ReturnType<typeof createSignInCounterQueries>;
