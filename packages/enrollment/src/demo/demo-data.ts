import type { Db } from '@portal/db';

/**
 * A few enrollments in different states for the portal's demo organizations, so Syntropi is not
 * empty in development: Hill Country Pediatrics approved for Texas Vaccines for Children (ready
 * for the Bidirectional Exchange ROI), Gulf Coast Pharmacy submitted for COVID-19 (waiting for
 * state review), Central Texas ISD a draft for Adult Safety Net. Only on an empty database.
 */
export async function seedEnrollmentDemoData(db: Db, now: number): Promise<number> {
  const [{ n }] = (await db('enrollments').count<{ n: number | string }[]>({ n: '*' })) as [{ n: number | string }];
  if (Number(n) > 0) return 0;
  const site = (name: string, line1: string, city: string, zip: string, rmp: [string, string, string]) => ({
    siteName: name, line1, city, state: 'TX', zip, phone: '5125550100',
    rmpName: rmp[0], rmpLicense: rmp[1], rmpNpi: rmp[2], prescriber1Name: rmp[0], prescriber1License: rmp[1], prescriber1Npi: rmp[2],
  });
  const rows = [
    { programme: 'tvfc', iis: '1000000001', org: 'Hill Country Pediatrics', status: 'approved', details: site('Hill Country Pediatrics', '100 Congress Ave', 'Austin', '78701', ['Dana Doctor', 'TX-M1234', '1234567893']) },
    { programme: 'covid19', iis: '1000000002', org: 'Gulf Coast Pharmacy', status: 'submitted', details: site('Gulf Coast Pharmacy #2', '200 Seawall Blvd', 'Galveston', '77550', ['Paul Pharmacist', 'TX-RPH-5678', '1245319599']) },
    { programme: 'asn', iis: '1000000003', org: 'Central Texas ISD', status: 'draft', details: { siteName: 'Central Texas ISD Health Office', city: 'Temple' } },
  ] as const;
  for (const [i, r] of rows.entries()) {
    const at = now - (rows.length - i) * 86_400_000;
    const [inserted] = await db('enrollments')
      .insert({ kind: 'registration', programme: r.programme, organization_iis_id: r.iis, organization_name: r.org, status: r.status, renews_id: null, details: JSON.stringify(r.details), site_name: r.details.siteName, contact_sub: 'demo', contact_name: 'Demo Point of Contact', contact_email: 'poc@example.org', created_at: at, updated_at: at })
      .returning('id');
    const id = typeof inserted === 'object' ? (inserted as { id: number }).id : (inserted as number);
    const history: [string | null, string, string | null][] = [[null, 'draft', null]];
    if (r.status !== 'draft') history.push(['draft', 'submitted', null]);
    if (r.status === 'approved') history.push(['submitted', 'approved', 'Demo data: approved.']);
    for (const [k, [from, to, comment]] of history.entries()) {
      await db('enrollment_events').insert({ enrollment_id: id, exchange_id: null, at: at + k * 60_000, actor_sub: 'demo', actor_name: to === 'approved' ? 'Demo State Reviewer' : 'Demo Point of Contact', from_state: from, to_state: to, comment });
    }
  }
  return rows.length;
}
