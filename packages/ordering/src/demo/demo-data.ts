import { unitOfWork, type Db } from '@portal/db';
import { createInventoryQueries } from '../queries/inventory.js';
import { createOrderQueries, type OrderStatus } from '../queries/orders.js';
import { createOrganizationQueries } from '../queries/organizations.js';

/** The portal's demo organizations (packages/portal/src/cli/demo-data.ts), by TX IIS ID. */
export const demoOrganizations = [
  { iis_id: '1000000001', code: 'PEDS01', name: 'Hill Country Pediatrics' },
  { iis_id: '1000000002', code: 'PHARM02', name: 'Gulf Coast Pharmacy' },
  { iis_id: '1000000000', code: 'DSHS', name: 'DSHS Immunization Unit' },
] as const;

const day = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Outside production, on a VAOS without orders: some lots for each demo organization (one near its
 * expiry), and orders in each state so every page has something to show. Returns the orders made.
 */
export async function seedOrderingDemoData(db: Db, now: number): Promise<number> {
  if (await db('orders').first('id')) return 0;
  const orgs = createOrganizationQueries(db);
  const orders = createOrderQueries(db);
  const inventory = createInventoryQueries(db);
  return unitOfWork(db)(async () => {
    for (const org of demoOrganizations) await orgs.ensure(org);
    const lots: [string, string, string, number, number][] = [
      // org, NDC, lot, expires in days, doses on hand
      ['1000000001', '00006-4681-00', 'MMR2024A', 300, 40],
      ['1000000001', '49281-0510-05', 'PEN7731', 180, 25],
      ['1000000001', '00006-4119-01', 'G9X102', 20, 8],
      ['1000000002', '49281-0421-50', 'FLU25Q1', 150, 120],
      ['1000000002', '58160-0842-01', 'BX7712', 400, 30],
    ];
    for (const [org, ndc, lot, days, doses] of lots) {
      const id = await inventory.add({ org_iis_id: org, ndc, lot, expires_on: isoDay(now + days * day) }, doses);
      await inventory.recordMovement({ lot_id: id, kind: 'demo', doses, by_sub: 'demo', at: now });
    }
    const path: OrderStatus[] = ['submitted', 'approved', 'shipped', 'received'];
    const demoOrders: [string, OrderStatus, { ndc: string; packages: number }[]][] = [
      ['1000000001', 'received', [{ ndc: '00006-4681-00', packages: 4 }]],
      ['1000000001', 'shipped', [{ ndc: '00005-1971-01', packages: 2 }, { ndc: '00006-4047-01', packages: 1 }]],
      ['1000000001', 'submitted', [{ ndc: '49281-0286-01', packages: 3 }]],
      ['1000000002', 'approved', [{ ndc: '49281-0421-50', packages: 10 }]],
      ['1000000002', 'rejected', [{ ndc: '00006-4119-01', packages: 50 }]],
    ];
    let at = now - 20 * day;
    for (const [org, status, lines] of demoOrders) {
      const id = await orders.insert({ org_iis_id: org, placed_by: 'demo', placed_at: at }, lines);
      await orders.recordEvent({ order_id: id, from_status: null, to_status: 'submitted', by_sub: 'demo', by_name: 'VAOS demo data', at, comment: null });
      const steps = status === 'rejected' ? (['rejected'] as OrderStatus[]) : path.slice(1, path.indexOf(status) + 1);
      let from: OrderStatus = 'submitted';
      for (const to of steps) {
        at += day;
        await orders.moveStatus(id, from, to, at);
        await orders.recordEvent({ order_id: id, from_status: from, to_status: to, by_sub: 'demo', by_name: 'VAOS demo data', at, comment: to === 'rejected' ? 'More than the quarterly allocation.' : null });
        from = to;
      }
      at += day;
    }
    return demoOrders.length;
  });
}
