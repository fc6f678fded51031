import { unitOfWork, type Db } from '@portal/db';
import type { Clock } from '@portal/rp-kit';
import { t } from '../locales.js';
import { requireCoordinatorOf, type Actor } from './access.js';
import { InvalidForm, OrderingError } from './errors.js';
import type { WasteReason } from '../data/catalogue.js';
import type { AuditQueries } from '../queries/audit.js';
import { createInventoryQueries, type LotRow } from '../queries/inventory.js';

/** Who the registry's administered doses are recorded as (a system, not a person). */
export const registrySub = 'system:registry';

/**
 * Inventory per organization and lot. It only goes down through `take` — one conditional UPDATE
 * inside a transaction — so it never goes negative and concurrent reports keep it exact.
 */
export function createInventory(deps: { db: Db; clock: Clock; audit: AuditQueries }) {
  const { db, clock, audit } = deps;
  const inventory = createInventoryQueries(db);
  const unit = unitOfWork(db);

  /** Takes `doses` off the lot, with its movement and audit row, or refuses and changes nothing. */
  async function takeDoses(lot: LotRow, doses: number, movement: { kind: 'wasted' | 'administered'; reason: string | null; sub: string }, field: string): Promise<void> {
    await unit(async () => {
      if (!(await inventory.take(lot.id, doses))) {
        const now = await inventory.find(lot.id);
        throw new InvalidForm({ [field]: t('input.notEnough', { lot: lot.lot, onHand: now?.on_hand ?? 0, doses }) });
      }
      await inventory.recordMovement({ lot_id: lot.id, kind: movement.kind, doses: -doses, reason: movement.reason, by_sub: movement.sub, at: clock.now() });
      await audit.record({ at: clock.now(), sub: movement.sub, organization_id: lot.org_iis_id, action: `inventory.${movement.kind}`, lot_id: lot.id });
    });
  }

  return {
    async lots(actor: Actor, orgIisId: string, options: { withStock?: boolean } = {}): Promise<LotRow[]> {
      requireCoordinatorOf(actor, orgIisId);
      return inventory.ofOrganization(orgIisId, options);
    },

    /** A waste report: the lot must be one of an organization the actor coordinates. */
    async reportWaste(actor: Actor, report: { lotId: number; reason: WasteReason; doses: number }): Promise<void> {
      const lot = Number.isSafeInteger(report.lotId) ? await inventory.find(report.lotId) : undefined;
      if (!lot) throw new InvalidForm({ lot: t('input.chooseLot') });
      requireCoordinatorOf(actor, lot.org_iis_id);
      if (!Number.isInteger(report.doses) || report.doses < 1) throw new InvalidForm({ doses: t('input.dosesWhole') });
      await takeDoses(lot, report.doses, { kind: 'wasted', reason: report.reason, sub: actor.sub }, 'doses');
    },

    /**
     * Doses given, as the registry's inventory feed reports them (libraries/administrations.ts;
     * docs/ordering.md "Doses given"). The organization comes from the caller (the registry's
     * record of the dose), the vaccine as a package NDC or a CVX code, the lot as printed. Refused without change when the lot is unknown, ambiguous (one CVX, several NDCs
     * with the same lot number) or short of doses.
     */
    async recordAdministered(orgIisId: string, ndcOrCvx: string, lot: string, doses: number): Promise<{ lotId: number; onHand: number }> {
      if (!Number.isInteger(doses) || doses < 1) throw new InvalidForm({ doses: t('input.dosesWhole') });
      const found = await inventory.matching(orgIisId, ndcOrCvx.trim(), lot.trim());
      if (found.length !== 1) throw new OrderingError('lot.not_found', 404, found.length ? `Lot ${lot} matches ${found.length} products: name the NDC.` : undefined);
      await takeDoses(found[0]!, doses, { kind: 'administered', reason: null, sub: registrySub }, 'doses');
      const after = (await inventory.find(found[0]!.id))!;
      return { lotId: after.id, onHand: after.on_hand };
    },
  };
}

export type Inventory = ReturnType<typeof createInventory>;
