import { createSessionStore } from './session-store.js';

const minute = 60_000;

function setup() {
  let now = 1_800_000_000_000;
  const clock = { now: () => now };
  const store = createSessionStore({ clock, idleMs: 15 * minute, absoluteMs: 12 * 60 * minute });
  return { store, advance: (ms: number) => (now += ms) };
}

const person = (sub: string, sid: string) => ({ sub, sid, claims: { sub }, idToken: 'id-token' });

test('the idle window slides with every use and ends a session idle for more than 15 minutes', () => {
  const { store, advance } = setup();
  const s = store.create(person('u1', 's1'));
  advance(15 * minute);
  expect(store.use(s.id).session?.id).toBe(s.id); // exactly 15 minutes idle is still in
  advance(15 * minute);
  expect(store.use(s.id).session?.id).toBe(s.id);
  advance(15 * minute + 1);
  expect(store.use(s.id)).toEqual({ expired: true });
  expect(store.use(s.id)).toEqual({ expired: false }); // and it is gone, not merely refused
});

test('a session ends after its absolute lifetime (12 hours) however active it is', () => {
  const { store, advance } = setup();
  const s = store.create(person('u1', 's1'));
  for (let i = 0; i < 71; i++) {
    advance(10 * minute);
    expect(store.use(s.id).session).toBeDefined();
  }
  advance(10 * minute + 1); // 12 hours and a moment after sign-in, 10 minutes after the last request
  expect(store.use(s.id)).toEqual({ expired: true });
});

test('a back-channel logout ends every session of that portal session, or of that person, and no other', () => {
  const { store } = setup();
  const a1 = store.create(person('alice', 'sso-1'));
  const a2 = store.create(person('alice', 'sso-1'));
  const a3 = store.create(person('alice', 'sso-2'));
  const b = store.create(person('bob', 'sso-3'));
  expect(store.destroyMatching({ sid: 'sso-1', sub: 'alice' })).toBe(2);
  expect(store.use(a1.id).session).toBeUndefined();
  expect(store.use(a2.id).session).toBeUndefined();
  expect(store.use(a3.id).session).toBeDefined();
  expect(store.destroyMatching({ sid: 'sso-3', sub: 'alice' })).toBe(0); // sid of someone else: nothing
  expect(store.destroyMatching({ sub: 'alice' })).toBe(1);
  expect(store.destroyMatching({})).toBe(0);
  expect(store.use(b.id).session).toBeDefined();
});

test('session ids and CSRF tokens are long random values, different every time', () => {
  const { store } = setup();
  const one = store.create(person('u', 's'));
  const two = store.create(person('u', 's'));
  expect(one.id).toMatch(/^[\w-]{43}$/);
  expect(one.id).not.toBe(two.id);
  expect(one.csrfToken).not.toBe(two.csrfToken);
});

test('inspect tells the time left without sliding it, and why a session ended', () => {
  const { store, advance } = setup();
  const s = store.create(person('u1', 's1'));
  advance(10 * minute);
  expect(store.inspect(s.id)).toMatchObject({ state: 'live', remainingMs: 5 * minute });
  advance(4 * minute);
  expect(store.inspect(s.id)).toMatchObject({ state: 'live', remainingMs: minute }); // looking did not touch it
  advance(minute + 1);
  expect(store.inspect(s.id)).toEqual({ state: 'ended', reason: 'idle' });
  expect(store.inspect(s.id)).toEqual({ state: 'ended', reason: 'idle' }); // still there to say why, until used
  expect(store.use(s.id)).toEqual({ expired: true });
  expect(store.inspect(s.id)).toEqual({ state: 'absent' });
  expect(store.inspect(undefined)).toEqual({ state: 'absent' });

  const busy = store.create(person('u2', 's2'));
  for (let i = 0; i < 72; i++) {
    advance(10 * minute);
    store.use(busy.id);
  }
  // Near the 12-hour limit the time left is what remains of it, not a full idle window.
  expect(store.inspect(busy.id)).toMatchObject({ state: 'live', remainingMs: 0 });
  advance(1);
  expect(store.inspect(busy.id)).toEqual({ state: 'ended', reason: 'lifetime' });
});
