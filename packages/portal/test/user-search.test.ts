import { startTestPortal, type TestPortal } from '../src/testing/index.js';
import { seedDirectory } from '../src/cli/seed-scale.js';
import { isSqlite } from '../src/db/knex.js';

/**
 * The help desk's search at the planning scale (SPEC §1: 100,000 users; issue #8): every kind of
 * search is answered from an index — the query plan never scans the users table — and the exact
 * username search keeps leading zeros significant.
 */
const users = Number(process.env.SEARCH_TEST_USERS ?? 100_000);
let t: TestPortal;
const operator = { kind: 'operator' } as const;

beforeAll(async () => {
  t = await startTestPortal();
  await seedDirectory(t.db, { users, orgs: 2_000 });
  await t.directory.createUser({ username: '00012345678', name: 'State Employee', email: 'employee@dshs.example.org', password: 'Correct-Horse-9!' });
  await t.directory.createUser({ username: '12345678', name: 'Someone Else', email: 'else@example.org', password: 'Correct-Horse-9!' });
}, 180_000);

afterAll(async () => {
  await t?.close();
});

/** The plan the database chose for the search's statement, as text. */
async function planOf(field: 'username' | 'name' | 'email' | 'org', text: string): Promise<string> {
  const queries: { sql: string; bindings: readonly unknown[] }[] = [];
  const listener = (q: { sql: string; bindings: readonly unknown[] }) => queries.push(q);
  t.db.on('query', listener);
  await t.portal.services.users.search(field, text, { limit: 26, offset: 0 });
  t.db.off('query', listener);
  const q = queries.at(-1)!;
  const rows = isSqlite(t.db) ? await t.db.raw(`explain query plan ${q.sql}`, q.bindings as never) : (await t.db.raw(`explain ${q.sql.replace(/\$\d+/g, '?')}`, q.bindings as never)).rows;
  return (rows as Record<string, unknown>[]).map((r) => String(r.detail ?? r['QUERY PLAN'])).join('\n');
}

test.each([
  ['username', 'user004242'],
  ['name', 'grace nguyen'],
  ['email', 'user0999'],
  ['org', 'org0123'],
] as const)('a search by %s uses an index, never a scan of the users table', async (field, text) => {
  const plan = await planOf(field, text);
  if (process.env.SHOW_PLANS) process.stderr.write(`${field}:\n${plan}\n`);
  if (isSqlite(t.db)) {
    expect(plan).not.toMatch(/SCAN (u|users)\b(?! USING)/);
    expect(plan).toMatch(/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY|PRIMARY KEY/);
  } else {
    expect(plan).not.toMatch(/Seq Scan on users/);
  }
  const { rows } = await t.portal.support.search(operator, { field, text }, {});
  expect(rows.length).toBeGreaterThan(0);
});

test('results are paged, 25 at a time, in a stable order', async () => {
  const first = await t.portal.support.search(operator, { field: 'name', text: 'ana', page: 1 }, {});
  const second = await t.portal.support.search(operator, { field: 'name', text: 'ana', page: 2 }, {});
  expect(first.rows).toHaveLength(25);
  expect(first.more).toBe(true);
  expect(second.rows[0]!.id).not.toBe(first.rows[0]!.id);
  expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(50);
});

test('the username search is exact: 00012345678 is not 12345678', async () => {
  const zeros = await t.portal.support.search(operator, { field: 'username', text: '00012345678' }, {});
  expect(zeros.rows.map((r) => r.username)).toEqual(['00012345678']);
  const plain = await t.portal.support.search(operator, { field: 'username', text: '12345678' }, {});
  expect(plain.rows.map((r) => r.username)).toEqual(['12345678']);
});
