import type { Db } from '@portal/db';

export interface LotRow { id: number; org_iis_id: string; ndc: string; cvx: string; trade_name: string; vaccine: string; lot: string; expires_on: string; on_hand: number }

const lotColumns = ['inventory_lots.id', 'inventory_lots.org_iis_id', 'inventory_lots.ndc', 'catalogue.cvx', 'catalogue.trade_name', 'catalogue.vaccine', 'inventory_lots.lot', 'inventory_lots.expires_on', 'inventory_lots.on_hand'];

export function createInventoryQueries(db: Db) {
  const lots = () => db('inventory_lots').join('catalogue', 'catalogue.ndc', 'inventory_lots.ndc');
  const num = (r: LotRow): LotRow => ({ ...r, id: Number(r.id), on_hand: Number(r.on_hand) });
  return {
    async find(id: number): Promise<LotRow | undefined> {
      const row = await lots().where('inventory_lots.id', id).first(lotColumns);
      return row ? num(row as LotRow) : undefined;
    },
    /** Lots of an organization with this lot number whose NDC is `ndcOrCvx` or whose vaccine has that CVX. */
    async matching(orgIisId: string, ndcOrCvx: string, lot: string): Promise<LotRow[]> {
      const rows = await lots()
        .where('inventory_lots.org_iis_id', orgIisId)
        .andWhere('inventory_lots.lot', lot)
        .andWhere((q) => q.where('inventory_lots.ndc', ndcOrCvx).orWhere('catalogue.cvx', ndcOrCvx))
        .select(lotColumns);
      return rows.map((r) => num(r as LotRow));
    },
    async ofOrganization(orgIisId: string, options: { withStock?: boolean } = {}): Promise<LotRow[]> {
      const q = lots().where('inventory_lots.org_iis_id', orgIisId).orderBy(['catalogue.vaccine', 'inventory_lots.expires_on', 'inventory_lots.lot']).select(lotColumns);
      if (options.withStock) q.andWhere('inventory_lots.on_hand', '>', 0);
      return (await q).map((r) => num(r as LotRow));
    },
    /**
     * Adds doses to a lot, creating it on first receipt; one statement, so two receipts of the same
     * lot at once both count. Returns the lot's id.
     */
    async add(lot: { org_iis_id: string; ndc: string; lot: string; expires_on: string }, doses: number): Promise<number> {
      await db('inventory_lots')
        .insert({ ...lot, on_hand: doses })
        .onConflict(['org_iis_id', 'ndc', 'lot'])
        .merge({ on_hand: db.raw('?? + ?', ['inventory_lots.on_hand', doses]) });
      const row = await db('inventory_lots').where({ org_iis_id: lot.org_iis_id, ndc: lot.ndc, lot: lot.lot }).first('id');
      return Number((row as { id: number }).id);
    },
    async existing(orgIisId: string, ndc: string, lot: string): Promise<{ id: number; expires_on: string } | undefined> {
      return db('inventory_lots').where({ org_iis_id: orgIisId, ndc, lot }).first('id', 'expires_on');
    },
    /**
     * Takes doses off a lot only if it has them: one conditional UPDATE, so concurrent reports
     * cannot both read "30 left" and write below zero (a lost update). The database decides — a row
     * lock on PostgreSQL, the single writer on SQLite. False: not enough on hand, nothing changed.
     */
    async take(lotId: number, doses: number): Promise<boolean> {
      const changed = await db('inventory_lots')
        .where('id', lotId)
        .andWhere('on_hand', '>=', doses)
        .update({ on_hand: db.raw('?? - ?', ['on_hand', doses]) });
      return changed === 1;
    },
    /** Doses back on a lot (a reversed administration): the only way up besides a received shipment. */
    async putBack(lotId: number, doses: number): Promise<void> {
      await db('inventory_lots').where('id', lotId).update({ on_hand: db.raw('?? + ?', ['on_hand', doses]) });
    },
    async recordMovement(movement: { lot_id: number; kind: 'received' | 'wasted' | 'administered' | 'demo'; doses: number; reason?: string | null; order_id?: number | null; by_sub: string; at: number }): Promise<void> {
      await db('inventory_movements').insert({ reason: null, order_id: null, ...movement });
    },
    async movements(lotId: number) {
      return db('inventory_movements').where({ lot_id: lotId }).orderBy('id').select('kind', 'doses', 'reason', 'order_id', 'at');
    },
  };
}

export type InventoryQueries = ReturnType<typeof createInventoryQueries>;
