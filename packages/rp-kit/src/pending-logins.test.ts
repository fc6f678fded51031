import { createPendingLogins } from './pending-logins.js';

function setup(maxEntries?: number) {
  let now = 1_800_000_000_000;
  const pending = createPendingLogins({ clock: { now: () => now }, ttlMs: 30 * 60_000, maxEntries });
  return { pending, advance: (ms: number) => (now += ms) };
}

const login = (state: string, browser = 'browser-a') => ({ state, nonce: `n-${state}`, codeVerifier: `v-${state}`, returnTo: '/', browser });

test('a pending sign-in is taken once, only by the browser that started it', () => {
  const { pending } = setup();
  pending.add(login('s1'));
  expect(pending.take('s1', 'browser-b')).toBeUndefined();
  expect(pending.take('s1', 'browser-a')).toMatchObject({ nonce: 'n-s1', codeVerifier: 'v-s1' });
  expect(pending.take('s1', 'browser-a')).toBeUndefined();
  expect(pending.take(undefined, 'browser-a')).toBeUndefined();
});

test('several tabs can sign in at once, and a slow sign-in expires', () => {
  const { pending, advance } = setup();
  pending.add(login('tab1'));
  pending.add(login('tab2'));
  expect(pending.take('tab2', 'browser-a')).toBeDefined();
  advance(30 * 60_000 + 1);
  expect(pending.take('tab1', 'browser-a')).toBeUndefined();
});

test('a flood of sign-ins evicts the oldest instead of growing without bound', () => {
  const { pending } = setup(3);
  for (const s of ['a', 'b', 'c', 'd']) pending.add(login(s));
  expect(pending.take('a', 'browser-a')).toBeUndefined();
  expect(pending.take('d', 'browser-a')).toBeDefined();
});
