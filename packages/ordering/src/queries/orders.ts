import type { Db } from '@portal/db';

export type OrderStatus = 'submitted' | 'approved' | 'shipped' | 'received' | 'rejected' | 'cancelled';
export interface OrderRow { id: number; org_iis_id: string; org_name: string; status: OrderStatus; placed_by: string; placed_at: number; updated_at: number }
export interface OrderLineRow { id: number; ndc: string; packages: number; trade_name: string; vaccine: string; doses_per_package: number }
export interface OrderEventRow { id: number; from_status: OrderStatus | null; to_status: OrderStatus; by_name: string; at: number; comment: string | null }

const orderColumns = ['orders.id', 'orders.org_iis_id', 'organizations.name as org_name', 'orders.status', 'orders.placed_by', 'orders.placed_at', 'orders.updated_at'];
const num = <T extends { id: number; placed_at: number; updated_at: number }>(r: T): T => ({ ...r, id: Number(r.id), placed_at: Number(r.placed_at), updated_at: Number(r.updated_at) });

export function createOrderQueries(db: Db) {
  const orders = () => db('orders').join('organizations', 'organizations.iis_id', 'orders.org_iis_id');
  return {
    async insert(order: { org_iis_id: string; placed_by: string; placed_at: number }, lines: { ndc: string; packages: number }[]): Promise<number> {
      const [row] = await db('orders').insert({ ...order, status: 'submitted', updated_at: order.placed_at }).returning('id');
      const id = Number(typeof row === 'object' ? (row as { id: number }).id : row);
      await db('order_lines').insert(lines.map((l) => ({ order_id: id, ...l })));
      return id;
    },
    async find(id: number): Promise<OrderRow | undefined> {
      const row = await orders().where('orders.id', id).first(orderColumns);
      return row ? num(row as OrderRow) : undefined;
    },
    async ofOrganization(orgIisId: string, limit = 50): Promise<OrderRow[]> {
      return (await orders().where('orders.org_iis_id', orgIisId).orderBy('orders.id', 'desc').limit(limit).select(orderColumns)).map((r) => num(r as OrderRow));
    },
    async withStatus(statuses: OrderStatus[], limit = 200): Promise<OrderRow[]> {
      return (await orders().whereIn('orders.status', statuses).orderBy('orders.id').limit(limit).select(orderColumns)).map((r) => num(r as OrderRow));
    },
    async lines(orderId: number): Promise<OrderLineRow[]> {
      return db('order_lines')
        .join('catalogue', 'catalogue.ndc', 'order_lines.ndc')
        .where('order_lines.order_id', orderId)
        .orderBy('order_lines.id')
        .select('order_lines.id', 'order_lines.ndc', 'order_lines.packages', 'catalogue.trade_name', 'catalogue.vaccine', 'catalogue.doses_per_package');
    },
    async history(orderId: number): Promise<OrderEventRow[]> {
      const rows = await db('order_events').where({ order_id: orderId }).orderBy('id').select('id', 'from_status', 'to_status', 'by_name', 'at', 'comment');
      return rows.map((r) => ({ ...r, at: Number(r.at) }));
    },
    /**
     * Compare-and-set on the status: only the request that finds the order still `from` moves it,
     * so two state staff pressing Approve and Reject at once cannot both win. False: it had moved.
     */
    async moveStatus(orderId: number, from: OrderStatus, to: OrderStatus, at: number): Promise<boolean> {
      const changed = await db('orders').where({ id: orderId, status: from }).update({ status: to, updated_at: at });
      return changed === 1;
    },
    async recordEvent(event: { order_id: number; from_status: OrderStatus | null; to_status: OrderStatus; by_sub: string; by_name: string; at: number; comment: string | null }): Promise<void> {
      await db('order_events').insert(event);
    },
  };
}

export type OrderQueries = ReturnType<typeof createOrderQueries>;
