import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AuditEventFields, AuditEventRow, AuditFilter, AuditQueries, ChainLink } from '../queries/audit.js';
import type { Clock } from './clock.js';

export type { AuditFilter, ChainLink } from '../queries/audit.js';

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
// Reading the log: one shape for the admin pages, the admin API, the CSV export and the CLI.

export interface AuditEntry {
  id: number;
  seq: number;
  at: string;
  action: string;
  actorUserId: string | null;
  subjectUserId: string | null;
  subject: string | null;
  ip: string | null;
  userAgent: string | null;
  details: unknown;
  hash: string;
}

function entry(row: AuditEventRow): AuditEntry {
  return {
    id: Number(row.id),
    seq: Number(row.seq),
    at: new Date(Number(row.at)).toISOString(),
    action: row.action,
    actorUserId: row.actor_user_id,
    subjectUserId: row.subject_user_id,
    subject: row.subject,
    ip: row.ip,
    userAgent: row.user_agent,
    details: parseDetails(row.details),
    hash: row.hash,
  };
}

function parseDetails(details: string | null): unknown {
  if (details === null) return null;
  try {
    return JSON.parse(details);
  } catch {
    return details;
  }
}

/** `2026-01-31`, or a date and time with a zone (`2026-01-31T08:00:00Z`, `…-06:00`). */
const isoInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/, 'expected an ISO 8601 date (2026-01-31) or date and time with a zone (2026-01-31T08:00:00Z)')
  .transform((v, ctx) => {
    const [y, m, d] = v.slice(0, 10).split('-').map(Number) as [number, number, number];
    const day = new Date(Date.UTC(y, m - 1, d));
    const ms = Date.parse(v);
    // Date.parse takes 2026-02-30 for 2 March; a filter that means another day is refused.
    if (Number.isNaN(ms) || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) {
      ctx.addIssue({ code: 'custom', message: `${v} is not a real date` });
      return z.NEVER;
    }
    return ms;
  });

/** Search and export filters as people type them (pages, API, CLI); `to` is exclusive. */
export const auditFilterInput = z
  .object({
    from: isoInstant.optional(),
    to: isoInstant.optional(),
    action: z.string().trim().min(1).max(60).optional(),
    actor: z.string().trim().min(1).max(36).optional(),
    subject: z.string().trim().min(1).max(36).optional(),
    ip: z.string().trim().min(1).max(64).optional(),
  })
  .refine((f) => f.from === undefined || f.to === undefined || f.from < f.to, { message: 'to: must be later than from' })
  .transform(
    (f): AuditFilter => ({ from: f.from, to: f.to, action: f.action, actorUserId: f.actor, subjectUserId: f.subject, ip: f.ip }),
  );

/** The filters as an audit row records them: readable, and only what was set. */
function describe(filter: AuditFilter): Record<string, string> {
  const out: Record<string, string> = {};
  if (filter.from !== undefined) out.from = new Date(filter.from).toISOString();
  if (filter.to !== undefined) out.to = new Date(filter.to).toISOString();
  if (filter.action) out.action = filter.action;
  if (filter.actorUserId) out.actor = filter.actorUserId;
  if (filter.subjectUserId) out.subject = filter.subjectUserId;
  if (filter.ip) out.ip = filter.ip;
  return out;
}

export type ExportFormat = 'csv' | 'jsonl';

const csvColumns = ['id', 'seq', 'at', 'action', 'actor_user_id', 'subject_user_id', 'subject', 'ip', 'user_agent', 'details', 'hash'] as const;

/**
 * RFC 4180 quoting, and a leading ' before = + - @ (and tab / CR) so a spreadsheet shows the text
 * instead of running it as a formula (OWASP "CSV injection"): subjects and user agents are typed by strangers.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(e: AuditEntry): string {
  const cells = [e.id, e.seq, e.at, e.action, e.actorUserId, e.subjectUserId, e.subject, e.ip, e.userAgent, e.details, e.hash];
  return `${cells.map(csvCell).join(',')}\r\n`;
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
      /** Where the chain starts: the genesis, or the last row a retention purge removed. */
      startsAfter: ChainLink | undefined;
      headChecked: boolean;
    }
  | { ok: false; rows: number; brokenId: number; problem: ChainProblem; message: string };

/** The append-only audit trail: who, whom, what, when, from where (SPEC §3.10), as a hash chain. */
export function createAudit(deps: { queries: AuditQueries; clock: Clock; onRecorded?: (event: AuditEvent) => void }) {
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
    deps.onRecorded?.(event);
  }

  /** The purge row whose boundary is the entry just before `seq`: where a purged chain now starts. */
  async function anchorBefore(seq: number): Promise<ChainLink | undefined> {
    for (const row of await queries.purgeRecords()) {
      const details = parseDetails(row.details) as { through_seq?: unknown; through_hash?: unknown } | null;
      if (details?.through_seq === seq - 1 && typeof details.through_hash === 'string') return { seq: seq - 1, hash: details.through_hash };
    }
    return undefined;
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

      let previous: ChainLink | undefined;
      if (first && Number(first.seq) !== 1) {
        previous = await anchorBefore(Number(first.seq));
        if (!previous) {
          return broken(first.id, 'removed', `rows before row ${first.id} were removed: it is entry #${first.seq}, and no audit.purge row accounts for entries #1–#${Number(first.seq) - 1}`);
        }
      }
      const startsAfter = previous;
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
        if (startsAfter && expected.seq === startsAfter.seq) {
          if (expected.hash !== startsAfter.hash) return broken(first!.id, 'changed', `the purge boundary (entry #${expected.seq}) does not have the hash recorded earlier: the log was rewritten`);
          headChecked = true;
        }
      }
      return { ok: true, rows, head: previous && previousId !== undefined ? { id: previousId, ...previous } : undefined, startsAfter, headChecked };
    },

    /**
     * Newest first, `limit` at a time (at most 200); pass `nextBefore` back for the next page. The
     * search is itself audited (who looked for what) once its results are in.
     */
    async search(filter: AuditFilter, page: { limit?: number; before?: number } = {}, context: AuditContext = {}) {
      const limit = Math.min(Math.max(Math.trunc(page.limit ?? 50), 1), 200);
      const rows = await queries.search(filter, limit + 1, page.before);
      const events = rows.slice(0, limit).map(entry);
      await record({ action: 'audit.search', details: { filters: describe(filter), ...(page.before ? { before: page.before } : {}) } }, context);
      return { events, nextBefore: rows.length > limit ? events.at(-1)!.id : undefined };
    },

    /**
     * The rows that match, oldest first, as CSV (with a header) or JSON lines, read in batches so a
     * route can pipe it to a response (`Readable.from(…)`) and the CLI to stdout without holding the
     * table in memory. The export is audited before the first row leaves and does not include its own row.
     */
    async *export(filter: AuditFilter, options: { format: ExportFormat; via: string; batchSize?: number }, context: AuditContext = {}): AsyncGenerator<string> {
      const maxId = await queries.maxId();
      await record({ action: 'audit.export', details: { via: options.via, format: options.format, filters: describe(filter) } }, context);
      if (options.format === 'csv') yield `${csvColumns.join(',')}\r\n`;
      if (maxId === undefined) return;
      const batchSize = options.batchSize ?? 500;
      for (let afterId = 0; ; ) {
        const batch = await queries.pageAfter(afterId, batchSize, maxId, filter);
        if (!batch.length) return;
        const entries = batch.map(entry);
        yield entries.map((e) => (options.format === 'csv' ? csvLine(e) : `${JSON.stringify(e)}\n`)).join('');
        afterId = batch.at(-1)!.id;
      }
    },

    /**
     * Removes rows older than the retention period and records that it did, with where the chain
     * now starts, so verification begins at the oldest remaining row. Nothing old enough: no-op.
     */
    async purge(options: { retentionDays: number; via: string }, context: AuditContext = {}) {
      // The configuration refuses less; this guards any other caller (records schedules, issue 8 §5).
      if (!(options.retentionDays >= 365)) throw new Error('audit retention below 365 days is refused');
      const before = clock.now() - options.retentionDays * 86_400_000;
      const purged = await queries.purgeBefore(
        before,
        ({ deleted, through }) => ({
          at: clock.now(),
          action: 'audit.purge',
          actor_user_id: context.actorUserId ?? null,
          subject_user_id: null,
          subject: null,
          ip: stored(context.ip, 64),
          user_agent: stored(context.userAgent, 300),
          details: JSON.stringify({
            via: options.via,
            retention_days: options.retentionDays,
            before: new Date(before).toISOString(),
            deleted,
            through_seq: through.seq,
            through_hash: through.hash,
          }),
        }),
        chainLink,
      );
      return { deleted: purged?.deleted ?? 0, before: new Date(before).toISOString() };
    },
  };
}

export type Audit = ReturnType<typeof createAudit>;
