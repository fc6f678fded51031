import type { HttpAgent } from '@portal/portal/testing';
import { textOf } from '@portal/portal/testing';
import { csrfOf, enterWorkspace, post, startRegistrySystem, type Person, type RegistrySystem } from './registry-fixture.js';

/** Seed 000, "Functions for All Users: Schools": manage list, find student, check school report. */
let s: RegistrySystem;
beforeAll(async () => {
  s = await startRegistrySystem();
});
afterAll(async () => {
  await s?.close();
});

const ava = { registryId: '0000000105', lastName: 'Student', firstName: 'Ava', birthDate: '09/02/2018' };
const john = { registryId: '0000000101', lastName: 'Smith', firstName: 'John', birthDate: '04/03/2015' };
const wendy = { registryId: '0000000104', lastName: 'Withdrawn', firstName: 'Wendy', birthDate: '07/09/2012' };

interface Session { agent: HttpAgent; csrf: string; person: Person }

async function enter(person: Person): Promise<Session> {
  const { agent, csrf } = await enterWorkspace(s, person);
  return { agent, csrf, person };
}

const get = (who: Session, path: string) => who.agent.request(`${s.appUrl}${path}`);
const send = (who: Session, path: string, form: Record<string, string>) => post(s, who.agent, path, form, who.csrf);

/** Creates a list through the form; returns its id (from the page it lands on). */
async function createList(who: Session, name: string): Promise<number> {
  const page = await send(who, '/schools/lists', { name });
  const id = /\/schools\/lists\/(\d+)/.exec(page.url)?.[1];
  if (!id) throw new Error(`no list created: ${textOf(page.body).slice(0, 400)}`);
  return Number(id);
}

async function addStudent(who: Session, registryId: string, listIds: number[]) {
  return send(who, '/schools/find-student/add', { registryId, mode: 'quick', ...Object.fromEntries(listIds.map((id) => [`list-${id}`, '1'])) });
}

/** Makes a report of the list; returns the report page. */
async function makeReport(who: Session, listId: number, asOf = '') {
  return send(who, `/schools/lists/${listId}/report`, { asOf });
}

/** The table row naming this student, as text. */
function rowOf(body: string, name: string): string {
  const row = body.split('<tr').map((r) => r.split('</tr>')[0]!).find((r) => textOf(`<x${r}`).includes(name));
  if (!row) throw new Error(`no row for ${name}`);
  return textOf(`<x${row}`);
}

/** RFC 4180, enough for the report: quoted cells with doubled quotes and commas inside. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}

const audited = (action: string) => s.db('registry_audit').where({ action }).select('*');
const clientId = async (registryId: string) => ((await s.db('clients').where({ registry_id: registryId }).first('id')) as { id: number }).id;
const today = () => new Date(s.clock.now()).toISOString().slice(0, 10);
const us = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;

test('View Only at a school: the Schools menu, a list, Ava found by quick search and John by basic search, added; the school report and its CSV', async () => {
  const val = await enter('val');
  const home = await get(val, '/home');
  for (const item of ['Manage lists', 'Find student', 'Check school report']) expect(textOf(home.body)).toContain(item);

  const listId = await createList(val, 'Kindergarten 2026');
  let page = await get(val, `/schools/lists/${listId}`);
  expect(textOf(page.body)).toContain('Kindergarten 2026');
  expect(textOf(page.body)).toContain('No students on this list yet');
  expect(textOf((await get(val, '/schools/lists')).body)).toContain('Kindergarten 2026');

  // Find student: the registry's quick search; the list we came from is chosen already.
  page = await get(val, `/schools/find-student?list=${listId}`);
  page = await post(s, val.agent, '/schools/find-student', { mode: 'quick', list: String(listId), lastName: ava.lastName, firstName: ava.firstName, birthDate: ava.birthDate }, csrfOf(page.body));
  expect(page.status).toBe(200);
  expect(textOf(page.body)).toContain('Student, Ava Rose');
  expect(page.body).toMatch(new RegExp(`name="list-${listId}" value="1" checked`));
  page = await addStudent(val, ava.registryId, [listId]);
  expect(page.url).toContain('/schools/find-student');
  expect(textOf(page.body)).toContain('The student was added to 1 list.');
  // Basic search, and the second time she is marked as on the list already.
  page = await send(val, '/schools/find-student', { mode: 'basic', lastName: 'Smi', firstName: '', middleName: '', birthDate: john.birthDate, sex: '', motherMaidenName: '', phone: '', zip: '', registryId: '' });
  expect(textOf(page.body)).toContain('Smith, John Allen');
  await addStudent(val, john.registryId, [listId]);
  page = await send(val, '/schools/find-student', { mode: 'quick', ...ava });
  expect(textOf(page.body)).toContain('Kindergarten 2026 (on this list)');
  expect(textOf((await addStudent(val, ava.registryId, [listId])).body)).toContain('already on the lists you chose');

  page = await get(val, `/schools/lists/${listId}`);
  expect(textOf(page.body)).toContain('Students (2)');
  expect(textOf(page.body)).toContain('Student, Ava Rose');
  expect((await audited('school.student.add')).filter((a) => a.details === `list ${listId}`)).toHaveLength(2);

  // The report as of the date the nurse chose: Ava has four series overdue, John a DTaP dose due.
  page = await makeReport(val, listId, '12/01/2026');
  const reportId = Number(/\/schools\/reports\/(\d+)$/.exec(page.url)?.[1]);
  expect(reportId).toBeGreaterThan(0);
  const text = textOf(page.body);
  expect(text).toContain('School report: Kindergarten 2026');
  expect(text).toContain('As of 12/01/2026');
  expect(text).toContain('Central Texas ISD');
  expect(text).toContain('Students 2: 1 with an overdue series, 1 more with a dose due');
  expect(rowOf(page.body, 'Student, Ava Rose')).toBe('Student, Ava Rose 09/02/2018 0000000105 Complete Overdue dose 5, past due 09/01/2025 Overdue dose 4, past due 09/29/2025 Overdue dose 2, past due 09/29/2025 Overdue dose 2, past due 09/29/2025');
  expect(rowOf(page.body, 'Smith, John Allen')).toBe('Smith, John Allen 04/03/2015 0000000101 Complete Due dose 6, due 04/03/2026 Complete Complete Complete');
  expect(page.body).toContain('data-print-record');
  expect(await audited('school.report.create')).toHaveLength(1);

  // Check school report: it is listed, and its CSV is the same rows.
  expect(textOf((await get(val, '/schools/reports')).body)).toContain('Kindergarten 2026');
  const csv = await get(val, `/schools/reports/${reportId}.csv`);
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="school-report-${reportId}.csv"`);
  expect(csv.body.endsWith('\r\n')).toBe(true);
  const rows = parseCsv(csv.body.replace(/^\uFEFF/, ''));
  expect(rows).toEqual([
    ['List', 'As of', 'ImmTrac2 ID', 'Last name', 'First name', 'Middle name', 'Date of birth', 'Hep B', 'DTaP/Tdap/Td', 'Polio', 'MMR', 'Varicella', 'Due', 'Overdue'],
    ['Kindergarten 2026', '12/01/2026', '0000000101', 'Smith', 'John', 'Allen', '04/03/2015', 'Complete', 'Due (dose 6, due 04/03/2026)', 'Complete', 'Complete', 'Complete', 'DTaP/Tdap/Td', ''],
    ['Kindergarten 2026', '12/01/2026', '0000000105', 'Student', 'Ava', 'Rose', '09/02/2018', 'Complete', 'Overdue (dose 5, past due 09/01/2025)', 'Overdue (dose 4, past due 09/29/2025)', 'Overdue (dose 2, past due 09/29/2025)', 'Overdue (dose 2, past due 09/29/2025)', '', 'DTaP/Tdap/Td; Polio; MMR; Varicella'],
  ]);
  expect(await audited('school.report.download')).toHaveLength(1);

  // Left empty, the date is today's.
  page = await makeReport(val, listId);
  expect(textOf(page.body)).toContain(`As of ${us(today())}`);
  expect(textOf(page.body)).toContain('Made');

  // A report as of an earlier date forecasts on that date: in January 2024 Ava's doses were due, not overdue.
  page = await makeReport(val, listId, '01/15/2024');
  expect(rowOf(page.body, 'Student, Ava Rose')).toBe('Student, Ava Rose 09/02/2018 0000000105 Complete Due dose 5, due 09/02/2022 Due dose 4, due 09/02/2022 Due dose 2, due 09/02/2022 Due dose 2, due 09/02/2022');

  // The report stays as it was made: Ava leaves the list, the stored report still shows her.
  page = await send(val, `/schools/lists/${listId}/students/${ava.registryId}/remove`, {});
  expect(textOf(page.body)).toContain('The student was removed from the list.');
  expect(textOf(page.body)).toContain('Students (1)');
  expect(textOf(page.body)).not.toContain('Student, Ava Rose');
  expect(await audited('school.student.remove')).toHaveLength(1);
  expect(textOf((await get(val, `/schools/reports/${reportId}`)).body)).toContain('Student, Ava Rose');

  // Rename, then delete: the list and its reports go, the students' records stay.
  page = await send(val, `/schools/lists/${listId}/rename`, { name: 'Kindergarten 2026–27' });
  expect(textOf(page.body)).toContain('The list was renamed.');
  expect(page.body).toContain('<h1>Kindergarten 2026–27</h1>');
  page = await send(val, `/schools/lists/${listId}/delete`, {});
  expect(textOf(page.body)).toContain('The list and its reports were deleted.');
  expect(await s.db('school_lists').where({ id: listId })).toHaveLength(0);
  expect(await s.db('school_reports').where({ list_id: listId })).toHaveLength(0);
  expect((await get(val, `/schools/reports/${reportId}`)).status).toBe(404);
  expect(await s.db('clients').where({ registry_id: ava.registryId })).toHaveLength(1);
  expect((await audited('school.list.delete')).map((a) => a.details)).toEqual([`list ${listId}`]);
});

test('another organization\u2019s list is not found, for reading and for every change, and nothing changes', async () => {
  const val = await enter('val');
  const listId = await createList(val, '7th grade');
  await addStudent(val, ava.registryId, [listId]);
  const reportPage = await makeReport(val, listId);
  const reportId = Number(/\/schools\/reports\/(\d+)$/.exec(reportPage.url)?.[1]);
  const before = { lists: await s.db('school_lists').orderBy('id'), students: await s.db('school_list_students').orderBy(['list_id', 'client_id']), reports: await s.db('school_reports').count({ n: '*' }) };

  const pat = await enter('pat');
  const patList = await createList(pat, 'Patients at school age');
  const answers = [
    await get(pat, `/schools/lists/${listId}`),
    await get(pat, `/schools/reports/${reportId}`),
    await get(pat, `/schools/reports/${reportId}.csv`),
    await send(pat, `/schools/lists/${listId}/rename`, { name: 'Taken over' }),
    await send(pat, `/schools/lists/${listId}/delete`, {}),
    await send(pat, `/schools/lists/${listId}/report`, { asOf: '' }),
    await send(pat, `/schools/lists/${listId}/students/${ava.registryId}/remove`, {}),
    await addStudent(pat, john.registryId, [listId]),
    // One list of their own and one of another organization: the whole request is refused.
    await addStudent(pat, john.registryId, [patList, listId]),
  ];
  for (const answer of answers) {
    expect(answer.status).toBe(404);
    expect(textOf(answer.body)).not.toContain('7th grade');
    expect(textOf(answer.body)).not.toContain('Ava');
  }
  expect(textOf(answers[0]!.body)).toContain('That student list does not exist at your organization.');
  expect(textOf(answers[1]!.body)).toContain('That school report does not exist at your organization.');
  expect(textOf((await get(pat, '/schools/lists')).body)).not.toContain('7th grade');
  expect(textOf((await get(pat, '/schools/reports')).body)).not.toContain('7th grade');

  expect(await s.db('school_lists').orderBy('id')).toEqual([...before.lists, expect.objectContaining({ id: patList, organization_id: '1000000001' })]);
  expect(await s.db('school_list_students').orderBy(['list_id', 'client_id'])).toEqual(before.students);
  expect(await s.db('school_reports').count({ n: '*' })).toEqual(before.reports);
  const patSub = ((await s.t.db('users').where({ username: 'pat' }).first('id')) as { id: string }).id;
  expect((await s.db('registry_audit').where({ sub: patSub }).where('action', 'like', 'school.%')).map((a) => a.action)).toEqual(['school.list.create']);
});

test('a list name is unique at the organization, whatever the letter case, with a clear message', async () => {
  const val = await enter('val');
  await createList(val, 'First grade');
  let page = await send(val, '/schools/lists', { name: '  first GRADE ' });
  expect(page.status).toBe(400);
  expect(textOf(page.body)).toContain('Your organization already has a list named \u201cFirst grade\u201d. Choose another name.');
  expect(page.body).toContain('aria-invalid="true" aria-describedby="name-error name-hint"');
  expect(page.body).toContain('<a href="#name">');
  expect(await s.db('school_lists').where({ organization_id: '1000000003' }).whereRaw("lower(name) = 'first grade'")).toHaveLength(1);

  // Renaming onto another list's name: the same message; the name of another organization is free.
  const second = await createList(val, 'Second grade');
  page = await send(val, `/schools/lists/${second}/rename`, { name: 'First Grade' });
  expect(page.status).toBe(400);
  expect(textOf(page.body)).toContain('already has a list named \u201cFirst grade\u201d');
  expect((await s.db('school_lists').where({ id: second }).first('name')).name).toBe('Second grade');
  const pat = await enter('pat');
  await createList(pat, 'First grade');
});

test('a forged or missing CSRF token is refused and changes nothing', async () => {
  const val = await enter('val');
  const listId = await createList(val, 'Pre-K');
  const lists = await s.db('school_lists').count({ n: '*' });
  for (const [path, form] of [
    ['/schools/lists', { name: 'Forged list' }],
    ['/schools/find-student/add', { registryId: ava.registryId, [`list-${listId}`]: '1' }],
    [`/schools/lists/${listId}/rename`, { name: 'Forged name' }],
    [`/schools/lists/${listId}/delete`, {}],
    [`/schools/lists/${listId}/report`, { asOf: '' }],
  ] as const) {
    const forged = await val.agent.request(`${s.appUrl}${path}`, { method: 'POST', form: { csrf: 'forged-token', ...form } });
    expect(forged.status).toBe(403);
    expect(textOf(forged.body)).toContain('Your form expired or came from another site.');
    expect((await val.agent.request(`${s.appUrl}${path}`, { method: 'POST', form })).status).toBe(403);
  }
  expect(await s.db('school_lists').count({ n: '*' })).toEqual(lists);
  expect((await s.db('school_lists').where({ id: listId }).first('name')).name).toBe('Pre-K');
  expect(await s.db('school_list_students').where({ list_id: listId })).toHaveLength(0);
  expect(await s.db('school_reports').where({ list_id: listId })).toHaveLength(0);
});

test('a withdrawn-consent client is not found nor added, and drops out of lists and reports — but for Full Access State', async () => {
  const val = await enter('val');
  const listId = await createList(val, 'Withdrawn test');
  let page = await send(val, '/schools/find-student', { mode: 'quick', ...wendy });
  expect(textOf(page.body)).toContain('No students found');
  page = await addStudent(val, wendy.registryId, [listId]);
  expect(page.status).toBe(404);
  expect(textOf(page.body)).toContain('There is no client with that ImmTrac2 ID, or the client is not available to you.');
  expect(await s.db('school_list_students').where({ list_id: listId })).toHaveLength(0);

  // Consent withdrawn after John was added and reported: he is no longer shown to the school.
  await addStudent(val, john.registryId, [listId]);
  await addStudent(val, ava.registryId, [listId]);
  const reportId = Number(/\/schools\/reports\/(\d+)$/.exec((await makeReport(val, listId)).url)?.[1]);
  const johnId = await clientId(john.registryId);
  await s.db('clients').where({ id: johnId }).update({ consent: 'withdrawn' });
  try {
    expect(textOf((await get(val, `/schools/lists/${listId}`)).body)).not.toContain('Smith, John');
    const report = await get(val, `/schools/reports/${reportId}`);
    expect(textOf(report.body)).not.toContain('Smith, John');
    expect(textOf(report.body)).toContain('Student, Ava Rose');
    expect((await get(val, `/schools/reports/${reportId}.csv`)).body).not.toContain('Smith');
    page = await makeReport(val, listId);
    expect(textOf(page.body)).toContain('Students 1:');
    expect(textOf(page.body)).not.toContain('Smith, John');
  } finally {
    await s.db('clients').where({ id: johnId }).update({ consent: 'minor' });
  }

  // Full Access State finds Wendy, adds her to a list of DSHS, and reports her.
  const steve = await enter('steve');
  const stateList = await createList(steve, 'Consent review');
  page = await send(steve, '/schools/find-student', { mode: 'quick', ...wendy });
  expect(textOf(page.body)).toContain('Withdrawn, Wendy Consent withdrawn');
  page = await addStudent(steve, wendy.registryId, [stateList]);
  expect(textOf(page.body)).toContain('The student was added to 1 list.');
  page = await makeReport(steve, stateList);
  expect(textOf(page.body)).toContain('Withdrawn, Wendy');
});

test('hostile input: a 10 kB name, markup, a spreadsheet formula, invisible characters, odd ids — refused clearly or kept as text', async () => {
  const val = await enter('val');
  const listCount = async () => Number(((await s.db('school_lists').count({ n: '*' }).first()) as { n: number | string }).n);
  const before = await listCount();

  let page = await send(val, '/schools/lists', { name: 'x'.repeat(10_000) });
  expect(page.status).toBe(400);
  expect(textOf(page.body)).toContain('A list name has at most 100 characters.');
  page = await send(val, '/schools/lists', { name: '   ' });
  expect(page.status).toBe(400);
  expect(textOf(page.body)).toContain('Enter a name for the list');
  page = await send(val, '/schools/lists', { name: 'Grade\u202E3' });
  expect(page.status).toBe(400);
  expect(textOf(page.body)).toContain('A list name may contain only visible characters.');
  expect(await listCount()).toBe(before);

  // Markup is a name like any other: stored as typed, escaped wherever it is shown.
  const script = '<script>alert("x")</script> & <b>';
  const scriptList = await createList(val, script);
  for (const shown of [await get(val, `/schools/lists/${scriptList}`), await get(val, '/schools/lists'), await send(val, '/schools/find-student', { mode: 'quick', ...ava })]) {
    expect(shown.body).not.toContain('<script>alert');
    expect(shown.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;');
  }
  page = await send(val, '/schools/lists', { name: script });
  expect(page.body).not.toContain('<script>alert');
  expect(textOf(page.body)).toContain(`already has a list named \u201c${script}\u201d`);

  // A formula for a list name: in the CSV it is text (a leading apostrophe), quoted where needed.
  const formula = '=HYPERLINK("http://evil.example","open me")';
  const formulaList = await createList(val, formula);
  await addStudent(val, ava.registryId, [formulaList]);
  const reportId = Number(/\/schools\/reports\/(\d+)$/.exec((await makeReport(val, formulaList)).url)?.[1]);
  const csv = (await get(val, `/schools/reports/${reportId}.csv`)).body;
  expect(csv).toContain(`\r\n"'=HYPERLINK(""http://evil.example"",""open me"")",`);
  expect(parseCsv(csv.replace(/^\uFEFF/, ''))[1]![0]).toBe(`'${formula}`);
  for (const name of ['+1 class', '-2 class', '@home class']) {
    const id = await createList(val, name);
    await addStudent(val, ava.registryId, [id]);
    const r = Number(/\/schools\/reports\/(\d+)$/.exec((await makeReport(val, id)).url)?.[1]);
    expect(parseCsv((await get(val, `/schools/reports/${r}.csv`)).body.replace(/^\uFEFF/, ''))[1]![0]).toBe(`'${name}`);
  }

  // A report date that is not a date, or too far ahead; a list with nobody on it.
  page = await makeReport(val, formulaList, '13/45/2026');
  expect(page.status).toBe(400);
  expect(textOf(page.body)).toContain('Enter the date as MM/DD/YYYY.');
  page = await makeReport(val, formulaList, '01/01/2100');
  expect(page.status).toBe(400);
  expect(textOf(page.body)).toContain('Choose a date no more than a year from today.');
  page = await makeReport(val, scriptList);
  expect(page.status).toBe(400);
  expect(textOf(page.body)).toContain('Add students to the list before making a report of it.');

  // No list ticked: the student is shown again with the message tied to the choices.
  page = await addStudent(val, ava.registryId, []);
  expect(page.status).toBe(400);
  expect(textOf(page.body)).toContain('Choose at least one list to add the student to.');
  expect(page.body).toContain('<a href="#lists">');
  expect(textOf(page.body)).toContain('Student, Ava Rose');

  // Ids that are not ids are pages that do not exist.
  for (const path of ['/schools/lists/abc', '/schools/lists/0', '/schools/lists/1e3', '/schools/lists/99999999999', '/schools/reports/-1', '/schools/reports/1;drop', '/schools/reports/999999.csv']) {
    expect((await get(val, path)).status).toBe(404);
  }
  expect((await addStudent(val, '../../etc/passwd', [formulaList])).status).toBe(404);
  expect((await send(val, `/schools/lists/${formulaList}/students/0000000999/remove`, {})).status).toBe(404);
});
