import { createHash } from 'node:crypto';
import type { AuditEventFields, AuditQueries, ChainLink } from '../queries/audit.js';
import type { Clock } from './clock.js';

export type { ChainLink } from '../queries/audit.js';

export interface AuditContext {
  ip?: string | undefined;
  userAgent?: string | undefined;
  actorUserId?: string | null | undefined;
}

export interface AuditEvent {
  action: string;
  subjectUserId?: string | null;
  /** What the event was about when it is not a user (a client id, an org code, a username tried). */
  subject?: string | null;
  /** Never a secret: callers pass ids, names and reasons only. */
  details?: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// The hash chain (issue 8 §5). Anyone can recompute it, so it shows edits, removals and reordering
// to whoever verifies; an administrator who rewrites the whole chain from some row on is caught only
// against a head recorded earlier (`audit:verify --head`, docs/security.md).

/** The "previous hash" of the very first row. */
export const genesisHash = '0'.repeat(64);

/**
 * The fields a row's hash covers, in a fixed order, as JSON: unambiguous and the same on every
 * database. A column added later goes at the end, and only when it is set, so old rows keep verifying.
 */
function canonical(seq: number, row: AuditEventFields): string {
  return JSON.stringify([seq, Number(row.at), row.action, row.actor_user_id, row.subject_user_id, row.subject, row.ip, row.user_agent, row.details]);
}

/** The place and hash of `row` when it follows `previous` (undefined: it is the first row). */
export function chainLink(previous: ChainLink | undefined, row: AuditEventFields): ChainLink {
  const seq = Number(previous?.seq ?? 0) + 1;
  const hash = createHash('sha256')
    .update(previous?.hash ?? genesisHash)
    .update(canonical(seq, row))
    .digest('hex');
  return { seq, hash };
}

/**
 * What the database will give back: no NUL (PostgreSQL refuses it in text) and no half of a
 * surrogate pair (the drivers store U+FFFD instead). Hashing anything else would make an honest
 * row fail verification.
 */
function stored(value: string | null | undefined, maxLength: number): string | null {
  if (value === null || value === undefined) return null;
  return Buffer.from(value.slice(0, maxLength).replaceAll('\u0000', ''), 'utf8').toString('utf8');
}

// ---------------------------------------------------------------------------------------------
// Verification

export type ChainProblem = 'changed' | 'removed' | 'reordered';

export type VerifyResult =
  | {
      ok: true;
      rows: number;
      /** The last row's place and hash: record it, and a later `verify({ head })` proves nothing before it was rewritten. */
      head: (ChainLink & { id: number }) | undefined;
      headChecked: boolean;
    }
  | { ok: false; rows: number; brokenId: number; problem: ChainProblem; message: string };

/** The append-only audit trail: who, whom, what, when, from where (SPEC §3.10), as a hash chain. */
export function createAudit(deps: { queries: AuditQueries; clock: Clock }) {
  const { queries, clock } = deps;

  async function record(event: AuditEvent, context: AuditContext = {}): Promise<void> {
    const fields: AuditEventFields = {
      at: clock.now(),
      action: event.action,
      actor_user_id: context.actorUserId ?? null,
      subject_user_id: event.subjectUserId ?? null,
      subject: stored(event.subject, 200),
      ip: stored(context.ip, 64),
      user_agent: stored(context.userAgent, 300),
      details: event.details ? JSON.stringify(event.details) : null,
    };
    await queries.append(fields, chainLink);
  }

  return {
    record,

    /**
     * Walks the whole log in id order, a batch at a time, and stops at the first row that does not
     * fit: its contents changed, rows before it are missing, or rows are out of order. `head`, a
     * place and hash recorded earlier, also catches a rewritten chain and rows removed from its end.
     */
    async verify(options: { head?: ChainLink; batchSize?: number } = {}): Promise<VerifyResult> {
      const batchSize = options.batchSize ?? 1000;
      const expected = options.head;
      const maxId = await queries.maxId();
      const first = maxId === undefined ? undefined : await queries.first();
      let rows = 0;
      const broken = (brokenId: number, problem: ChainProblem, message: string): VerifyResult => ({ ok: false, rows, brokenId, problem, message });

      if (first && Number(first.seq) !== 1) {
        return broken(first.id, 'removed', `rows before row ${first.id} were removed: it is entry #${first.seq}, and the chain begins at #1`);
      }
      let previous: ChainLink | undefined;
      let previousId: number | undefined;
      let headChecked = false;

      for (let afterId = 0; maxId !== undefined; ) {
        const batch = await queries.pageAfter(afterId, batchSize, maxId);
        if (!batch.length) break;
        for (const [i, row] of batch.entries()) {
          const seq = Number(row.seq);
          const wanted = Number(previous?.seq ?? 0) + 1;
          const after = previousId === undefined ? '' : ` (after row ${previousId})`;
          if (seq < wanted) {
            return broken(row.id, 'reordered', `row ${row.id} is out of order: it holds entry #${seq}, which belongs before entry #${wanted - 1}${after}; rows were swapped or moved`);
          }
          if (seq > wanted) {
            const elsewhere = await queries.idOfSeq(wanted);
            if (elsewhere !== undefined) {
              return broken(row.id, 'reordered', `row ${row.id} is out of order: it holds entry #${seq}, but entry #${wanted} comes next and is at row ${elsewhere}; rows were swapped or moved`);
            }
            const next = batch[i + 1] ?? (await queries.pageAfter(row.id, 1, maxId))[0];
            if (next && Number(next.seq) === wanted + 1) {
              return broken(row.id, 'changed', `row ${row.id} was changed: it says entry #${seq} where entry #${wanted} belongs`);
            }
            const missing = seq - wanted === 1 ? `entry #${wanted} is` : `entries #${wanted}–#${seq - 1} are`;
            return broken(row.id, 'removed', `a row was removed before row ${row.id}${after}: ${missing} missing`);
          }
          const link = chainLink(previous, row);
          if (row.hash !== link.hash) {
            const rewritten = previousId === undefined ? '' : ` (or row ${previousId} before it was rewritten together with its hash)`;
            return broken(row.id, 'changed', `row ${row.id} was changed: its contents do not match its hash${rewritten}`);
          }
          if (expected && seq === expected.seq) {
            if (row.hash !== expected.hash) {
              return broken(row.id, 'changed', `row ${row.id} (entry #${seq}) no longer has the hash recorded earlier: the log was rewritten at or before this row`);
            }
            headChecked = true;
          }
          previous = link;
          previousId = row.id;
          rows++;
        }
        afterId = batch.at(-1)!.id;
      }

      if (expected && !headChecked) {
        const lastSeq = previous?.seq ?? 0;
        if (expected.seq > lastSeq) {
          return broken(previousId ?? 0, 'removed', `entry #${expected.seq} was recorded earlier, but the log now ends at entry #${lastSeq}${previousId ? ` (row ${previousId})` : ''}: rows were removed from its end`);
        }
      }
      return { ok: true, rows, head: previous && previousId !== undefined ? { id: previousId, ...previous } : undefined, headChecked };
    },
  };
}

export type Audit = ReturnType<typeof createAudit>;
