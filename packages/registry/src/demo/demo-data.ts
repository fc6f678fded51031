import { unitOfWork, type Db } from '@portal/db';
import { createClientQueries } from '../queries/clients.js';
import { createImmunizationQueries } from '../queries/immunizations.js';
import { createOrganizationQueries, type OrganizationRow } from '../queries/organizations.js';
import { seededRandom, syntheticClient } from './synthetic.js';

/** The portal's demo organizations (same TX IIS IDs), with what the registry knows of them. */
export const demoOrganizations: readonly OrganizationRow[] = [
  { iis_id: '1000000001', code: 'PEDS01', name: 'Hill Country Pediatrics', kind: 'provider', region: 7, city: 'Austin', county: 'Travis', phone: '(512) 555-0101' },
  { iis_id: '1000000002', code: 'PHARM02', name: 'Gulf Coast Pharmacy', kind: 'pharmacy', region: 6, city: 'Houston', county: 'Harris', phone: '(713) 555-0102' },
  { iis_id: '1000000003', code: 'SCHOOL03', name: 'Central Texas ISD', kind: 'school', region: 7, city: 'Temple', county: 'Bell', phone: '(254) 555-0103' },
  { iis_id: '1000000007', code: 'HSR07', name: 'Health Service Region 7', kind: 'region', region: 7, city: 'Temple', county: 'Bell', phone: '(254) 555-0107' },
  { iis_id: '1000000000', code: 'DSHS', name: 'DSHS Immunization Unit', kind: 'state', region: null, city: 'Austin', county: 'Travis', phone: '(800) 348-9158' },
  // Known to the registry only (their staff are not on the portal's demo list): records came from them.
  { iis_id: '1000000011', code: 'PANH11', name: 'Panhandle Family Clinic', kind: 'provider', region: 1, city: 'Amarillo', county: 'Potter', phone: '(806) 555-0111' },
  { iis_id: '1000000012', code: 'VALLEY12', name: 'Rio Grande Valley Health Center', kind: 'provider', region: 11, city: 'Brownsville', county: 'Cameron', phone: '(956) 555-0112' },
];

/**
 * Clients whose names the walk-throughs and tests use: smart search finds "Jon Smth" for John
 * Smith, "Bill" for William Garcia-Lopez, 03/04/2015 for 04/03/2015; Wendy Withdrawn withdrew consent.
 */
export const namedDemoClients = [
  { registry_id: '0000000101', first: 'John', middle: 'Allen', last: 'Smith', birth: '2015-04-03', sex: 'M', consent: 'minor', org: '1000000001', doses: [['08', '2015-04-03'], ['08', '2015-05-20'], ['20', '2015-06-05'], ['10', '2015-06-05'], ['20', '2015-08-06'], ['10', '2015-08-06'], ['110', '2015-10-08'], ['03', '2016-04-10'], ['21', '2016-04-10'], ['20', '2016-10-01'], ['130', '2019-05-01'], ['94', '2019-05-01']] },
  { registry_id: '0000000102', first: 'William', middle: 'Jose', last: 'Garcia-Lopez', birth: '2019-11-21', sex: 'M', consent: 'minor', org: '1000000001', doses: [['08', '2019-11-21'], ['08', '2020-01-06'], ['110', '2020-01-22'], ['110', '2020-03-23']] },
  { registry_id: '0000000103', first: 'Maria', middle: 'Guadalupe', last: 'Nuñez', birth: '2024-02-14', sex: 'F', consent: 'minor', org: '1000000001', doses: [['08', '2024-02-14'], ['08', '2024-03-20'], ['146', '2024-04-15'], ['133', '2024-04-15'], ['116', '2024-04-15']] },
  { registry_id: '0000000104', first: 'Wendy', middle: null, last: 'Withdrawn', birth: '2012-07-09', sex: 'F', consent: 'withdrawn', org: '1000000002', doses: [['08', '2012-07-09']] },
  { registry_id: '0000000105', first: 'Ava', middle: 'Rose', last: 'Student', birth: '2018-09-02', sex: 'F', consent: 'minor', org: '1000000003', doses: [['08', '2018-09-02'], ['08', '2018-10-15'], ['20', '2018-11-05'], ['10', '2018-11-05'], ['20', '2019-01-07'], ['10', '2019-01-07'], ['110', '2019-03-04'], ['03', '2019-09-10'], ['21', '2019-09-10'], ['20', '2020-03-05']] },
] as const;

/**
 * Fills an empty registry (never in production): the organizations, the named clients and a few
 * thousand synthetic ones with their histories. Returns how many clients were created, 0 when the
 * registry already had data.
 */
export async function seedRegistryDemoData(db: Db, options: { clients?: number; today: string; now: number }): Promise<number> {
  const clients = createClientQueries(db);
  const immunizations = createImmunizationQueries(db);
  const orgs = createOrganizationQueries(db);
  if (await db('clients').first('id')) return 0;
  const count = options.clients ?? 3_000;
  await unitOfWork(db)(async () => {
    for (const org of demoOrganizations) await orgs.upsert(org);
    for (const c of namedDemoClients) {
      const id = await clients.insert(
        {
          registry_id: c.registry_id,
          personal: { first_name: c.first, middle_name: c.middle, last_name: c.last, suffix: null, birth_date: c.birth, sex: c.sex, mother_maiden_name: null, birth_state: 'TX', phone: null, email: null },
          consent: c.consent, consent_date: c.birth, organization_id: c.org,
          address: { line1: '1100 W 49th St', line2: null, city: 'Austin', county: 'Travis', state: 'TX', zip: '78756' },
        },
        options.now,
      );
      for (const [cvx, date] of c.doses) await immunizations.insert(id, c.org, { cvx, ndc: null, given_on: date, trade_name: null, mvx: null, lot: `DEMO${date.replace(/-/g, '').slice(2)}`, site: 'LT', route: 'IM', historical: false, administered_by: null }, 'demo', options.now);
    }
    const rng = seededRandom(20_260_101);
    const providers = demoOrganizations.filter((o) => o.kind === 'provider' || o.kind === 'pharmacy');
    for (let i = 0; i < count; i++) {
      const s = syntheticClient(rng, options.today);
      const org = providers[i % providers.length]!;
      const id = await clients.insert(
        {
          registry_id: String(2_000_000_000 + i).padStart(10, '0'),
          personal: { first_name: s.firstName, middle_name: s.middleName, last_name: s.lastName, suffix: null, birth_date: s.birthDate, sex: s.sex, mother_maiden_name: s.motherMaidenName, birth_state: 'TX', phone: s.phone, email: null },
          consent: s.consent, consent_date: s.birthDate, organization_id: org.iis_id,
          address: { ...s.address, line2: null },
        },
        options.now,
      );
      if (s.doses.length) {
        await db('immunizations').insert(
          s.doses.map((d) => ({ client_id: id, organization_id: org.iis_id, cvx: d.cvx, ndc: null, given_on: d.givenOn, trade_name: null, mvx: d.mvx, lot: d.lot, site: d.site, route: d.route, historical: d.historical, administered_by: null, source: 'demo', created_at: options.now, updated_at: options.now })),
        );
      }
    }
  });
  return namedDemoClients.length + count;
}
