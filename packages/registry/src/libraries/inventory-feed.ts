import type { Db } from '@portal/db';
import { MachineTokenError, type Clock, type MachineTokens, type RpLogger } from '@portal/rp-kit';
import type { ImmunizationFields } from '../queries/immunizations.js';

/** What the feed needs of a dose: who recorded it and what was given. */
type Dose = Pick<ImmunizationFields, 'cvx' | 'ndc' | 'lot' | 'historical'> & { id: number; organization_id: string };

/** A dose that came out of someone's stock: administered here (not historical), with its lot. */
const counts = (d: Dose | undefined): d is Dose & { lot: string } => Boolean(d && !d.historical && d.lot && d.lot.trim());
const sameStock = (a: Dose, b: Dose) => a.organization_id === b.organization_id && (a.ndc ?? a.cvx) === (b.ndc ?? b.cvx) && a.lot === b.lot && Boolean(a.historical) === Boolean(b.historical);

/**
 * Doses given, for VAOS's inventory (issue 12). The HL7 intake and manual entry tell the feed what
 * they did to a dose, inside their own transaction; the feed writes the outbox rows
 * (`inventory_feed`) that say what the organization's stock lost or got back. Nothing here talks
 * to VAOS: a failed delivery never undoes or blocks a recorded dose.
 */
export function createInventoryFeed(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const note = async (kind: 'given' | 'reversed', d: Dose & { lot: string }) =>
    void (await db('inventory_feed').insert({ immunization_id: d.id, organization_id: d.organization_id, kind, vaccine: (d.ndc ?? d.cvx).slice(0, 13), lot: d.lot.trim().slice(0, 50), doses: 1, created_at: clock.now() }));
  return {
    async added(dose: Dose): Promise<void> {
      if (counts(dose)) await note('given', dose);
    },
    /** A correction: the old dose's stock back, the new one's taken, when what was given changed. */
    async changed(before: Dose, after: Dose): Promise<void> {
      if (counts(before) && counts(after) && sameStock(before, after)) return;
      if (counts(before)) await note('reversed', before);
      if (counts(after)) await note('given', after);
    },
    async removed(before: Dose): Promise<void> {
      if (counts(before)) await note('reversed', before);
    },
  };
}

export type InventoryFeed = ReturnType<typeof createInventoryFeed>;

interface FeedRow { id: number; immunization_id: number; organization_id: string; kind: 'given' | 'reversed'; vaccine: string; lot: string; doses: number; attempts: number }

/**
 * Delivers the outbox to VAOS's inventory API (POST { events }, the registry's own client_credentials
 * token), oldest first, a batch at a time: every few seconds and soon after a dose is recorded.
 * A delivered row keeps VAOS's outcome; a failed batch stays for the next round (at least once —
 * VAOS answers a re-sent event without applying it twice). One flush at a time per process; two
 * instances may send the same row, which VAOS also absorbs.
 */
export function createInventoryFeedSender(deps: { db: Db; clock: Clock; url: string; tokens: MachineTokens; log: RpLogger; fetchImpl?: typeof fetch; intervalMs?: number; batchSize?: number }) {
  const { db, clock, log } = deps;
  const doFetch = deps.fetchImpl ?? fetch;
  const batchSize = deps.batchSize ?? 200;
  let running: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let soon: NodeJS.Timeout | undefined;

  async function post(rows: FeedRow[]): Promise<Response> {
    const events = rows.map((r) => ({ id: String(r.id), kind: r.kind, immunization: String(r.immunization_id), iisId: r.organization_id, vaccine: r.vaccine, lot: r.lot, doses: r.doses }));
    const send = async () => doFetch(deps.url, { method: 'POST', headers: { authorization: `Bearer ${await deps.tokens.token()}`, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ events }), signal: AbortSignal.timeout(15_000) });
    let res = await send();
    if (res.status === 401) {
      deps.tokens.forget(); // revoked or expired early: one fresh token, once
      res = await send();
    }
    return res;
  }

  /** Sends what is waiting; answers how many rows were delivered. */
  async function deliver(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const rows = (await db('inventory_feed').whereNull('delivered_at').orderBy('id').limit(batchSize).select('id', 'immunization_id', 'organization_id', 'kind', 'vaccine', 'lot', 'doses', 'attempts')) as FeedRow[];
      if (!rows.length) return delivered;
      let outcomes: Map<string, string>;
      try {
        const res = await post(rows);
        if (!res.ok) throw new Error(`VAOS answered ${res.status}`);
        const body = (await res.json()) as { results?: { id: string; outcome: string }[] };
        outcomes = new Map((body.results ?? []).map((r) => [r.id, r.outcome]));
      } catch (err) {
        await db('inventory_feed').whereIn('id', rows.map((r) => r.id)).increment('attempts', 1);
        log('warn', 'inventory feed: delivery failed, kept for the next round', { rows: rows.length, err: err instanceof MachineTokenError ? err.message : (err as Error)?.message });
        return delivered;
      }
      const now = clock.now();
      for (const r of rows) {
        const outcome = outcomes.get(String(r.id));
        if (outcome) await db('inventory_feed').where({ id: r.id }).update({ delivered_at: now, outcome: outcome.slice(0, 12) });
      }
      delivered += outcomes.size;
      if (outcomes.size < rows.length) return delivered; // VAOS skipped some: try again later, not in a loop
    }
  }

  const flush = (): Promise<number> => {
    running ??= deliver().finally(() => (running = undefined));
    return running;
  };
  const quietly = () => void flush().catch((err: unknown) => log('error', 'inventory feed failed', { err: (err as Error)?.message }));

  return {
    flush,
    /** A dose was just recorded: deliver in a moment (several doses in a burst go together). */
    nudge() {
      soon ??= setTimeout(() => {
        soon = undefined;
        quietly();
      }, 250).unref();
    },
    start() {
      timer ??= setInterval(quietly, deps.intervalMs ?? 10_000).unref();
    },
    async stop() {
      clearInterval(timer);
      clearTimeout(soon);
      timer = soon = undefined;
      await running?.catch(() => undefined);
    },
  };
}

export type InventoryFeedSender = ReturnType<typeof createInventoryFeedSender>;
