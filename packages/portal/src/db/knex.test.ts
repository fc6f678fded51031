import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDb, isSqlite, migrate, unitOfWork, type Db } from './knex.js';

/** The SQLite side of `createDb`: better-sqlite3 through knex, one connection per database handle. */
let dir: string;
let url: string;
let db: Db;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'knex-'));
  url = `sqlite:${join(dir, 'portal.sqlite')}`;
  db = createDb(url);
  await migrate(db);
});

afterAll(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const org = (code: string) => ({ id: `org-${code}`, code, code_key: code.toLowerCase(), iis_id: code.padStart(10, '0'), name: `Org ${code}`, created_at: Date.now() });

test('opened as the portal needs it: SQLite, WAL, synchronous=NORMAL, foreign keys enforced', async () => {
  expect(isSqlite(db)).toBe(true);
  expect(await db.raw('pragma journal_mode')).toEqual([{ journal_mode: 'wal' }]);
  expect(await db.raw('pragma synchronous')).toEqual([{ synchronous: 1 }]);
  // By code, not toThrow: the addon makes its errors in the realm of the first test file that loaded it.
  await expect(db('memberships').insert({ user_id: 'nobody', org_id: 'nothing', role: 'x', created_at: 1 })).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
});

test('values come back as the PostgreSQL side gives them: numbers (never BigInt), returning rows, merged upserts', async () => {
  await db('organizations').insert(org('1'));
  const [row] = await db('organizations').where({ id: 'org-1' }).update({ name: 'Renamed' }).returning(['name', 'created_at']);
  expect(row).toEqual({ name: 'Renamed', created_at: expect.any(Number) });
  await db('organizations').insert({ ...org('1'), name: 'Merged' }).onConflict('id').merge(['name']);
  expect(await db('organizations').where({ id: 'org-1' }).first()).toMatchObject({ name: 'Merged', code: '1' });
  const [{ n }] = (await db('organizations').count({ n: '*' })) as [{ n: unknown }];
  expect(typeof n).toBe('number');
  expect(await db('organizations').where({ id: 'org-1' }).delete()).toBe(1);
});

test('a unit of work commits or rolls back as one; a nested unit joins the outer one', async () => {
  const work = unitOfWork(db);
  await expect(
    work(async () => {
      await db('organizations').insert(org('2'));
      await work(async () => db('organizations').insert(org('3')));
      throw new Error('step lost its compare-and-set');
    }),
  ).rejects.toThrow('step lost');
  expect(await db('organizations').whereIn('id', ['org-2', 'org-3'])).toEqual([]);

  // Inside a unit every query joins its transaction: with one connection, a query sent to the
  // pool instead would wait for the connection the unit holds, forever.
  await work(async () => {
    await db('organizations').insert(org('2'));
    expect(await db('organizations').where({ id: 'org-2' }).first()).toMatchObject({ code: '2' });
  });
  expect(await db('organizations').where({ id: 'org-2' }).first()).toMatchObject({ code: '2' });
});

test('a second connection waits for the write lock without stopping the event loop, then writes', async () => {
  const second = createDb(url);
  try {
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const first = unitOfWork(db)(async () => {
      await db('organizations').insert(org('4')); // takes the write lock
      holding();
      await sleep(300); // async work while holding it, as a flow step's effects may be
    });
    await held;
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = Date.now();
    await second('organizations').insert(org('5'));
    clearInterval(ticker);
    await first;
    expect(Date.now() - started).toBeGreaterThanOrEqual(200); // it waited for the commit ...
    expect(ticks).toBeGreaterThanOrEqual(5); // ... while timers kept firing
    expect((await db('organizations').whereIn('id', ['org-4', 'org-5'])).length).toBe(2);
  } finally {
    await second.destroy();
  }
});
