import { startTestPortal, type TestPortal } from '../src/testing/index.js';
import { createTestClock } from '../src/libraries/clock.js';
import { portalCli, parseCsv } from './fixtures/portal-cli.js';

/**
 * Audit export and search (issue 8 §5): the filters an administrator gives are honoured, what a
 * stranger typed cannot become a spreadsheet formula, every export and search is itself audited,
 * and no secret ever appears in an export (§6).
 */
let t: TestPortal;
const clock = createTestClock();
const day = 86_400_000;
const agent = 'aaaaaaaa-0000-4000-8000-000000000001';
const person = 'bbbbbbbb-0000-4000-8000-000000000002';
let secrets: string[];
let january: { from: string; to: string };

beforeAll(async () => {
  t = await startTestPortal({ clock });
  const audit = t.portal.services.audit;
  // A client secret and a password, shown once to the operator: never in the audit log.
  const client = await t.directory.createClient({ name: 'Export test', redirectUris: ['https://app.example/cb'] });
  await t.directory.createUser({ username: 'exported', email: 'exported@example.org', password: 'Secret-Passw0rd-For-Export!' });
  secrets = [client.client_secret!, 'Secret-Passw0rd-For-Export!'];

  clock.advance(-400 * day);
  const start = clock.now();
  january = { from: new Date(start - 1000).toISOString(), to: new Date(start + 10 * day).toISOString() };
  await audit.record({ action: 'test.old', subject: 'from long ago' }, { ip: '203.0.113.1' });
  clock.advance(20 * day);
  await audit.record({ action: 'helpdesk.unlock', subjectUserId: person, details: { reason: 'locked out' } }, { actorUserId: agent, ip: '203.0.113.9', userAgent: '=HYPERLINK("https://evil.example","Click")' });
  await audit.record({ action: 'signin.failure', subject: '+1-800, "quoted"\nsecond line', details: { reason: 'unknown_user' } }, { ip: '203.0.113.9', userAgent: '@SUM(A1:A2)' });
  await audit.record({ action: 'signin.failure', subject: '-2+3', details: { reason: 'bad_password' } }, { ip: '198.51.100.4' });
  await audit.record({ action: 'signin.success', subjectUserId: person }, { actorUserId: person, ip: '198.51.100.4' });
  clock.advance(380 * day);
});

afterAll(() => t?.close());

const cli = (...args: string[]) => portalCli(t.config.databaseUrl, args);

test('CSV export: a header, the rows that match, cells quoted per RFC 4180 and defused against formulas', async () => {
  const result = await cli('audit:export', '--ip', '203.0.113.9');
  expect(result.code).toBe(0);
  const [header, ...rows] = parseCsv(result.stdout);
  expect(header).toEqual(['id', 'seq', 'at', 'action', 'actor_user_id', 'subject_user_id', 'subject', 'ip', 'user_agent', 'details', 'hash']);
  expect(rows.map((r) => r[3])).toEqual(['helpdesk.unlock', 'signin.failure']);
  const [unlock, failure] = rows as [string[], string[]];
  expect(unlock[4]).toBe(agent);
  expect(unlock[5]).toBe(person);
  expect(unlock[8]).toBe(`'=HYPERLINK("https://evil.example","Click")`);
  expect(JSON.parse(unlock[9]!)).toEqual({ reason: 'locked out' });
  expect(failure[6]).toBe(`'+1-800, "quoted"\nsecond line`);
  expect(failure[8]).toBe(`'@SUM(A1:A2)`);
  // The raw text: quotes doubled, the cell with a comma and a line break quoted as a whole.
  expect(result.stdout).toContain(`,"'+1-800, ""quoted""\nsecond line",203.0.113.9,'@SUM(A1:A2),`);
  expect(result.stdout.endsWith('\r\n')).toBe(true);
}, 60_000);

test('each filter narrows the export: action, actor, subject, time range; JSON lines with --format jsonl or --json', async () => {
  const actions = async (...args: string[]) => {
    const result = await cli('audit:export', '--format', 'jsonl', ...args);
    expect(result.code).toBe(0);
    return result.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
  };
  expect((await actions('--action', 'signin.failure')).map((e) => e.subject)).toEqual(['+1-800, "quoted"\nsecond line', '-2+3']);
  expect((await actions('--actor', agent)).map((e) => e.action)).toEqual(['helpdesk.unlock']);
  expect((await actions('--subject', person)).map((e) => e.action)).toEqual(['helpdesk.unlock', 'signin.success']);
  expect((await actions('--from', january.from, '--to', january.to)).map((e) => e.action)).toEqual(['test.old']);
  expect((await actions('--from', january.to, '--ip', '198.51.100.4', '--action', 'signin.success')).map((e) => e.subjectUserId)).toEqual([person]);

  const viaJson = await cli('audit:export', '--json', '--action', 'helpdesk.unlock');
  expect(viaJson.code).toBe(0);
  expect(JSON.parse(viaJson.stdout)).toMatchObject({ action: 'helpdesk.unlock', actorUserId: agent, subjectUserId: person, ip: '203.0.113.9', details: { reason: 'locked out' } });
}, 60_000);

test('every export is audited with its filters, and does not contain its own row', async () => {
  const first = await cli('audit:export', '--action', 'signin.failure', '--from', '2020-01-01', '--format', 'jsonl');
  expect(first.code).toBe(0);
  expect(first.stdout).not.toContain('audit.export');

  const exports = (await t.db('audit_events').where({ action: 'audit.export' }).orderBy('id', 'desc')).map((r) => JSON.parse(r.details));
  expect(exports[0]).toEqual({ via: 'cli', format: 'jsonl', filters: { action: 'signin.failure', from: '2020-01-01T00:00:00.000Z' } });
  expect(await t.portal.services.audit.verify()).toMatchObject({ ok: true });
}, 60_000);

test('no secret the operator was shown is in any export', async () => {
  for (const format of ['csv', 'jsonl']) {
    const result = await cli('audit:export', '--format', format);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('client.create');
    for (const secret of secrets) expect(result.stdout).not.toContain(secret);
  }
}, 60_000);

test.each([
  [['--from', 'yesterday'], '--from: expected an ISO 8601 date'],
  [['--from', '2026-02-30'], '--from: 2026-02-30 is not a real date'],
  [['--to', '2026-01-31T08:00:00'], '--to: expected an ISO 8601 date'],
  [['--from', '2026-02-01', '--to', '2026-01-01'], 'to: must be later than from'],
  [['--format', 'xlsx'], '--format must be csv or jsonl'],
  [['--json', '--format', 'csv'], '--json means --format jsonl'],
  [['--bogus'], "Unknown option '--bogus'"],
])('audit:export %j is a usage error (exit 2, nothing exported)', async (args, message) => {
  const result = await cli('audit:export', ...(args as string[]));
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(message);
  expect(result.stdout.replace(/^\{"error":.*\}\n$/, '')).toBe('');
}, 60_000);

test('the library export reads the log in batches (a route pipes it), never the table at once', async () => {
  const chunks: string[] = [];
  for await (const chunk of t.portal.services.audit.export({}, { format: 'jsonl', via: 'test', batchSize: 2 })) chunks.push(chunk);
  const lines = chunks.join('').trim().split('\n');
  expect(lines.length).toBeGreaterThan(6);
  expect(chunks.length).toBe(Math.ceil(lines.length / 2));
  expect(chunks.every((c) => c.trim().split('\n').length <= 2)).toBe(true);
});

test('search: newest first, paged, filtered, and audited as a read', async () => {
  const audit = t.portal.services.audit;
  const context = { actorUserId: agent, ip: '192.0.2.10' };
  const page1 = await audit.search({ ip: '198.51.100.4' }, { limit: 1 }, context);
  expect(page1.events.map((e) => e.action)).toEqual(['signin.success']);
  expect(page1.nextBefore).toBeDefined();
  const page2 = await audit.search({ ip: '198.51.100.4' }, { limit: 1, before: page1.nextBefore }, context);
  expect(page2.events.map((e) => [e.action, e.subject])).toEqual([['signin.failure', '-2+3']]);
  expect(page2.nextBefore).toBeUndefined(); // the last page

  const both = await audit.search({ subjectUserId: person, from: Date.parse(january.to) }, {}, context);
  expect(both.events.map((e) => e.action)).toEqual(['signin.success', 'helpdesk.unlock']);
  expect(both.nextBefore).toBeUndefined();

  const searches = await audit.search({ action: 'audit.search', actorUserId: agent }, {}, context);
  expect(searches.events[0]).toMatchObject({ actorUserId: agent, ip: '192.0.2.10', details: { filters: { subject: person, from: january.to } } });
  expect(searches.events).toHaveLength(3);
});
