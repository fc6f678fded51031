import type { Db } from '../db/knex.js';

export interface ClientRow {
  client_id: string;
  name: string;
  app: string | null;
  secret_hash: string | null;
  metadata: string;
  created_at: number;
  /** During a rotation: the old secret's hash, working until `previous_secret_expires_at`. */
  previous_secret_hash?: string | null;
  previous_secret_expires_at?: number | null;
  secret_rotated_at?: number | null;
}

export function createClientQueries(db: Db) {
  return {
    async find(clientId: string): Promise<ClientRow | undefined> {
      return db<ClientRow>('oidc_clients').where({ client_id: clientId }).first();
    },
    async insert(row: ClientRow): Promise<void> {
      await db<ClientRow>('oidc_clients').insert(row);
    },
    /** Creates or updates a client the portal itself owns (its own sign-in). */
    async upsert(row: ClientRow): Promise<void> {
      await db<ClientRow>('oidc_clients').insert(row).onConflict('client_id').merge(['name', 'app', 'secret_hash', 'metadata']);
    },
    /**
     * A new secret; the current one becomes the previous one until `previousExpiresAt` (two live
     * secrets while the app is redeployed). Compare-and-set on the current hash: two rotations at
     * once cannot leave a secret nobody was shown.
     */
    async rotateSecret(clientId: string, expectedHash: string, next: { secretHash: string; metadata: string; previousExpiresAt: number }, now: number): Promise<boolean> {
      const n = await db('oidc_clients').where({ client_id: clientId, secret_hash: expectedHash }).update({
        previous_secret_hash: expectedHash,
        previous_secret_expires_at: next.previousExpiresAt,
        secret_hash: next.secretHash,
        metadata: next.metadata,
        secret_rotated_at: now,
      });
      return n === 1;
    },
    async updateMetadata(clientId: string, name: string, metadata: string): Promise<void> {
      await db('oidc_clients').where({ client_id: clientId }).update({ name, metadata });
    },
    /** Deletes a client; its tokens then fail at once where they are looked up (opaque ones). */
    async remove(clientId: string): Promise<boolean> {
      return (await db('oidc_clients').where({ client_id: clientId }).delete()) === 1;
    },
    async list(): Promise<ClientRow[]> {
      return db<ClientRow>('oidc_clients').orderBy('name');
    },
  };
}

export type ClientQueries = ReturnType<typeof createClientQueries>;
