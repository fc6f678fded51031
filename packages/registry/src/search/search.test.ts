import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, migrateRegistry, type Db } from '../db/index.js';
import { createClientQueries } from '../queries/clients.js';
import { createReferenceQueries } from '../queries/reference.js';
import { seedRegistryDemoData } from '../demo/demo-data.js';
import { nameKey } from './names.js';
import { smartSearch, parseDate } from './index.js';

/** The three searches over the demo registry (3,000 synthetic clients and the named ones). */
let dir: string;
let db: Db;
let clients: ReturnType<typeof createClientQueries>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'registry-search-'));
  db = createDb(`sqlite:${join(dir, 'registry.sqlite')}`);
  await migrateRegistry(db);
  await createReferenceQueries(db).load();
  await seedRegistryDemoData(db, { today: '2026-12-01', now: Date.parse('2026-12-01') });
  clients = createClientQueries(db);
}, 60_000);

afterAll(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const names = (rows: { first_name: string; last_name: string }[]) => rows.map((r) => `${r.first_name} ${r.last_name}`);

test('quick search finds John Smith by name and date of birth, whatever the case', async () => {
  const found = await clients.quick({ lastKey: nameKey('SMITH'), firstKey: nameKey('john'), birthDate: '2015-04-03' }, false);
  expect(names(found)).toEqual(['John Smith']);
});

test('basic search matches names from their start and narrows by the other fields', async () => {
  const found = await clients.basic({ lastName: 'Garcia-Lo', birthDate: '2019-11-21' }, false);
  expect(names(found)).toEqual(['William Garcia-Lopez']);
});

test.each([
  ['Jon', 'Smth', '2015-04-03', 'John Smith'],
  ['John', 'Smith', parseDate('03/04/2015'), 'John Smith'],
  ['Bill', 'Garcia', '2019-11-21', 'William Garcia-Lopez'],
  ['Bill', 'Lopez', undefined, 'William Garcia-Lopez'],
  ['Maria', 'Nunez', '2024-02-14', 'Maria Nuñez'],
])('smart search: %s %s (%s) finds %s first', async (first, last, birthDate, expected) => {
  const found = await smartSearch(clients, { firstName: first, lastName: last, birthDate }, false);
  expect(names(found)[0]).toBe(expected);
});

test('a client who withdrew consent is not found, except when asked for (Full Access State)', async () => {
  expect(await smartSearch(clients, { firstName: 'Wendy', lastName: 'Withdrawn', birthDate: '2012-07-09' }, false)).toEqual([]);
  expect(await clients.quick({ lastKey: 'withdrawn', firstKey: 'wendy', birthDate: '2012-07-09' }, false)).toEqual([]);
  expect(names(await smartSearch(clients, { firstName: 'Wendy', lastName: 'Withdrawn', birthDate: '2012-07-09' }, true))).toEqual(['Wendy Withdrawn']);
});
