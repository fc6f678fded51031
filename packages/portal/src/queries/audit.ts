import type { Knex } from 'knex';
import { isSqlite, type Db } from '../db/knex.js';

export interface AuditEventFields {
  at: number;
  action: string;
  actor_user_id: string | null;
  subject_user_id: string | null;
  subject: string | null;
  ip: string | null;
  user_agent: string | null;
  details: string | null;
}

/** A row's place in the hash chain: `seq` counts 1, 2, 3 … without gaps; `hash` covers the row and its predecessor. */
export interface ChainLink {
  seq: number;
  hash: string;
}

export interface AuditEventRow extends AuditEventFields, ChainLink {
  id: number;
}

/** Computes a new row's place from the current last row's (undefined: the log is empty). */
export type ChainLinker = (previous: ChainLink | undefined, fields: AuditEventFields) => ChainLink;

/** Epoch milliseconds; `from` inclusive, `to` exclusive. */
export interface AuditFilter {
  from?: number | undefined;
  to?: number | undefined;
  action?: string | undefined;
  actorUserId?: string | undefined;
  subjectUserId?: string | undefined;
  ip?: string | undefined;
}

// An arbitrary key of our own ("audt"); nothing else in the portal takes advisory locks.
const chainLockKey = 0x61756474;

export function createAuditQueries(db: Db) {
  const sqlite = isSqlite(db);

  /**
   * Serializes appends across every process sharing the database, until the (outermost)
   * transaction ends: whoever holds it reads the true last row, so no two rows claim the same place.
   */
  async function lockChain(trx: Knex.Transaction): Promise<void> {
    if (sqlite) await trx('audit_append_lock').update({ id: 0 }).whereRaw('0 = 1');
    else await trx.raw('select pg_advisory_xact_lock(?)', [chainLockKey]);
  }

  async function lastLink(trx: Knex.Transaction): Promise<ChainLink | undefined> {
    return trx('audit_events').select('seq', 'hash').orderBy('id', 'desc').first();
  }

  function filtered(q: Knex.QueryBuilder, f: AuditFilter): Knex.QueryBuilder {
    if (f.from !== undefined) q.where('at', '>=', f.from);
    if (f.to !== undefined) q.where('at', '<', f.to);
    if (f.action) q.where('action', f.action);
    if (f.actorUserId) q.where('actor_user_id', f.actorUserId);
    if (f.subjectUserId) q.where('subject_user_id', f.subjectUserId);
    if (f.ip) q.where('ip', f.ip);
    return q;
  }

  return {
    /**
     * Appends one row as the new end of the chain; `link` computes its place from the last row's.
     * A transaction of its own, or a savepoint when the caller's unit of work already runs one.
     */
    async append(fields: AuditEventFields, link: ChainLinker): Promise<void> {
      await db.transaction(async (trx) => {
        await lockChain(trx);
        await trx('audit_events').insert({ ...fields, ...link(await lastLink(trx), fields) });
      });
    },

    /**
     * The retention purge, the only delete of audit rows: removes the oldest rows up to the first one
     * recorded at or after `before` (always a prefix of the chain, so what stays is still one chain)
     * and, in the same transaction, appends the row `record` describes. Nothing to remove: nothing happens.
     */
    async purgeBefore(
      before: number,
      record: (purged: { deleted: number; through: ChainLink }) => AuditEventFields,
      link: ChainLinker,
    ): Promise<{ deleted: number; through: ChainLink } | undefined> {
      return db.transaction(async (trx) => {
        await lockChain(trx);
        const firstKept = await trx('audit_events').select('id').where('at', '>=', before).orderBy('at').orderBy('id').first();
        const boundary: (ChainLink & { id: number }) | undefined = await trx('audit_events')
          .select('id', 'seq', 'hash')
          .modify((q) => (firstKept ? q.where('id', '<', firstKept.id) : q))
          .orderBy('id', 'desc')
          .first();
        if (!boundary) return undefined;
        const deleted = await trx('audit_events').where('id', '<=', boundary.id).del();
        const through = { seq: Number(boundary.seq), hash: boundary.hash };
        const fields = record({ deleted, through });
        // Everything purged: the new row follows the last purged one.
        await trx('audit_events').insert({ ...fields, ...link((await lastLink(trx)) ?? through, fields) });
        return { deleted, through };
      });
    },

    async maxId(): Promise<number | undefined> {
      const row = await db('audit_events').max({ id: 'id' }).first();
      return row?.id == null ? undefined : Number(row.id);
    },

    async first(): Promise<AuditEventRow | undefined> {
      return db('audit_events').orderBy('id').first();
    },

    async idOfSeq(seq: number): Promise<number | undefined> {
      const row = await db('audit_events').select('id').where({ seq }).first();
      return row ? Number(row.id) : undefined;
    },

    /** The rows written by retention purges, newest first: each names where the chain it left begins. */
    async purgeRecords(): Promise<AuditEventRow[]> {
      return db('audit_events').where({ action: 'audit.purge' }).orderBy('id', 'desc');
    },

    /** Oldest first, after `afterId` and up to `maxId`: for walking the whole log (or a filtered part) in batches. */
    async pageAfter(afterId: number, limit: number, maxId: number, filter: AuditFilter = {}): Promise<AuditEventRow[]> {
      return filtered(db('audit_events').where('id', '>', afterId).andWhere('id', '<=', maxId), filter).orderBy('id').limit(limit);
    },

    /** Newest first, before `beforeId` when given. */
    async search(filter: AuditFilter, limit: number, beforeId?: number): Promise<AuditEventRow[]> {
      const q = filtered(db('audit_events'), filter);
      if (beforeId !== undefined) q.where('id', '<', beforeId);
      return q.orderBy('id', 'desc').limit(limit);
    },

    async recent(filter: { action?: string; subjectUserId?: string; limit?: number } = {}): Promise<AuditEventRow[]> {
      const q = db<AuditEventRow>('audit_events').orderBy('id', 'desc').limit(filter.limit ?? 100);
      if (filter.action) q.where({ action: filter.action });
      if (filter.subjectUserId) q.where({ subject_user_id: filter.subjectUserId });
      return q;
    },
  };
}

export type AuditQueries = ReturnType<typeof createAuditQueries>;
