import { PDFParse } from 'pdf-parse';
import { textOf } from '@portal/portal/testing';
import { enterWorkspace, post, startRegistrySystem, type RegistrySystem } from './registry-fixture.js';

/** Client search, the record, immunizations and the Official Immunization Record, through HTTP. */
let s: RegistrySystem;
beforeAll(async () => {
  s = await startRegistrySystem();
});
afterAll(async () => {
  await s?.close();
});

const search = async (who: Parameters<typeof enterWorkspace>[1], form: Record<string, string>) => {
  const { agent, csrf } = await enterWorkspace(s, who);
  return post(s, agent, '/clients/search', form, csrf);
};

test.each([
  ['quick', { lastName: 'SMITH', firstName: 'john', birthDate: '04/03/2015' }],
  ['basic', { lastName: 'Garcia-Lo', birthDate: '11/21/2019' }],
  ['smart', { lastName: 'Smth', firstName: 'Jon', birthDate: '04/03/2015' }],
  ['smart', { lastName: 'Smith', firstName: 'John', birthDate: '03/04/2015' }],
  ['smart', { lastName: 'Lopez', firstName: 'Bill', birthDate: '' }],
])('%s search: an exact match opens the client\u2019s record (%o)', async (mode, fields) => {
  const page = await search('pat', { mode, ...fields });
  expect(page.url).toMatch(new RegExp(`${s.appUrl}/clients/\\d{10}$`));
  expect(textOf(page.body)).toContain('Client immunizations');
});

test('several matches show the client list to pick from', async () => {
  await s.db('clients').insert({ ...(await s.db('clients').where({ registry_id: '0000000101' }).first()), id: undefined, registry_id: '0000000901', middle_name: 'Brian', created_at: 1, updated_at: 1 });
  const page = await search('pat', { mode: 'quick', lastName: 'Smith', firstName: 'John', birthDate: '04/03/2015' });
  expect(page.url).toBe(`${s.appUrl}/clients/search`);
  const text = textOf(page.body);
  expect(text).toContain('2 clients found');
  expect(text).toContain('Smith, John Allen');
  expect(text).toContain('Smith, John Brian');
});

test('a client who withdrew consent is not found by any search', async () => {
  for (const mode of ['quick', 'smart']) {
    const page = await search('pat', { mode, lastName: 'Withdrawn', firstName: 'Wendy', birthDate: '07/09/2012' });
    expect(textOf(page.body)).toContain('No clients found');
  }
});

test.each([
  ['empty', { mode: 'quick', lastName: '', firstName: '', birthDate: '' }, 'Enter the last name.'],
  ['10 kB', { mode: 'smart', lastName: 'a'.repeat(10_000), firstName: 'John', birthDate: '' }, 'The last name is longer than 80 characters.'],
  ['SQL-looking', { mode: 'quick', lastName: "Smith' OR '1'='1", firstName: 'John', birthDate: '04/03/2015' }, 'The last name may contain only letters'],
  ['HTML-looking', { mode: 'basic', lastName: '<script>alert(1)</script>', firstName: '', birthDate: '' }, 'The last name may contain only letters'],
  ['a date that does not exist', { mode: 'quick', lastName: 'Smith', firstName: 'John', birthDate: '02/30/2015' }, 'Enter the date of birth as MM/DD/YYYY.'],
])('bad search input (%s) is answered clearly, never executed or reflected raw', async (_what, form, message) => {
  const page = await search('pat', form);
  expect(page.status).toBe(400);
  expect(textOf(page.body)).toContain(message);
  expect(page.body).not.toContain('<script>alert(1)</script>');
  expect(await s.db('clients').count({ n: '*' }).first()).toEqual({ n: expect.anything() }); // the table is still there
});

test('adding an immunization shows on the record and changes the forecast', async () => {
  const { agent, csrf } = await enterWorkspace(s, 'pat');
  const william = '0000000102'; // stopped after his 2-month doses
  const before = await agent.request(`${s.appUrl}/clients/${william}`);
  const mmrRow = (body: string) => textOf(/<tr class="due-[^"]*"><td data-label="Vaccine group">MMR[\s\S]*?<\/tr>/.exec(body)?.[0] ?? '');
  expect(mmrRow(before.body)).toContain('Dose 1');
  const saved = await post(s, agent, `/clients/${william}/immunizations/new`, { cvx: '03', givenOn: '11/25/2020', historical: '1', tradeName: 'M-M-R II', mvx: 'MSD', lot: 'R123456', site: 'LT', route: 'SC', administeredBy: '' }, csrf);
  expect(saved.url).toBe(`${s.appUrl}/clients/${william}`);
  expect(textOf(saved.body)).toContain('R123456');
  expect(mmrRow(saved.body)).toContain('Dose 2');
  const audit = await s.db('registry_audit').where({ action: 'immunization.add_historical' });
  expect(audit).toHaveLength(1);
  expect(JSON.stringify(audit)).not.toContain('R123456'); // the trail names ids, never the data
});

test('an immunization form with problems says what, field by field, and saves nothing', async () => {
  const { agent, csrf } = await enterWorkspace(s, 'pat');
  const count = async () => Number((await s.db('immunizations').count({ n: '*' }).first())!.n);
  const before = await count();
  const page = await post(s, agent, '/clients/0000000101/immunizations/new', { cvx: '03', givenOn: '01/01/2099', historical: '0', lot: 'bad lot!', site: '', route: '', tradeName: '', mvx: '', administeredBy: '' }, csrf);
  expect(page.status).toBe(400);
  const text = textOf(page.body);
  expect(text).toContain('A lot number has only letters, digits and hyphens.');
  expect(page.body).toMatch(/id="lot"[^>]*aria-invalid="true" aria-describedby="lot-error"/);
  expect(await count()).toBe(before);
  const future = await post(s, agent, '/clients/0000000101/immunizations/new', { cvx: '03', givenOn: '01/01/2099', historical: '0', lot: '', site: '', route: '', tradeName: '', mvx: '', administeredBy: '' }, csrf);
  expect(textOf(future.body)).toContain('The date given cannot be in the future.');
  expect(await count()).toBe(before);
});

test('editing and deleting an immunization', async () => {
  const { agent, csrf } = await enterWorkspace(s, 'pat');
  const john = await s.db('clients').where({ registry_id: '0000000101' }).first('id');
  const dose = await s.db('immunizations').where({ client_id: john.id, cvx: '21' }).first();
  const edited = await post(s, agent, `/clients/0000000101/immunizations/${dose.id}/edit`, { cvx: '21', givenOn: '04/10/2016', historical: '0', lot: 'EDITED1', site: 'RT', route: 'SC', tradeName: 'VARIVAX', mvx: 'MSD', administeredBy: 'Nurse Joy' }, csrf);
  expect(textOf(edited.body)).toContain('EDITED1');
  await post(s, agent, `/clients/0000000101/immunizations/${dose.id}/delete`, {}, csrf);
  expect(await s.db('immunizations').where({ id: dose.id }).first()).toBeUndefined();
  // A dose of another client through this client's address: not found, nothing deleted.
  const other = await s.db('immunizations').whereNot({ client_id: john.id }).first('id');
  const refused = await agent.request(`${s.appUrl}/clients/0000000101/immunizations/${other.id}/delete`, { form: { csrf } });
  expect(refused.status).toBe(404);
  expect(await s.db('immunizations').where({ id: other.id }).first()).toBeDefined();
});

test('the Official Immunization Record is a real PDF that lists the client\u2019s doses', async () => {
  const { agent } = await enterWorkspace(s, 'val');
  const res = await fetch(`${s.appUrl}/clients/0000000105/official-record.pdf`, { headers: { cookie: agent.cookieHeader(s.appUrl) } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  const parser = new PDFParse({ data: new Uint8Array(await res.arrayBuffer()) });
  const text = (await parser.getText()).text;
  await parser.destroy();
  expect(text).toContain('Official Immunization Record');
  expect(text).toContain('Student');
  expect(text).toContain('09/02/2018');
  const doses = await s.db('immunizations').join('clients', 'clients.id', 'immunizations.client_id').where('clients.registry_id', '0000000105').select('lot');
  for (const d of doses) expect(text).toContain(d.lot);
  const print = await agent.request(`${s.appUrl}/clients/0000000105/official-record`);
  expect(textOf(print.body)).toContain('Official Immunization Record');
});

test('demographics: an edit is saved and audited; a consent withdrawal hides the client', async () => {
  const { agent, csrf } = await enterWorkspace(s, 'pat');
  const ava = '0000000105';
  const saved = await post(s, agent, `/clients/${ava}/demographics/aka`, { firstName: 'Avery', middleName: '', lastName: 'Studentova' }, csrf);
  expect(textOf(saved.body)).toContain('Studentova, Avery');
  // The AKA is searchable at once (smart search keys include it).
  const found = await post(s, agent, '/clients/search', { mode: 'smart', lastName: 'Studentova', firstName: 'Avery', birthDate: '09/02/2018' }, csrf);
  expect(found.url).toBe(`${s.appUrl}/clients/${ava}`);
  await post(s, agent, `/clients/${ava}/demographics/consent`, { consent: 'withdrawn', signedOn: '11/01/2026' }, csrf);
  expect((await agent.request(`${s.appUrl}/clients/${ava}`)).status).toBe(404);
  expect((await s.db('registry_audit').where({ action: 'client.consent' })).length).toBe(1);
});

test("doses given by hand go to VAOS's inventory feed: an administered dose with a lot, its correction and its deletion; a historical dose does not", async () => {
  const { agent, csrf } = await enterWorkspace(s, 'pat');
  const feed = () => s.db('inventory_feed').orderBy('id').select('kind', 'organization_id', 'vaccine', 'lot');
  const before = (await feed()).length;
  const form = { cvx: '10', givenOn: '11/02/2020', historical: '0', tradeName: 'IPOL', mvx: 'PMC', lot: 'IPV2020A', site: 'LT', route: 'IM', administeredBy: 'Nurse Joy' };
  await post(s, agent, '/clients/0000000102/immunizations/new', form, csrf);
  await post(s, agent, '/clients/0000000102/immunizations/new', { ...form, givenOn: '11/03/2020', historical: '1', lot: 'HIST9' }, csrf);
  const dose = await s.db('immunizations').where({ lot: 'IPV2020A' }).first('id');
  await post(s, agent, `/clients/0000000102/immunizations/${dose.id}/edit`, { ...form, administeredBy: 'Nurse Jay' }, csrf); // not what was given: no stock moves
  await post(s, agent, `/clients/0000000102/immunizations/${dose.id}/edit`, { ...form, lot: 'IPV2020B' }, csrf);
  await post(s, agent, `/clients/0000000102/immunizations/${dose.id}/delete`, {}, csrf);
  const peds = '1000000001';
  expect((await feed()).slice(before)).toEqual([
    { kind: 'given', organization_id: peds, vaccine: '10', lot: 'IPV2020A' },
    { kind: 'reversed', organization_id: peds, vaccine: '10', lot: 'IPV2020A' },
    { kind: 'given', organization_id: peds, vaccine: '10', lot: 'IPV2020B' },
    { kind: 'reversed', organization_id: peds, vaccine: '10', lot: 'IPV2020B' },
  ]);
});
