import type { Db } from '../db/knex.js';

export interface SigningKeyRow {
  kid: string;
  private_jwk: string;
  created_at: number;
}

export function createKeyQueries(db: Db) {
  return {
    /** Newest first: oidc-provider signs with the first key of a matching algorithm. */
    async listSigningKeys(): Promise<SigningKeyRow[]> {
      return db<SigningKeyRow>('signing_keys').orderBy('created_at', 'desc').orderBy('kid', 'desc');
    },
    async insertSigningKey(row: SigningKeyRow): Promise<void> {
      await db<SigningKeyRow>('signing_keys').insert(row);
    },
    async getSecret(name: string): Promise<string | undefined> {
      const row = await db('portal_secrets').where({ name }).first();
      return row?.value;
    },
    /** Insert-if-absent, then read back: two instances starting together agree on one value. */
    async ensureSecret(name: string, value: string, now: number): Promise<string> {
      await db('portal_secrets').insert({ name, value, created_at: now }).onConflict('name').ignore();
      const row = await db('portal_secrets').where({ name }).first();
      return row.value;
    },
  };
}

export type KeyQueries = ReturnType<typeof createKeyQueries>;
