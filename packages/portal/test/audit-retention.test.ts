import { startTestPortal, type TestPortal } from '../src/testing/index.js';
import { createTestClock } from '../src/libraries/clock.js';
import { portalCli } from './fixtures/portal-cli.js';

/**
 * Audit retention (issue 8 §5): rows older than AUDIT_RETENTION_DAYS go, each purge leaves its own
 * audit row saying where the chain now starts, and the shortened log still verifies. The clock is
 * moved, never waited for.
 */
const day = 86_400_000;
const count = async (t: TestPortal, action?: string) =>
  Number((await t.db('audit_events').modify((q) => (action ? q.where({ action }) : q)).count({ n: '*' }))[0]!.n);

describe('purge', () => {
  const clock = createTestClock();
  let t: TestPortal;

  beforeAll(async () => {
    t = await startTestPortal({ clock, env: { AUDIT_RETENTION_DAYS: '365' } });
  });
  afterAll(() => t?.close());

  test('removes what is past retention, writes its own row, and the chain still verifies', async () => {
    const audit = t.portal.services.audit;
    for (let i = 0; i < 5; i++) await audit.record({ action: 'test.old', details: { i } });
    const old = await count(t);
    clock.advance(200 * day);
    for (let i = 0; i < 3; i++) await audit.record({ action: 'test.middle', details: { i } });
    clock.advance(200 * day);
    await audit.record({ action: 'test.recent' });

    // 400 days on: only the first rows are older than 365 days.
    const first = await audit.purge({ retentionDays: 365, via: 'test' });
    expect(first.deleted).toBe(old);
    expect(await count(t, 'test.old')).toBe(0);
    expect(await count(t, 'test.middle')).toBe(3);
    const [purgeRow] = await t.db('audit_events').where({ action: 'audit.purge' });
    expect(JSON.parse(purgeRow.details)).toMatchObject({ via: 'test', retention_days: 365, deleted: old, through_seq: old, before: first.before });
    expect(await audit.verify()).toMatchObject({ ok: true, rows: 3 + 1 + 1, startsAfter: { seq: old } });

    // Nothing more is old enough: nothing happens, not even a row.
    expect((await audit.purge({ retentionDays: 365, via: 'test' })).deleted).toBe(0);
    expect(await count(t, 'audit.purge')).toBe(1);

    // A year later everything goes, the first purge's own row too; the new purge row carries the chain on.
    clock.advance(400 * day);
    const all = await count(t);
    expect((await audit.purge({ retentionDays: 365, via: 'test' })).deleted).toBe(all);
    expect(await count(t)).toBe(1);
    const result = await audit.verify();
    expect(result).toMatchObject({ ok: true, rows: 1, startsAfter: { seq: old + 3 + 1 + 1 } });
    await audit.record({ action: 'test.after' });
    expect(await audit.verify()).toMatchObject({ ok: true, rows: 2 });
  });

  test('deleting old rows by hand (not through a purge) is still caught', async () => {
    const audit = t.portal.services.audit;
    clock.advance(400 * day);
    await audit.record({ action: 'test.later' });
    const oldest = await t.db('audit_events').orderBy('id').first();
    await t.db.raw('delete from audit_events where id = ?', [oldest.id]);
    const result = await audit.verify();
    expect(result).toMatchObject({ ok: false, problem: 'removed' });
    await t.db('audit_events').insert(oldest);
    expect(await audit.verify()).toMatchObject({ ok: true });
  });

  test('refuses a retention under a year whoever asks', async () => {
    await expect(t.portal.services.audit.purge({ retentionDays: 30, via: 'test' })).rejects.toThrow('audit retention below 365 days is refused');
  });

  test('the sweeper purges at most once a day', async () => {
    const audit = t.portal.services.audit;
    const latestPurge = () => t.db('audit_events').where({ action: 'audit.purge' }).orderBy('id', 'desc').first();
    await audit.record({ action: 'test.to_sweep' });
    clock.advance(day);
    await audit.record({ action: 'test.borderline' });
    clock.advance(364 * day + 12 * 3600_000);
    await audit.record({ action: 'test.kept' });
    const before = await latestPurge();

    // 365 days and 12 hours after the first row: it goes, the one a day younger stays.
    await t.portal.sweep();
    expect(await count(t, 'test.to_sweep')).toBe(0);
    expect(await count(t, 'test.borderline')).toBe(1);
    const swept = await latestPurge();
    expect(swept.id).not.toBe(before?.id);
    expect(JSON.parse(swept.details)).toMatchObject({ via: 'sweeper', retention_days: 365 });

    // 13 hours later that one is past retention too, but the sweeper waits for the next day.
    clock.advance(13 * 3600_000);
    await t.portal.sweep();
    expect(await count(t, 'test.borderline')).toBe(1);
    expect((await latestPurge()).id).toBe(swept.id);

    clock.advance(12 * 3600_000);
    await t.portal.sweep();
    expect(await count(t, 'test.borderline')).toBe(0);
    expect(await count(t, 'test.kept')).toBe(1);
    expect((await latestPurge()).id).not.toBe(swept.id);
    expect(await audit.verify()).toMatchObject({ ok: true });
  });
});

describe('operator', () => {
  let t: TestPortal;
  const clock = createTestClock();

  beforeAll(async () => {
    t = await startTestPortal({ clock });
    // Eight years ago, as far as these rows know.
    clock.advance(-2922 * day);
    for (let i = 0; i < 4; i++) await t.portal.services.audit.record({ action: 'test.ancient', details: { i } });
    clock.advance(2922 * day);
    await t.portal.services.audit.record({ action: 'test.recent' });
  });
  afterAll(() => t?.close());

  test('audit:purge deletes what is older than AUDIT_RETENTION_DAYS (default 7 years) and audit:verify still passes', async () => {
    const result = await portalCli(t.config.databaseUrl, ['audit:purge']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Deleted \d+ audit rows recorded before \d{4}-\d\d-\d\dT[\d:.]+Z \(retention 2555 days\); an audit\.purge row records it\.$/m);
    expect(await count(t, 'test.ancient')).toBe(0);
    expect(await count(t, 'test.recent')).toBe(1);

    const again = await portalCli(t.config.databaseUrl, ['audit:purge', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ deleted: 0, retention_days: 2555 });

    const verify = await portalCli(t.config.databaseUrl, ['audit:verify']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/Audit log intact: \d+ rows, starting after purged entry #\d+\./);
  }, 60_000);

  test('AUDIT_RETENTION_DAYS below 365 is refused before anything runs', async () => {
    const result = await portalCli(t.config.databaseUrl, ['audit:purge'], { AUDIT_RETENTION_DAYS: '90' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('AUDIT_RETENTION_DAYS: must be at least 365');
    expect(await count(t, 'test.recent')).toBe(1);
  }, 60_000);
});
