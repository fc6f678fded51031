import { textOf, type HttpAgent } from '@portal/portal/testing';
import type { Actor } from '../src/libraries/access.js';
import { createRecall, defaultRecallCriteria, recallCriteriaFields } from '../src/libraries/recall.js';
import { createOrganizationQueries } from '../src/queries/organizations.js';
import { csrfOf, enterWorkspace, type Person, type RegistrySystem, startRegistrySystem } from './registry-fixture.js';

/**
 * Reports, Recall and reminder and Organization information (seed 000), through the portal sign-in
 * as each role: what each one sees, what the files say, and that View Only gets none of it.
 */
let s: RegistrySystem;
const sessions = new Map<string, { agent: HttpAgent; csrf: string }>();
beforeAll(async () => {
  s = await startRegistrySystem();
});
afterAll(async () => {
  await s?.close();
});

const william = '0000000102'; // PEDS01, born 2019-11-21, stopped after his 2-month doses
const wendy = '0000000104'; // withdrew consent; PHARM02
const ava = '0000000105'; // SCHOOL03's; stopped after her 18-month doses

async function as(person: Person, code?: string) {
  const key = `${person}:${code ?? ''}`;
  if (!sessions.has(key)) sessions.set(key, await enterWorkspace(s, person, code));
  return sessions.get(key)!;
}
async function get(person: Person, path: string, code?: string) {
  return (await as(person, code)).agent.request(`${s.appUrl}${path}`);
}
async function postForm(person: Person, path: string, form: Record<string, string>, code?: string) {
  const { agent, csrf } = await as(person, code);
  return agent.request(`${s.appUrl}${path}`, { method: 'POST', form: { csrf, ...form } });
}
const today = () => new Date(s.clock.now()).toISOString().slice(0, 10);
const tomorrow = () => new Date(s.clock.now() + 86_400_000).toISOString().slice(0, 10);
const yearAgo = () => `${Number(today().slice(0, 4)) - 1}${today().slice(4)}`;
/** A CSV body's records as arrays of fields (the writer's own quoting: enough for these files). */
function csvRows(body: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const text = body.replace(/^\uFEFF/, '');
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += ch;
  }
  return rows;
}
const registryIdsOnPage = (body: string) => [...body.matchAll(/data-registry-id="(\d{10})"/g)].map((m) => m[1]!);
const auditCount = async (where: Record<string, unknown> = {}) => Number(((await s.db('registry_audit').where(where).count({ n: '*' }).first()) as { n: unknown }).n);
const recallForm = recallCriteriaFields(defaultRecallCriteria);

describe('Reports', () => {
  test("pat's report covers Hill Country Pediatrics only, for the last 12 months, with the numbers of the database", async () => {
    const page = await get('pat', '/reports');
    expect(page.status).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('Your organization only: Hill Country Pediatrics (PEDS01)');
    expect(text).toContain(`Summary, ${usDate(yearAgo())} to ${usDate(today())}`);
    expect(text).not.toMatch(/Gulf Coast Pharmacy|Panhandle Family Clinic|Central Texas ISD/);
    const doses = (await s.db('immunizations').where({ organization_id: '1000000001' }).whereBetween('given_on', [yearAgo(), today()]).select('historical')) as { historical: unknown }[];
    expect(doses.length).toBeGreaterThan(0);
    const administered = doses.filter((d) => !d.historical).length;
    const row = /<th scope="row" data-label="Organization">Hill Country Pediatrics[\s\S]*?<\/tr>/.exec(page.body.split('id="by-organization"')[1]!)![0];
    expect(textOf(row)).toContain(`${administered} ${doses.length - administered} ${doses.length}`);
  });

  test("rosa's report shows the organizations of region 7 and not Gulf Coast Pharmacy (region 6)", async () => {
    const text = textOf((await get('rosa', '/reports')).body);
    expect(text).toContain('Every organization of your area, Health Service Region 7');
    for (const org of ['Hill Country Pediatrics', 'Central Texas ISD', 'Health Service Region 7']) expect(text).toContain(org);
    expect(text).not.toMatch(/Gulf Coast Pharmacy|Panhandle Family Clinic|Rio Grande Valley/);
  });

  test("steve's report covers the whole state, grouped by region", async () => {
    const page = await get('steve', '/reports');
    const text = textOf(page.body);
    expect(text).toContain('The whole state, by Health Service Region');
    const headings = [...page.body.split('id="by-organization"')[1]!.split('</table>')[0]!.matchAll(/<tr class="region-heading"><th[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(headings).toEqual(['Health Service Region 1', 'Health Service Region 6', 'Health Service Region 7', 'Health Service Region 11', 'No region']);
    for (const org of ['Panhandle Family Clinic', 'Gulf Coast Pharmacy', 'Hill Country Pediatrics', 'Rio Grande Valley Health Center', 'DSHS Immunization Unit']) expect(text).toContain(org);
  });

  test('a Sub-state user whose organization has no region on file is told so, and sees no organization', async () => {
    await s.db('organizations').where({ iis_id: '1000000007' }).update({ region: null });
    try {
      const text = textOf((await get('rosa', '/reports')).body);
      expect(text).toContain('has no Health Service Region on file, so there is no area to report on');
      expect(text).not.toContain('Hill Country Pediatrics');
      expect(textOf((await get('rosa', '/organizations')).body)).toContain('has no Health Service Region on file');
    } finally {
      await s.db('organizations').where({ iis_id: '1000000007' }).update({ region: 7 });
    }
  });

  test('dates: MM/DD/YYYY or ISO; wrong ones are answered with what to enter', async () => {
    const ok = await get('pat', '/reports?from=01/01/2025&to=2025-06-30');
    expect(ok.status).toBe(200);
    expect(textOf(ok.body)).toContain('Summary, 01/01/2025 to 06/30/2025');
    const cases: [string, string][] = [
      ['from=13/45/2025', 'Enter the start date as MM/DD/YYYY'],
      ['to=yesterday', 'Enter the end date as MM/DD/YYYY'],
      ['from=06/01/2025&to=01/01/2025', 'The start date must be on or before the end date.'],
      ['from=01/01/2015&to=01/01/2025', 'A report covers at most 5 years: choose a start date on or after 01/01/2020.'],
      [`to=${usDate(tomorrow())}`, `The end date cannot be after today (${usDate(today())}).`],
    ];
    for (const [query, message] of cases) {
      const page = await get('pat', `/reports?${query}`);
      expect(page.status).toBe(400);
      expect(textOf(page.body)).toContain(message);
      expect(page.body).toContain('class="error-summary" role="alert"');
      expect(page.body).toMatch(/aria-invalid="true" aria-describedby="(from|to)-error( (from|to)-hint)?"/);
    }
    expect((await get('pat', '/reports/organizations.csv?from=02/30/2025')).status).toBe(400);
  });

  test('the CSV files hold the rows of the page', async () => {
    const query = 'from=01/01/2022&to=12/31/2025';
    const page = await get('rosa', `/reports?${query}`);
    const csv = await get('rosa', `/reports/organizations.csv?${query}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="doses-by-organization-2022-01-01-to-2025-12-31.csv"');
    const [header, ...rows] = csvRows(csv.body);
    expect(header).toEqual(['Region', 'Organization', 'Code', 'TX IIS ID', 'Clients with doses', 'Doses administered', 'Historical doses', 'Total doses']);
    const onPage = page.body.split('id="by-organization"')[1]!.split('</table>')[0]!;
    expect(rows.map((r) => r[1])).toEqual([...onPage.matchAll(/<th scope="row" data-label="Organization">([^<]+?) <span/g)].map((m) => m[1]));
    const peds = rows.find((r) => r[2] === 'PEDS01')!;
    expect(textOf(onPage)).toContain(`Hill Country Pediatrics (PEDS01) 1000000001 ${peds.slice(4).join(' ')}`);

    const groups = csvRows((await get('rosa', `/reports/vaccine-groups.csv?${query}`)).body);
    expect(groups[0]).toEqual(['Region', 'Organization', 'Code', 'Vaccine group', 'Doses administered', 'Historical doses', 'Total doses']);
    expect(groups.slice(1).map((r) => r[3])).toContain('DTaP/Tdap/Td');
    expect(groups.slice(1).every((r) => r[0] === 'Health Service Region 7')).toBe(true);
  });

  test("a client's immunization report: doses by group with the forecast; a withdrawn client stays hidden", async () => {
    const page = await get('pat', `/reports?client=${william}`);
    expect(page.status).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('Client immunization report');
    expect(text).toContain('Garcia-Lopez, William Jose');
    expect(text).toMatch(/MMR 0 — Overdue Dose 1/);
    expect(text).toMatch(/DTaP\/Tdap\/Td 2 01\/22\/2020; 03\/23\/2020 Overdue Dose 3/);

    expect((await get('pat', `/reports?client=${wendy}`)).status).toBe(404);
    expect((await get('rosa', `/reports?client=${wendy}`)).status).toBe(404);
    expect((await get('steve', `/reports?client=${wendy}`)).status).toBe(200); // Full Access State sees withdrawn records
    expect((await get('pat', '/reports?client=12345')).status).toBe(404);

    const before = await auditCount({ action: 'report.client.export' });
    const csv = await postForm('pat', '/reports/client.csv', { client: william });
    expect(csv.status).toBe(200);
    const rows = csvRows(csv.body);
    expect(rows[0]).toEqual(['Vaccine group', 'Doses', 'Dates given', 'Status', 'Next dose', 'Recommended', 'Past due']);
    expect(rows.find((r) => r[0] === 'MMR')!.slice(1, 5)).toEqual(['0', '', 'Overdue', 'Dose 1']);
    expect(await auditCount({ action: 'report.client.export' })).toBe(before + 1);
    expect((await postForm('pat', '/reports/client.csv', { client: wendy })).status).toBe(404);
  });
});

describe('Recall and reminder', () => {
  test("pat's list: William (overdue) is on it, Wendy never; the counts add up", async () => {
    const form = await get('pat', '/recall');
    expect(form.status).toBe(200);
    expect(textOf(form.body)).toContain('Clients of Hill Country Pediatrics');
    const started = Date.now();
    const page = await postForm('pat', '/recall', recallForm);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(page.status).toBe(200);
    const ids = registryIdsOnPage(page.body);
    expect(ids).toContain(william);
    expect(ids).not.toContain(wendy);
    const row = page.body.split(`data-registry-id="${william}"`)[1]!.split('</tr>')[0]!;
    expect(textOf(row)).toMatch(/MMR: overdue since 04\/17\/2021/);
    expect(textOf(page.body)).toContain(`Clients due or overdue ${ids.length}`);
    // Only PEDS01's clients: of record, or with a dose recorded there.
    const ofPeds = new Set(
      (await s.db('clients').where({ organization_id: '1000000001' }).orWhereIn('id', s.db('immunizations').where({ organization_id: '1000000001' }).select('client_id')).select('registry_id')).map((c: { registry_id: string }) => c.registry_id),
    );
    expect(ids.every((id) => ofPeds.has(id))).toBe(true);
  });

  test('Wendy is never listed, even for her own organization, where she would be overdue', async () => {
    const ids = registryIdsOnPage((await postForm('sam', '/recall', recallForm, 'PHARM02')).body);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain(wendy);
  });

  test('a client of another organization with a dose recorded here is on the list', async () => {
    expect(registryIdsOnPage((await postForm('pat', '/recall', recallForm)).body)).not.toContain(ava);
    const avaId = ((await s.db('clients').where({ registry_id: ava }).first('id')) as { id: number }).id;
    const [row] = await s
      .db('immunizations')
      .insert({ client_id: avaId, organization_id: '1000000001', cvx: '150', ndc: null, given_on: yearAgo(), trade_name: null, mvx: 'PMC', lot: 'FLU1', site: 'LD', route: 'IM', historical: false, administered_by: null, source: 'manual', created_at: 0, updated_at: 0 })
      .returning('id');
    try {
      expect(registryIdsOnPage((await postForm('pat', '/recall', recallForm)).body)).toContain(ava);
    } finally {
      await s.db('immunizations').where({ id: typeof row === 'object' ? (row as { id: number }).id : row }).delete();
    }
  });

  test('vaccine groups and ages narrow the list; a wrong form is answered field by field', async () => {
    const mmrOnly = registryIdsOnPage((await postForm('pat', '/recall', { minAge: '0', maxAge: '18', status: 'overdue', group_MMR: '1' })).body);
    expect(mmrOnly).toContain(william);
    const all = registryIdsOnPage((await postForm('pat', '/recall', recallForm)).body);
    expect(mmrOnly.every((id) => all.includes(id))).toBe(true);
    // William is 7: not among the 10 to 18 year olds.
    expect(registryIdsOnPage((await postForm('pat', '/recall', { ...recallForm, minAge: '10' })).body)).not.toContain(william);

    const none = await postForm('pat', '/recall', { minAge: '0', maxAge: '18', status: 'due' });
    expect(none.status).toBe(400);
    expect(textOf(none.body)).toContain('Choose at least one vaccine group.');
    const ages = await postForm('pat', '/recall', { ...recallForm, minAge: '19', maxAge: '2' });
    expect(ages.status).toBe(400);
    expect(textOf(ages.body)).toContain('The youngest age must not be more than the oldest age.');
    const words = await postForm('pat', '/recall', { ...recallForm, maxAge: 'ten' });
    expect(textOf(words.body)).toContain('Enter the oldest age as whole years from 0 to 120.');
    expect(words.body).toContain('aria-describedby="maxAge-error');
  });

  test('the CSV has the rows of the page, is audited client by client, and no cell can be a formula', async () => {
    const williamId = ((await s.db('clients').where({ registry_id: william }).first('id')) as { id: number }).id;
    await s.db('client_addresses').where({ client_id: williamId, current: true }).update({ line1: '=HYPERLINK("http://evil.example")' });
    try {
      const page = await postForm('pat', '/recall', recallForm);
      const before = await auditCount({ action: 'recall.csv' });
      const csv = await postForm('pat', '/recall/export.csv', recallForm);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="recall-PEDS01-\d{4}-\d{2}-\d{2}\.csv"$/);
      const [header, ...rows] = csvRows(csv.body);
      expect(header![0]).toBe('ImmTrac2 ID');
      expect(rows.map((r) => r[0])).toEqual(registryIdsOnPage(page.body));
      const williamRow = rows.find((r) => r[0] === william)!;
      expect(williamRow.slice(1, 6)).toEqual(['Garcia-Lopez', 'William', 'Jose', '11/21/2019', String(ageOn('2019-11-21'))]);
      expect(williamRow[7]).toBe(`'=HYPERLINK("http://evil.example")`);
      expect(await auditCount({ action: 'recall.csv' })).toBe(before + rows.length);
      expect(await auditCount({ action: 'recall.csv', client_id: williamId })).toBeGreaterThan(0);
    } finally {
      await s.db('client_addresses').where({ client_id: williamId, current: true }).update({ line1: '1100 W 49th St' });
    }
  });

  test('letters: one per client, with the address, the vaccines due and the organization; audited', async () => {
    const ids = registryIdsOnPage((await postForm('pat', '/recall', recallForm)).body);
    const before = await auditCount({ action: 'recall.letters' });
    const page = await postForm('pat', '/recall/letters', recallForm);
    expect(page.status).toBe(200);
    const letters = page.body.split('<article class="letter"').slice(1);
    expect(letters).toHaveLength(ids.length);
    const williams = letters.find((l) => l.includes('Immunization reminder for William Jose Garcia-Lopez'))!;
    const text = textOf(williams);
    expect(text).toContain('Parent or guardian of William Jose Garcia-Lopez 1100 W 49th St Austin, TX 78756');
    expect(text).toContain('MMR, dose 1: overdue since 04/17/2021');
    expect(text).toContain('Please call Hill Country Pediatrics at (512) 555-0101');
    expect(await auditCount({ action: 'recall.letters' })).toBe(before + ids.length);
  });

  test('a run is capped, and says so', async () => {
    const recall = createRecall({ db: s.db, clock: s.clock, orgs: createOrganizationQueries(s.db), cap: 5 });
    const actor: Actor = { sub: 'test', name: 'Pat Provider', region: 7, org: { id: 'x', code: 'PEDS01', iis_id: '1000000001', name: 'Hill Country Pediatrics', role: 'full_access_provider', coordinator: null } };
    const list = await recall.run(actor, defaultRecallCriteria);
    expect(list).toMatchObject({ capped: true, checked: 5, cap: 5 });
    expect((await recall.run(actor, { ...defaultRecallCriteria, minAge: 7, maxAge: 7 })).capped).toBe(false);
  });
});

describe('Organization information', () => {
  test('rosa sees the organizations of her region with their counts; a region in the query changes nothing', async () => {
    const page = await get('rosa', '/organizations');
    expect(page.status).toBe(200);
    const text = textOf(page.body);
    for (const org of ['Hill Country Pediatrics', 'Central Texas ISD', 'Health Service Region 7']) expect(text).toContain(org);
    expect(text).not.toContain('Gulf Coast Pharmacy');
    const clients = Number(((await s.db('clients').where({ organization_id: '1000000001' }).whereNot({ consent: 'withdrawn' }).count({ n: '*' }).first()) as { n: unknown }).n);
    expect(text).toContain(`Hill Country Pediatrics PEDS01 1000000001 provider Austin, Travis County (512) 555-0101 7 ${clients} `);
    expect(textOf((await get('rosa', '/organizations?region=6')).body)).not.toContain('Gulf Coast Pharmacy');
  });

  test('steve sees every organization, and can filter by region', async () => {
    const all = textOf((await get('steve', '/organizations')).body);
    for (const org of ['Panhandle Family Clinic', 'Gulf Coast Pharmacy', 'Hill Country Pediatrics', 'Rio Grande Valley Health Center', 'DSHS Immunization Unit']) expect(all).toContain(org);
    const six = await get('steve', '/organizations?region=6');
    expect(textOf(six.body)).toContain('Gulf Coast Pharmacy');
    expect(textOf(six.body)).not.toContain('Hill Country Pediatrics');
    const none = textOf((await get('steve', '/organizations?region=none')).body);
    expect(none).toContain('DSHS Immunization Unit');
    expect(none).not.toContain('Gulf Coast Pharmacy');
    const wrong = await get('steve', '/organizations?region=99');
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.body)).toContain('Choose a Health Service Region from the list.');
    const csv = csvRows((await get('steve', '/organizations.csv?region=6')).body);
    expect(csv.slice(1).map((r) => r[2])).toEqual(['PHARM02']);
  });

  test('a provider has no organization information', async () => {
    expect((await get('pat', '/organizations')).status).toBe(403);
  });
});

describe('View Only', () => {
  test('val gets 403 on every page and every post, and nothing is written', async () => {
    await as('val'); // signing in writes the journey's own lines (statement, organization)
    const audited = await auditCount();
    for (const path of ['/reports', `/reports?client=${william}`, '/reports/organizations.csv', '/reports/vaccine-groups.csv', '/reports?from=bad', '/recall', '/organizations', '/organizations.csv']) {
      const page = await get('val', path);
      expect([path, page.status]).toEqual([path, 403]);
      expect(textOf(page.body)).toContain('Not available for your role');
    }
    for (const [path, form] of [['/recall', recallForm], ['/recall/export.csv', recallForm], ['/recall/letters', recallForm], ['/reports/client.csv', { client: william }], ['/recall', {}]] as const) {
      const page = await postForm('val', path, form);
      expect([path, page.status]).toEqual([path, 403]);
    }
    expect(await auditCount()).toBe(audited);
  });

  test('the menu offers these functions only to the roles that have them', async () => {
    const val = (await as('val')).agent;
    const home = await val.request(`${s.appUrl}/home`);
    expect(home.body).not.toMatch(/href="\/(reports|recall|organizations)"/);
    const rosaHome = await get('rosa', '/home');
    for (const href of ['/reports', '/recall', '/organizations']) expect(rosaHome.body).toContain(`href="${href}"`);
  });

  test('a post without the CSRF token of the session is refused', async () => {
    const { agent } = await as('pat');
    const page = await agent.request(`${s.appUrl}/recall/letters`, { method: 'POST', form: { ...recallForm, csrf: 'not-the-token' } });
    expect(page.status).toBe(403);
    expect(csrfOf((await agent.request(`${s.appUrl}/recall`)).body)).toBeTruthy();
  });
});

function usDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${m}/${d}/${y}`;
}
function ageOn(birth: string): number {
  const t = today();
  const years = Number(t.slice(0, 4)) - Number(birth.slice(0, 4));
  return t.slice(5) < birth.slice(5) ? years - 1 : years;
}
