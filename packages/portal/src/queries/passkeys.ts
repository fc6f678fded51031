import type { Db } from '../db/knex.js';

export interface PasskeyRow {
  id: string;
  user_id: string;
  credential_id: string;
  public_key: string;
  counter: number | string;
  transports: string | null;
  name: string;
  aaguid: string;
  device_type: string;
  backed_up: boolean | number;
  created_at: number | string;
  last_used_at: number | string | null;
}

export function createPasskeyQueries(db: Db) {
  const passkeys = () => db<PasskeyRow>('passkeys');
  return {
    async listFor(userId: string): Promise<PasskeyRow[]> {
      return passkeys().where({ user_id: userId }).orderBy('created_at', 'asc').orderBy('id', 'asc');
    },
    async findByCredentialId(credentialId: string): Promise<PasskeyRow | undefined> {
      return passkeys().where({ credential_id: credentialId }).first();
    },
    async insert(row: PasskeyRow): Promise<void> {
      await passkeys().insert(row);
    },
    /**
     * Records a verified assertion: the counter moves from what was read to what the authenticator
     * said, only if nobody moved it meanwhile (two assertions racing; one wins). Authenticators that
     * do not count send 0 every time, and then only the single-use challenge stops a replay.
     */
    async recordUse(id: string, fromCounter: number, toCounter: number, backedUp: boolean, now: number): Promise<boolean> {
      return (await passkeys().where({ id, counter: fromCounter }).update({ counter: toCounter, backed_up: backedUp, last_used_at: now })) === 1;
    },
    /** Removes one of this person's passkeys: an id of someone else's removes nothing. */
    async remove(userId: string, id: string): Promise<boolean> {
      return (await passkeys().where({ user_id: userId, id }).delete()) === 1;
    },
    async removeAll(userId: string): Promise<number> {
      return passkeys().where({ user_id: userId }).delete();
    },
  };
}

export type PasskeyQueries = ReturnType<typeof createPasskeyQueries>;
