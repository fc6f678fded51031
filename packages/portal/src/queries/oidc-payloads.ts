import type { Db } from '../db/knex.js';

export interface PayloadRow {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  account_id: string | null;
  expires_at: number | null;
  consumed_at: number | null;
  created_at: number | null;
  last_active_at: number | null;
}

export interface StoredPayload {
  payload: Record<string, unknown>;
  expiresAt: number | null;
  consumedAt: number | null;
  createdAt: number | null;
  lastActiveAt: number | null;
}

/** Storage for oidc-provider's models: one table, keyed by (model, id). */
export function createOidcPayloadQueries(db: Db) {
  const table = () => db<PayloadRow>('oidc_payloads');
  const toStored = (row: PayloadRow | undefined): StoredPayload | undefined =>
    row && {
      payload: JSON.parse(row.payload) as Record<string, unknown>,
      expiresAt: row.expires_at == null ? null : Number(row.expires_at),
      consumedAt: row.consumed_at == null ? null : Number(row.consumed_at),
      createdAt: row.created_at == null ? null : Number(row.created_at),
      lastActiveAt: row.last_active_at == null ? null : Number(row.last_active_at),
    };

  return {
    /** Insert or update; `created_at` is kept from the first write, `last_active_at` moves with each save. */
    async upsert(row: Omit<PayloadRow, 'consumed_at'>): Promise<void> {
      await table()
        .insert({ ...row, consumed_at: null })
        .onConflict(['model', 'id'])
        .merge(['payload', 'grant_id', 'user_code', 'uid', 'account_id', 'expires_at', 'last_active_at']);
    },
    async touch(model: string, id: string, now: number): Promise<void> {
      await table().where({ model, id }).update({ last_active_at: now });
    },
    /** Sessions idle since `idleBefore` or created before `createdBefore`: due to be ended. */
    async findStale(model: string, idleBefore: number, createdBefore: number): Promise<{ id: string; payload: Record<string, unknown> }[]> {
      const rows = await table()
        .where({ model })
        .andWhere((q) => q.where('last_active_at', '<', idleBefore).orWhere('created_at', '<', createdBefore))
        .select('id', 'payload')
        .limit(500);
      return rows.map((r) => ({ id: r.id, payload: JSON.parse(r.payload) as Record<string, unknown> }));
    },
    async find(model: string, id: string): Promise<StoredPayload | undefined> {
      return toStored(await table().where({ model, id }).first());
    },
    async findBy(model: string, column: 'uid' | 'user_code', value: string): Promise<StoredPayload | undefined> {
      return toStored(await table().where({ model, [column]: value }).first());
    },
    async consume(model: string, id: string, now: number): Promise<void> {
      await table().where({ model, id }).update({ consumed_at: now });
    },
    async destroy(model: string, id: string): Promise<void> {
      await table().where({ model, id }).delete();
    },
    /** Revoking a grant removes every token, code and session-bound artefact that belongs to it. */
    async destroyByGrantId(grantId: string): Promise<void> {
      await table().where({ grant_id: grantId }).delete();
    },
    /** Live payloads of one model for an account (e.g. every Session of a user). */
    async findByAccount(model: string, accountId: string, now: number, options: { createdBefore?: number } = {}): Promise<{ id: string; payload: Record<string, unknown> }[]> {
      const q = table()
        .where({ model, account_id: accountId })
        .andWhere((w) => w.whereNull('expires_at').orWhere('expires_at', '>', now));
      // Rows stored before activity was recorded have no created_at: they are older than anything.
      if (options.createdBefore !== undefined) q.andWhere((w) => w.whereNull('created_at').orWhere('created_at', '<=', options.createdBefore!));
      const rows = await q.select('id', 'payload');
      return rows.map((r) => ({ id: r.id, payload: JSON.parse(r.payload) as Record<string, unknown> }));
    },
    async deleteExpired(now: number): Promise<number> {
      return table().where('expires_at', '<', now).delete();
    },
  };
}

export type OidcPayloadQueries = ReturnType<typeof createOidcPayloadQueries>;
