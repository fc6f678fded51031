import { createDb, type Db } from '@portal/db';
import { freshDatabase } from '@portal/portal/testing';
import { migrateRpKit } from './migrations/index.js';
import { createSessionStore, sessionKeyOf } from './session-store.js';
import { createTokenSeal } from './token-seal.js';

/** The store on a real database: a temp SQLite file, or a fresh PostgreSQL database with TEST_DATABASE_URL. */
const minute = 60_000;
const secret = 'a-client-secret-of-at-least-32-characters';

let database: Awaited<ReturnType<typeof freshDatabase>>;
const opened: Db[] = [];

beforeEach(async () => {
  database = await freshDatabase();
});

afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
  await database.drop();
});

/** A connection of its own to the test's database: a second one is what another instance or a restart has. */
async function open(): Promise<Db> {
  const db = createDb(database.url);
  opened.push(db);
  await migrateRpKit(db);
  return db;
}

let now = 1_800_000_000_000;
const clock = { now: () => now };
const advance = (ms: number) => (now += ms);

async function setup(options: { clientId?: string; clientSecret?: string } = {}) {
  const db = await open();
  const clientId = options.clientId ?? 'registry';
  const store = createSessionStore({
    db,
    clientId,
    clock,
    idleMs: 15 * minute,
    absoluteMs: 12 * 60 * minute,
    tokenSeal: createTokenSeal(options.clientSecret ?? secret, clientId),
  });
  return { db, store, advance };
}

const person = (sub: string, sid: string) => ({ sub, sid, claims: { sub }, idToken: 'id-token' });

test('the idle window slides with every use and ends a session idle for more than 15 minutes', async () => {
  const { store, advance } = await setup();
  const s = await store.create(person('u1', 's1'));
  advance(15 * minute);
  expect((await store.use(s.id)).session?.id).toBe(s.id); // exactly 15 minutes idle is still in
  advance(15 * minute);
  expect((await store.use(s.id)).session?.id).toBe(s.id);
  advance(15 * minute + 1);
  expect(await store.use(s.id)).toEqual({ expired: true });
  expect(await store.use(s.id)).toEqual({ expired: false }); // and it is gone, not merely refused
});

test('a session ends after its absolute lifetime (12 hours) however active it is', async () => {
  const { store, advance } = await setup();
  const s = await store.create(person('u1', 's1'));
  for (let i = 0; i < 71; i++) {
    advance(10 * minute);
    expect((await store.use(s.id)).session).toBeDefined();
  }
  advance(10 * minute + 1); // 12 hours and a moment after sign-in, 10 minutes after the last request
  expect(await store.use(s.id)).toEqual({ expired: true });
});

test('a back-channel logout ends every session of that portal session, or of that person, and no other', async () => {
  const { store } = await setup();
  const a1 = await store.create(person('alice', 'sso-1'));
  const a2 = await store.create(person('alice', 'sso-1'));
  const a3 = await store.create(person('alice', 'sso-2'));
  const b = await store.create(person('bob', 'sso-3'));
  expect(await store.destroyMatching({ sid: 'sso-1', sub: 'alice' })).toBe(2);
  expect((await store.use(a1.id)).session).toBeUndefined();
  expect((await store.use(a2.id)).session).toBeUndefined();
  expect((await store.use(a3.id)).session).toBeDefined();
  expect(await store.destroyMatching({ sid: 'sso-3', sub: 'alice' })).toBe(0); // sid of someone else: nothing
  expect(await store.destroyMatching({ sub: 'alice' })).toBe(1);
  expect(await store.destroyMatching({})).toBe(0);
  expect((await store.use(b.id)).session).toBeDefined();
});

test('session ids and CSRF tokens are long random values, different every time', async () => {
  const { store } = await setup();
  const one = await store.create(person('u', 's'));
  const two = await store.create(person('u', 's'));
  expect(one.id).toMatch(/^[\w-]{43}$/);
  expect(one.id).not.toBe(two.id);
  expect(one.csrfToken).not.toBe(two.csrfToken);
});

test('inspect tells the time left without sliding it, and why a session ended', async () => {
  const { store, advance } = await setup();
  const s = await store.create(person('u1', 's1'));
  advance(10 * minute);
  expect(await store.inspect(s.id)).toMatchObject({ state: 'live', remainingMs: 5 * minute });
  advance(4 * minute);
  expect(await store.inspect(s.id)).toMatchObject({ state: 'live', remainingMs: minute }); // looking did not touch it
  advance(minute + 1);
  expect(await store.inspect(s.id)).toEqual({ state: 'ended', reason: 'idle' });
  expect(await store.inspect(s.id)).toEqual({ state: 'ended', reason: 'idle' }); // still there to say why, until used
  expect(await store.use(s.id)).toEqual({ expired: true });
  expect(await store.inspect(s.id)).toEqual({ state: 'absent' });
  expect(await store.inspect(undefined)).toEqual({ state: 'absent' });

  const busy = await store.create(person('u2', 's2'));
  for (let i = 0; i < 72; i++) {
    advance(10 * minute);
    await store.use(busy.id);
  }
  // Near the 12-hour limit the time left is what remains of it, not a full idle window.
  expect(await store.inspect(busy.id)).toMatchObject({ state: 'live', remainingMs: 0 });
  advance(1);
  expect(await store.inspect(busy.id)).toEqual({ state: 'ended', reason: 'lifetime' });
});

test('the database holds a hash of the cookie value, never the value itself', async () => {
  const { db, store } = await setup();
  const s = await store.create(person('u1', 's1'));
  const rows = (await db('rp_sessions').select()) as Record<string, unknown>[];
  expect(rows).toHaveLength(1);
  expect(rows[0]!.key).toBe(sessionKeyOf(s.id));
  expect(rows[0]!.key).toMatch(/^[0-9a-f]{64}$/);
  expect(JSON.stringify(rows)).not.toContain(s.id);
  // The hash itself, presented as a cookie, opens nothing.
  expect(await store.use(rows[0]!.key as string)).toEqual({ expired: false });
});

test('a second store on the same database (a restart, another instance) finds, slides and ends the same sessions', async () => {
  const a = await setup();
  const b = await setup();
  const s = await a.store.create(person('u1', 's1'));
  advance(10 * minute);
  expect((await b.store.use(s.id)).session).toMatchObject({ id: s.id, sub: 'u1', sid: 's1', csrfToken: s.csrfToken, claims: { sub: 'u1' } });
  advance(10 * minute); // 20 minutes after sign-in, 10 after b's use: b slid it for a too
  expect(await a.store.inspect(s.id)).toMatchObject({ state: 'live', remainingMs: 5 * minute });
  await b.store.destroy(s.id);
  expect(await a.store.inspect(s.id)).toEqual({ state: 'absent' });
});

test('session data is merged and stored: the next request, on any instance, reads it', async () => {
  const a = await setup();
  const b = await setup();
  const s = await a.store.create(person('u1', 's1'));
  await a.store.updateData(s, { activeOrgId: 'org-1', theme: 'dark' });
  expect(s.data).toEqual({ activeOrgId: 'org-1', theme: 'dark' });
  expect(() => ((s.data as Record<string, unknown>).activeOrgId = 'x')).toThrow(TypeError); // read-only in place
  await a.store.updateData(s, { activeOrgId: 'org-2', theme: undefined });
  expect((await b.store.use(s.id)).session?.data).toEqual({ activeOrgId: 'org-2' });
});

test('apps sharing one database keep their sessions apart', async () => {
  const registry = await setup({ clientId: 'registry' });
  const ordering = await setup({ clientId: 'ordering' });
  const r = await registry.store.create(person('alice', 'sso-1'));
  const o = await ordering.store.create(person('alice', 'sso-1'));
  expect((await ordering.store.use(r.id)).session).toBeUndefined();
  expect(await registry.store.destroyMatching({ sid: 'sso-1' })).toBe(1);
  expect((await ordering.store.use(o.id)).session).toBeDefined();
});

test('expired rows are deleted by a sweep at most once a minute, and live ones stay', async () => {
  const { db, store, advance } = await setup();
  const subs = async () => ((await db('rp_sessions').select('sub').orderBy('sub')) as { sub: string }[]).map((r) => r.sub);
  await store.create(person('a', 's1')); // the store's first request sweeps (nothing yet)
  advance(30_000);
  const b = await store.create(person('b', 's2'));
  advance(15 * minute + 1 - 30_000); // a: idle for 15 min + 1 ms; b: 14.5 min
  const live = await store.create(person('live', 's3'));
  expect(await subs()).toEqual(['b', 'live']);
  advance(30_000); // b has ended too, but the last sweep was 30 s ago
  await store.use(live.id);
  expect(await subs()).toEqual(['b', 'live']);
  expect(await store.inspect(b.id)).toEqual({ state: 'ended', reason: 'idle' });
  advance(30_000);
  await store.use(live.id);
  expect(await subs()).toEqual(['live']);
  expect(await store.list()).toEqual([expect.objectContaining({ sub: 'live', lastSeenAt: now, data: {} })]);
});

test('an access token is stored encrypted and handed out until 30 seconds before it ends', async () => {
  const { db, store, advance } = await setup();
  const s = await store.create({ ...person('u1', 's1'), accessToken: { value: 'the-access-token', expiresAt: now + 10 * minute } });
  const row = (await db('rp_sessions').first()) as Record<string, unknown>;
  expect(JSON.stringify(row)).not.toContain('the-access-token');
  expect(row.access_token_sealed).toMatch(/^v1\.[\w-]+$/);

  // A later request (another instance) reads it from the database.
  const other = await setup();
  const again = (await other.store.use(s.id)).session!;
  expect(await other.store.accessTokenOf(again)).toBe('the-access-token');
  advance(10 * minute - 30_001);
  expect(await store.accessTokenOf(s)).toBe('the-access-token');
  advance(1);
  expect(await store.accessTokenOf(s)).toBeUndefined(); // 30 s left: renew rather than fail on the way
  expect(await store.accessTokenOf(await store.create(person('u2', 's2')))).toBeUndefined();
});

test('a sealed access token opens only under the client secret and in the row it was sealed for', async () => {
  const { db, store } = await setup();
  const s = await store.create({ ...person('u1', 's1'), accessToken: { value: 'the-access-token', expiresAt: undefined } });
  const rotated = await setup({ clientSecret: 'another-client-secret-of-32-characters!' });
  expect(await rotated.store.accessTokenOf((await rotated.store.use(s.id)).session!)).toBeUndefined();

  // The sealed value copied into another person's row does not open there.
  const t = await store.create(person('u2', 's2'));
  const sealed = ((await db('rp_sessions').where('key', sessionKeyOf(s.id)).first()) as { access_token_sealed: string }).access_token_sealed;
  await db('rp_sessions').where('key', sessionKeyOf(t.id)).update({ access_token_sealed: sealed });
  expect(await store.accessTokenOf((await store.use(t.id)).session!)).toBeUndefined();
  expect(await store.accessTokenOf((await store.use(s.id)).session!)).toBe('the-access-token');
});

test('a renewal continues the session: new id, same data, CSRF token and sign-in time', async () => {
  const { store, advance } = await setup();
  const first = await store.create(person('u1', 's1'));
  await store.updateData(first, { activeOrgId: 'org-1' });
  advance(10 * minute);
  const renewed = await store.create({ ...person('u1', 's1'), continues: first });
  expect(renewed.id).not.toBe(first.id);
  expect(renewed).toMatchObject({ csrfToken: first.csrfToken, createdAt: first.createdAt, lastSeenAt: now, data: { activeOrgId: 'org-1' } });
});
