import type { Knex } from 'knex';
import { freshDatabase, startTestPortal, type TestPortal } from '../src/testing/index.js';
import { createDb, migrate, type Db } from '../src/db/knex.js';
import { createPortal } from '../src/portal.js';
import { createLogger } from '../src/libraries/logger.js';
import { createAudit } from '../src/libraries/audit.js';
import { createAuditQueries } from '../src/queries/audit.js';
import { systemClock } from '../src/libraries/clock.js';
import * as initial from '../src/db/migrations/001-initial.js';
import * as accountProtection from '../src/db/migrations/002-account-protection.js';
import * as sessionActivity from '../src/db/migrations/003-session-activity.js';
import { portalCli } from './fixtures/portal-cli.js';

/**
 * The tamper-evident audit log (issue 8 §5): what an operator sees from `pnpm portal audit:verify`
 * after someone edits, deletes or swaps rows directly in the database, and that several portal
 * instances appending at once keep one unbroken chain. SQLite, or PostgreSQL with TEST_DATABASE_URL.
 */
let t: TestPortal;

beforeAll(async () => {
  t = await startTestPortal();
  const audit = t.portal.services.audit;
  for (let i = 0; i < 8; i++) {
    await audit.record({ action: 'test.event', subject: `event ${i}`, details: { i } }, { ip: `10.0.0.${i}`, userAgent: 'jest' });
  }
});

afterAll(() => t?.close());

const verify = (...args: string[]) => portalCli(t.config.databaseUrl, ['audit:verify', ...args]);

async function rowsOf(action: string): Promise<{ id: number; seq: number; hash: string; details: string; [k: string]: unknown }[]> {
  return (await t.db('audit_events').where({ action }).orderBy('id')).map((r) => ({ ...r, id: Number(r.id), seq: Number(r.seq) }));
}

test('a clean log verifies: exit 0, the row count and the head to keep', async () => {
  const result = await verify();
  expect(result.code).toBe(0);
  const total = Number((await t.db('audit_events').count({ n: '*' }))[0]!.n);
  expect(result.stdout).toContain(`Audit log intact: ${total} rows.`);
  const last = await t.db('audit_events').orderBy('id', 'desc').first();
  expect(result.stdout).toContain(`head: ${last.seq}:${last.hash} (row ${last.id})`);

  const json = await verify('--json');
  expect(json.code).toBe(0);
  expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, rows: total, head: `${last.seq}:${last.hash}` });
}, 60_000);

test('text that the database would store differently (NUL, half a surrogate pair, cut emoji) still verifies', async () => {
  const audit = t.portal.services.audit;
  await audit.record({ action: 'test.awkward', subject: `${'x'.repeat(199)}😀 and more`, details: { note: 'nul \u0000 inside' } }, { userAgent: `agent\u0000 \uD800 lone ${'é'.repeat(400)}`, ip: '::1' });
  await audit.record({ action: 'test.awkward', subject: 'Ünïcødé — “quotes” ‽' }, { userAgent: '\uDC00' });
  expect(await audit.verify()).toMatchObject({ ok: true });
  const [first] = await t.db('audit_events').where({ action: 'test.awkward' }).orderBy('id');
  expect(first.user_agent).not.toContain('\u0000');
  expect(first.subject.startsWith('x'.repeat(199))).toBe(true);
});

test('an edited row is named: exit 1, "changed"; putting it back makes the log verify again', async () => {
  const [, victim] = await rowsOf('test.event');
  await t.db.raw('update audit_events set ip = ? where id = ?', ['192.0.2.66', victim!.id]);

  const result = await verify();
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`Audit log BROKEN at row ${victim!.id} (changed): row ${victim!.id} was changed: its contents do not match its hash`);
  const json = await verify('--json');
  expect(json.code).toBe(1);
  expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, broken_id: victim!.id, problem: 'changed' });

  await t.db.raw('update audit_events set ip = ? where id = ?', [victim!.ip as string, victim!.id]);
  expect(await t.portal.services.audit.verify()).toMatchObject({ ok: true });
}, 60_000);

test('a row rewritten together with its hash breaks the link to the next row, which is named', async () => {
  const events = await rowsOf('test.event');
  const [victim, next] = [events[2]!, events[3]!];
  const previous = await t.db('audit_events').where('id', '<', victim.id).orderBy('id', 'desc').first();
  // What an attacker who knows the algorithm would do to one row.
  const { chainLink } = await import('../src/libraries/audit.js');
  const forged = { ...victim, details: JSON.stringify({ i: 99 }) };
  const link = chainLink({ seq: Number(previous.seq), hash: previous.hash }, forged as never);
  await t.db.raw('update audit_events set details = ?, hash = ? where id = ?', [forged.details, link.hash, victim.id]);

  const result = await verify();
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`BROKEN at row ${next.id} (changed): row ${next.id} was changed: its contents do not match its hash (or row ${victim.id} before it was rewritten together with its hash)`);

  await t.db.raw('update audit_events set details = ?, hash = ? where id = ?', [victim.details, victim.hash, victim.id]);
  expect(await t.portal.services.audit.verify()).toMatchObject({ ok: true });
}, 60_000);

test('a deleted row is named: exit 1, "removed", with the entry missing and the row after the gap', async () => {
  const events = await rowsOf('test.event');
  const [before, victim, after] = [events[3]!, events[4]!, events[5]!];
  await t.db.raw('delete from audit_events where id = ?', [victim.id]);

  const result = await verify();
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`BROKEN at row ${after.id} (removed): a row was removed before row ${after.id} (after row ${before.id}): entry #${victim.seq} is missing`);

  await t.db('audit_events').insert(victim);
  expect(await t.portal.services.audit.verify()).toMatchObject({ ok: true });
}, 60_000);

test('the oldest row deleted, with no purge to account for it, is caught too', async () => {
  const first = await t.db('audit_events').orderBy('id').first();
  await t.db.raw('delete from audit_events where id = ?', [first.id]);
  const second = await t.db('audit_events').orderBy('id').first();

  const result = await verify();
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`BROKEN at row ${second.id} (removed): rows before row ${second.id} were removed`);

  await t.db('audit_events').insert(first);
  expect(await t.portal.services.audit.verify()).toMatchObject({ ok: true });
}, 60_000);

test('two rows swapped in the database are named: exit 1, "reordered"', async () => {
  const events = await rowsOf('test.event');
  const [a, b] = [events[1]!, events[6]!];
  // Swap their ids (their place in id order); -1 is free.
  await t.db.raw('update audit_events set id = ? where id = ?', [-1, a.id]);
  await t.db.raw('update audit_events set id = ? where id = ?', [a.id, b.id]);
  await t.db.raw('update audit_events set id = ? where id = ?', [b.id, -1]);

  const result = await verify();
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`BROKEN at row ${a.id} (reordered): row ${a.id} is out of order: it holds entry #${b.seq}, but entry #${a.seq} comes next and is at row ${b.id}`);

  await t.db.raw('update audit_events set id = ? where id = ?', [-1, a.id]);
  await t.db.raw('update audit_events set id = ? where id = ?', [a.id, b.id]);
  await t.db.raw('update audit_events set id = ? where id = ?', [b.id, -1]);
  expect(await t.portal.services.audit.verify()).toMatchObject({ ok: true });
}, 60_000);

test('rows removed from the end are caught against a head recorded earlier (--head)', async () => {
  const recorded = await verify('--json');
  const head = JSON.parse(recorded.stdout).head as string;
  await t.portal.services.audit.record({ action: 'test.tail' });
  await t.portal.services.audit.record({ action: 'test.tail' });

  const still = await verify('--head', head);
  expect(still.code).toBe(0);
  expect(still.stdout).toContain(`The head given (#${head.split(':')[0]}) is still in the chain, unchanged.`);

  // Without the recorded head, removing the newest rows leaves a valid (shorter) chain ...
  const tail = await t.db('audit_events').where('seq', '>=', Number(head.split(':')[0])).orderBy('id');
  await t.db('audit_events').whereIn('id', tail.map((r) => r.id)).del();
  expect((await verify()).code).toBe(0);
  // ... which the recorded head exposes.
  const caught = await verify('--head', head);
  expect(caught.code).toBe(1);
  expect(caught.stderr).toContain(`(removed): entry #${head.split(':')[0]} was recorded earlier, but the log now ends at entry #`);

  await t.db('audit_events').insert(tail);
  expect(await t.portal.services.audit.verify()).toMatchObject({ ok: true });

  const bad = await verify('--head', 'latest');
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--head must be SEQ:HASH');
}, 60_000);

test('two portal instances appending at once keep one unbroken chain', async () => {
  const logger = createLogger('silent');
  const db2 = createDb(t.config.databaseUrl);
  const second = await createPortal(t.config, { db: db2, logger });
  try {
    const before = Number((await t.db('audit_events').count({ n: '*' }))[0]!.n);
    await Promise.all(
      [t.portal, second].flatMap((portal, instance) =>
        Array.from({ length: 100 }, (_, i) => portal.services.audit.record({ action: 'test.parallel', details: { instance, i } }, { ip: '127.0.0.1' })),
      ),
    );
    const rows = await t.db('audit_events').where({ action: 'test.parallel' }).orderBy('id');
    expect(rows).toHaveLength(200);
    expect(Number((await t.db('audit_events').count({ n: '*' }))[0]!.n)).toBe(before + 200);
    // Both instances' rows are interleaved in one chain, and it verifies.
    expect(new Set(rows.map((r) => JSON.parse(r.details).instance))).toEqual(new Set([0, 1]));
    expect(await t.portal.services.audit.verify({ batchSize: 37 })).toMatchObject({ ok: true, rows: before + 200 });
  } finally {
    await second.close();
    await db2.destroy();
  }
}, 120_000);

test('an append inside a caller\'s transaction joins it: rolled back with it, and the chain stays whole', async () => {
  const audit = (trx: Knex.Transaction) => createAudit({ queries: createAuditQueries(trx), clock: systemClock });
  const before = await t.db('audit_events').count({ n: '*' });

  await t.db
    .transaction(async (trx) => {
      await audit(trx).record({ action: 'test.rolled_back' });
      throw new Error('the unit of work fails after auditing');
    })
    .catch(() => undefined);
  expect(await t.db('audit_events').where({ action: 'test.rolled_back' })).toHaveLength(0);
  expect(await t.db('audit_events').count({ n: '*' })).toEqual(before);

  await t.db.transaction(async (trx) => {
    await audit(trx).record({ action: 'test.committed' });
    await audit(trx).record({ action: 'test.committed' });
  });
  await t.portal.services.audit.record({ action: 'test.after' });
  expect(await t.db('audit_events').where({ action: 'test.committed' })).toHaveLength(2);
  expect(await t.portal.services.audit.verify()).toMatchObject({ ok: true });
}, 60_000);

// A database created by an earlier release already holds audit rows: the migration chains them.
test('migrating a database with audit rows from before the chain makes them verifiable', async () => {
  const database = await freshDatabase();
  const db = createDb(database.url);
  try {
    const earlier = { '001-initial': initial, '002-account-protection': accountProtection, '003-session-activity': sessionActivity };
    await db.migrate.latest({
      migrationSource: { getMigrations: async () => Object.keys(earlier), getMigrationName: (n: string) => n, getMigration: async (n: string) => earlier[n as keyof typeof earlier] },
    });
    const old = Array.from({ length: 1234 }, (_, i) => ({
      at: Date.now() - 86_400_000 + i,
      action: i % 2 ? 'signin.success' : 'signin.failure',
      actor_user_id: null,
      subject_user_id: null,
      subject: i % 3 ? `user${i}` : null,
      ip: '198.51.100.7',
      user_agent: 'Mozilla/5.0 "quoted"',
      details: i % 2 ? null : JSON.stringify({ reason: 'bad_password', attempt: i }),
    }));
    for (let i = 0; i < old.length; i += 200) await db('audit_events').insert(old.slice(i, i + 200));

    await migrate(db);
    const audit = createAudit({ queries: createAuditQueries(db), clock: systemClock });
    expect(await audit.verify()).toMatchObject({ ok: true, rows: 1234, head: { seq: 1234 } });
    await audit.record({ action: 'test.after_migration' });
    expect(await audit.verify()).toMatchObject({ ok: true, rows: 1235 });
    const seqs = (await db('audit_events').select('seq').orderBy('id')).map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: 1235 }, (_, i) => i + 1));
  } finally {
    await db.destroy();
    await database.drop();
  }
}, 120_000);

