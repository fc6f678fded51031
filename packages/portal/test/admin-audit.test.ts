import { startTestPortal, HttpAgent, textOf, type TestPortal } from '../src/testing/index.js';
import { parseCsv } from './fixtures/portal-cli.js';

/**
 * The audit log as administrators read it (issue #8): search by actor, subject, action, time and
 * IP; a streamed CSV export that honours the same filters; both reads recorded; the help desk and
 * everyone else refused.
 */
const password = 'Correct-Horse-9!';
let t: TestPortal;
let admin: HttpAgent;
const reason = { code: 'locked_out', text: 'Caller verified by phone' };

const portalSignIn = (username: string) => new HttpAgent(t.url).signInToPortal(username, password);

beforeAll(async () => {
  t = await startTestPortal();
  await t.directory.createUser({ username: 'ada', email: 'ada@example.org', password, role: 'admin' });
  await t.directory.createUser({ username: 'dana', email: 'dana@example.org', password, role: 'helpdesk' });
  await t.directory.createUser({ username: 'pat', email: 'pat@example.org', password, name: '=HYPERLINK("http://evil")' });
  const dana = (await t.portal.services.users.findByUsername('dana'))!;
  const pat = (await t.portal.services.users.findByUsername('pat'))!;
  const desk = { kind: 'person', userId: dana.id, username: 'dana', role: 'helpdesk' } as const;
  await t.portal.support.unlock(desk, pat.id, reason, { ip: '10.1.2.3' });
  await t.portal.support.endSessions(desk, pat.id, reason, { ip: '10.1.2.3' });
  admin = await portalSignIn('ada');
}, 60_000);
afterAll(() => t?.close());

test('filter by actor (username), subject and action; the search itself is recorded', async () => {
  const page = await admin.request(`${t.url}/admin/audit?actor=dana&subject=pat&action=support.unlock`);
  expect(page.status).toBe(200);
  const text = textOf(page.body);
  expect(text).toContain('support.unlock');
  expect(text).not.toContain('support.sessions_ended');
  expect(text).toContain('reasonCode: locked_out; reason: Caller verified by phone');
  expect(text).toContain('10.1.2.3');
  const byIp = textOf((await admin.request(`${t.url}/admin/audit?ip=10.1.2.3`)).body);
  expect(byIp).toContain('support.sessions_ended');
  expect(byIp).toContain('support.unlock');
  const searches = await t.db('audit_events').where({ action: 'audit.search' });
  expect(searches.length).toBeGreaterThanOrEqual(2);
});

test('the CSV export streams only what the filters match, formula-safe, and is recorded', async () => {
  const res = await admin.request(`${t.url}/admin/audit/export.csv?actor=dana&action=support.unlock`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/csv');
  expect(res.headers.get('content-disposition')).toContain('attachment');
  const rows = parseCsv(res.body);
  expect(rows[0]).toEqual(['id', 'seq', 'at', 'action', 'actor_user_id', 'subject_user_id', 'subject', 'ip', 'user_agent', 'details', 'hash']);
  expect(rows.slice(1).map((r) => r[3])).toEqual(['support.unlock']);
  const all = parseCsv((await admin.request(`${t.url}/admin/audit/export.csv`)).body);
  expect(all.length).toBeGreaterThan(5);
  expect(all.flat().some((cell) => cell.startsWith('='))).toBe(false);
  expect(await t.db('audit_events').where({ action: 'audit.export' })).toHaveLength(2);
});

test('a bad date gets a clear message; the help desk and plain users are refused', async () => {
  const bad = await admin.request(`${t.url}/admin/audit?from=2026-02-30`);
  expect(bad.status).toBe(400);
  expect(textOf(bad.body)).toContain('is not a real date');
  const desk = await portalSignIn('dana');
  expect((await desk.request(`${t.url}/admin/audit`)).status).toBe(403);
  expect((await desk.request(`${t.url}/admin/audit/export.csv`)).status).toBe(403);
  const plain = await portalSignIn('pat');
  expect((await plain.request(`${t.url}/admin/audit/export.csv`)).status).toBe(403);
  expect((await new HttpAgent(t.url).request(`${t.url}/admin/audit`)).status).toBe(303); // to sign in
});
