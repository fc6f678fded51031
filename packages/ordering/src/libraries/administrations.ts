import { unitOfWork, type Db } from '@portal/db';
import { InvalidForm, type Clock } from '@portal/rp-kit';
import type { AuditQueries } from '../queries/audit.js';
import { createInventoryQueries } from '../queries/inventory.js';
import { OrderingError } from './errors.js';
import { registrySub, type Inventory } from './inventory.js';

/** One dose event from the registry's inventory feed (docs/ordering.md, "Doses given"). */
export interface AdministrationEvent {
  id: string;
  kind: 'given' | 'reversed';
  immunization: string;
  iisId: string;
  /** A package NDC (5-4-2) or a CVX code. */
  vaccine: string;
  lot: string;
  doses: number;
}

export type AdministrationOutcome = 'applied' | 'unmatched' | 'short' | 'reversed' | 'nothing';

/**
 * Doses given, as the registry records them (HL7 or by hand), taken off VAOS's inventory. Each
 * event is applied once per sender and event id — a re-delivery answers what the first did — in a
 * transaction of its own. A dose VAOS cannot place (no single lot of that vaccine and lot number
 * at that organization: private stock, a typo) or that finds fewer doses on hand is recorded, not
 * applied: inventory never goes negative, and the coordinator's count stays theirs to correct. A
 * reversal (the dose deleted or corrected in the registry) puts back what its own `given` took.
 */
export function createAdministrations(deps: { db: Db; clock: Clock; audit: AuditQueries; inventory: Inventory }) {
  const { db, clock, audit, inventory } = deps;
  const lots = createInventoryQueries(db);
  const unit = unitOfWork(db);

  async function earlier(source: string, eventId: string): Promise<AdministrationOutcome | undefined> {
    const row = (await db('administration_events').where({ source_client: source, event_id: eventId }).first('outcome')) as { outcome: AdministrationOutcome } | undefined;
    return row?.outcome;
  }

  async function applyGiven(e: AdministrationEvent): Promise<{ outcome: AdministrationOutcome; lotId: number | null }> {
    try {
      const { lotId } = await inventory.recordAdministered(e.iisId, e.vaccine, e.lot, e.doses);
      return { outcome: 'applied', lotId };
    } catch (err) {
      if (err instanceof InvalidForm) return { outcome: 'short', lotId: null };
      if (err instanceof OrderingError && err.status === 404) return { outcome: 'unmatched', lotId: null };
      throw err;
    }
  }

  async function applyReversal(source: string, e: AdministrationEvent): Promise<{ outcome: AdministrationOutcome; lotId: number | null }> {
    // What this dose's applied `given` events took, less what earlier reversals put back.
    const rows = (await db('administration_events').where({ source_client: source, immunization_ref: e.immunization }).whereIn('outcome', ['applied', 'reversed']).orderBy('id').select('outcome', 'doses', 'lot_id')) as { outcome: string; doses: number; lot_id: number }[];
    const taken = rows.filter((r) => r.outcome === 'applied');
    const balance = taken.reduce((n, r) => n + r.doses, 0) - rows.filter((r) => r.outcome === 'reversed').reduce((n, r) => n + r.doses, 0);
    const lotId = taken.at(-1)?.lot_id;
    if (balance <= 0 || lotId === undefined) return { outcome: 'nothing', lotId: null };
    const doses = Math.min(balance, e.doses);
    await lots.putBack(lotId, doses);
    await lots.recordMovement({ lot_id: lotId, kind: 'administered', doses, reason: 'reversed in the registry', by_sub: registrySub, at: clock.now() });
    await audit.record({ at: clock.now(), sub: registrySub, organization_id: e.iisId, action: 'inventory.administered_reversed', lot_id: lotId });
    return { outcome: 'reversed', lotId };
  }

  return {
    /** `source`: the sender's client_id, from its verified token. Answers each event's outcome, in order. */
    async receive(source: string, events: readonly AdministrationEvent[]): Promise<{ id: string; outcome: AdministrationOutcome }[]> {
      const results: { id: string; outcome: AdministrationOutcome }[] = [];
      for (const e of events) {
        const outcome = await unit(async () => {
          const before = await earlier(source, e.id);
          if (before) return before;
          const done = e.kind === 'given' ? await applyGiven(e) : await applyReversal(source, e);
          await db('administration_events').insert({
            source_client: source, event_id: e.id, immunization_ref: e.immunization, org_iis_id: e.iisId, kind: e.kind,
            vaccine: e.vaccine, lot: e.lot, doses: e.doses, outcome: done.outcome, lot_id: done.lotId, received_at: clock.now(),
          });
          return done.outcome;
        }).catch(async (err: unknown) => {
          // The same event delivered twice at once: the second insert loses the race and rolls back.
          const raced = await earlier(source, e.id);
          if (raced) return raced;
          throw err;
        });
        results.push({ id: e.id, outcome });
      }
      return results;
    },
  };
}

export type Administrations = ReturnType<typeof createAdministrations>;
