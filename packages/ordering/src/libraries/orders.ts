import { unitOfWork, type Db } from '@portal/db';
import { formatDate, type Clock } from '@portal/rp-kit';
import { number, t } from '../locales.js';
import { coordinates, isStateStaff, requireCoordinatorOf, requireStateStaff, type Actor } from './access.js';
import { InvalidForm, OrderingError } from './errors.js';
import { maxPackagesPerLine } from './input.js';
import type { AuditQueries } from '../queries/audit.js';
import type { CatalogueQueries } from '../queries/catalogue.js';
import { createInventoryQueries } from '../queries/inventory.js';
import { createOrderQueries, type OrderEventRow, type OrderLineRow, type OrderRow, type OrderStatus } from '../queries/orders.js';
import type { OrganizationQueries } from '../queries/organizations.js';

/** The steps an order may take, and who takes them (state: DSHS staff, see access.ts). */
export const transitions = {
  approved: { from: 'submitted', by: 'state' },
  rejected: { from: 'submitted', by: 'state' },
  shipped: { from: 'approved', by: 'state' },
  cancelled: { from: 'submitted', by: 'coordinator' },
  received: { from: 'shipped', by: 'coordinator' },
} as const satisfies Record<Exclude<OrderStatus, 'submitted'>, { from: OrderStatus; by: 'state' | 'coordinator' }>;

export interface OrderView { order: OrderRow; lines: OrderLineRow[]; history: OrderEventRow[] }

/**
 * Orders: placed by a coordinator for an organization they coordinate, approved and shipped by
 * state staff, received by the coordinator into inventory. Every function checks the actor here,
 * and every step is a compare-and-set on the status recorded with who and when, in one transaction.
 */
export function createOrders(deps: { db: Db; clock: Clock; audit: AuditQueries; catalogue: CatalogueQueries; organizations: OrganizationQueries }) {
  const { db, clock, audit, catalogue, organizations } = deps;
  const orders = createOrderQueries(db);
  const inventory = createInventoryQueries(db);
  const unit = unitOfWork(db);
  const today = () => new Date(clock.now()).toISOString().slice(0, 10);

  async function visible(actor: Actor, orderId: number): Promise<OrderRow> {
    const order = Number.isSafeInteger(orderId) ? await orders.find(orderId) : undefined;
    // Another organization's order answers like a missing one: its existence is not the person's business.
    if (!order || !(coordinates(actor, order.org_iis_id) || isStateStaff(actor))) throw new OrderingError('order.not_found', 404);
    return order;
  }

  async function move(actor: Actor, order: OrderRow, to: keyof typeof transitions, comment: string | null): Promise<void> {
    const from = transitions[to].from;
    if (!(await orders.moveStatus(order.id, from, to, clock.now()))) throw new OrderingError('order.transition', 409);
    await orders.recordEvent({ order_id: order.id, from_status: from, to_status: to, by_sub: actor.sub, by_name: actor.name, at: clock.now(), comment });
    await audit.record({ at: clock.now(), sub: actor.sub, organization_id: order.org_iis_id, action: `order.${to}`, order_id: order.id });
  }

  return {
    /** Lines are NDC × whole packages (1–999, checked at the edge and again here). */
    async place(actor: Actor, orgIisId: string, lines: { ndc: string; packages: number }[]): Promise<number> {
      const org = requireCoordinatorOf(actor, orgIisId);
      const problems: Record<string, string> = {};
      if (!lines.length) problems.form = t('input.noLines');
      for (const line of lines) {
        if (!(await catalogue.find(line.ndc))) problems[`qty-${line.ndc}`] = t('input.notInCatalogue');
        else if (!Number.isInteger(line.packages) || line.packages < 1 || line.packages > maxPackagesPerLine) problems[`qty-${line.ndc}`] = t('input.packagesRange', { max: number(maxPackagesPerLine) });
      }
      if (new Set(lines.map((l) => l.ndc)).size !== lines.length) problems.form = t('input.vaccineTwice');
      if (Object.keys(problems).length) throw new InvalidForm(problems);
      return unit(async () => {
        await organizations.ensure({ iis_id: org.iis_id, code: org.code, name: org.name });
        const id = await orders.insert({ org_iis_id: org.iis_id, placed_by: actor.sub, placed_at: clock.now() }, lines);
        await orders.recordEvent({ order_id: id, from_status: null, to_status: 'submitted', by_sub: actor.sub, by_name: actor.name, at: clock.now(), comment: null });
        await audit.record({ at: clock.now(), sub: actor.sub, organization_id: org.iis_id, action: 'order.submitted', order_id: id });
        return id;
      });
    },

    async view(actor: Actor, orderId: number): Promise<OrderView> {
      const order = await visible(actor, orderId);
      const [lines, history] = await Promise.all([orders.lines(order.id), orders.history(order.id)]);
      return { order, lines, history };
    },

    async ofOrganization(actor: Actor, orgIisId: string, limit?: number): Promise<OrderRow[]> {
      requireCoordinatorOf(actor, orgIisId);
      return orders.ofOrganization(orgIisId, limit);
    },

    /** State staff's queue: every organization's orders waiting for approval or shipment. */
    async awaitingState(actor: Actor): Promise<OrderRow[]> {
      requireStateStaff(actor);
      return orders.withStatus(['submitted', 'approved']);
    },

    /** Approve, reject or ship (state staff), or cancel (the organization's coordinator). */
    async transition(actor: Actor, orderId: number, to: 'approved' | 'rejected' | 'shipped' | 'cancelled', comment: string | null = null): Promise<void> {
      const order = await visible(actor, orderId);
      if (transitions[to].by === 'state') requireStateStaff(actor);
      else requireCoordinatorOf(actor, order.org_iis_id);
      await unit(() => move(actor, order, to, comment));
    },

    /** The lines of a shipment the actor may receive now: their organization's, and shipped (else 409). */
    async linesToReceive(actor: Actor, orderId: number): Promise<OrderLineRow[]> {
      const order = await visible(actor, orderId);
      requireCoordinatorOf(actor, order.org_iis_id);
      if (order.status !== transitions.received.from) throw new OrderingError('order.transition', 409);
      return orders.lines(order.id);
    },

    /**
     * A shipment arrived: the order becomes received and each line's doses (packages × doses per
     * package) join the organization's inventory under the lot and expiry the coordinator entered.
     */
    async receive(actor: Actor, orderId: number, received: Record<number, { lot: string; expiry: string }>): Promise<void> {
      const order = await visible(actor, orderId);
      requireCoordinatorOf(actor, order.org_iis_id);
      const lines = await orders.lines(order.id);
      const problems: Record<string, string> = {};
      for (const line of lines) {
        const entry = received[line.id];
        if (!entry) {
          problems[`lot-${line.id}`] = t('input.lotMissing');
          continue;
        }
        if (entry.expiry < today()) problems[`expiry-${line.id}`] = t('input.expiryPassed');
        const known = await inventory.existing(order.org_iis_id, line.ndc, entry.lot);
        if (known && known.expires_on !== entry.expiry) problems[`expiry-${line.id}`] = t('input.lotKnown', { lot: entry.lot, expires: formatDate(known.expires_on) });
      }
      if (Object.keys(problems).length) throw new InvalidForm(problems);
      await unit(async () => {
        await move(actor, order, 'received', null);
        for (const line of lines) {
          const entry = received[line.id]!;
          const doses = line.packages * line.doses_per_package;
          const lotId = await inventory.add({ org_iis_id: order.org_iis_id, ndc: line.ndc, lot: entry.lot, expires_on: entry.expiry }, doses);
          await inventory.recordMovement({ lot_id: lotId, kind: 'received', doses, order_id: order.id, by_sub: actor.sub, at: clock.now() });
          await audit.record({ at: clock.now(), sub: actor.sub, organization_id: order.org_iis_id, action: 'inventory.received', order_id: order.id, lot_id: lotId });
        }
      });
    },
  };
}

export type Orders = ReturnType<typeof createOrders>;
