import type { Db } from '../db/knex.js';

export interface ClientRow {
  client_id: string;
  name: string;
  app: string | null;
  secret_hash: string | null;
  metadata: string;
  created_at: number;
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
    async list(): Promise<ClientRow[]> {
      return db<ClientRow>('oidc_clients').orderBy('name');
    },
  };
}

export type ClientQueries = ReturnType<typeof createClientQueries>;
