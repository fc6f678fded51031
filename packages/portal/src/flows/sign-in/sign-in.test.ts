import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import argon2 from 'argon2';
import { loadConfig } from '../../config/index.js';
import { createServices, type Services } from '../../portal.js';
import { createDirectory } from '../../libraries/directory.js';
import { createLogger } from '../../libraries/logger.js';
import { createSignInFlow } from './sign-in.js';
import type { PasswordHasher } from '../../libraries/passwords.js';

let dir: string;
let services: Services;
const context = { ip: '203.0.113.9', userAgent: 'jest' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signin-'));
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` });
  services = await createServices(config, { logger: createLogger('silent') });
  await createDirectory(services).createUser({ username: 'pat', email: 'pat@example.org', password: 'Correct-Horse-9!' });
});

afterAll(async () => {
  await services.db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** Counts argon2 verifications: the timing of a sign-in is the timing of these. */
function countingHasher(inner: PasswordHasher) {
  const calls: (string | undefined)[] = [];
  const hasher: PasswordHasher = { ...inner, verify: (hash, password) => (calls.push(hash), inner.verify(hash, password)) };
  return { hasher, calls };
}

test('an unknown username costs one argon2 verification, exactly like a wrong password', async () => {
  const { hasher, calls } = countingHasher(services.passwords);
  const flow = createSignInFlow({ ...services, passwords: hasher });
  const refused = { ok: false, error: 'signin.invalid_credentials', status: 401, locked: false, captchaRequired: false, attemptsLeft: 5 };
  await expect(flow.attempt({ username: 'nobody', password: 'x', binding: 'b' }, context)).resolves.toEqual(refused);
  await expect(flow.attempt({ username: 'pat', password: 'x', binding: 'b' }, context)).resolves.toEqual(refused);
  await services.signInCounters.clear('pat');
  expect(calls).toHaveLength(2);
  expect(calls[0]).toBeUndefined(); // the dummy hash path
  expect(calls[1]).toMatch(/^\$argon2id\$/);
});

test('failures and successes are audited with where they came from, never with the password', async () => {
  const flow = createSignInFlow(services);
  await expect(flow.attempt({ username: 'pat', password: 'Correct-Horse-9!', binding: 'b' }, context)).resolves.toMatchObject({ ok: true });
  const events = await services.db('audit_events').whereIn('action', ['signin.success', 'signin.failure']).orderBy('id');
  expect(events.map((e) => e.action)).toEqual(['signin.failure', 'signin.failure', 'signin.success']);
  expect(events[2]).toMatchObject({ ip: '203.0.113.9', user_agent: 'jest' });
  expect(JSON.stringify(events)).not.toMatch(/Correct-Horse|"x"/);
});

test('a hash made with weaker argon2 parameters is upgraded at sign-in, and the password age is kept', async () => {
  const user = (await services.users.findByUsername('pat'))!;
  const weak = await argon2.hash('Correct-Horse-9!', { type: argon2.argon2id, memoryCost: 8192, timeCost: 1, parallelism: 1 });
  await services.db('users').where({ id: user.id }).update({ password_hash: weak });

  await expect(createSignInFlow(services).attempt({ username: 'pat', password: 'Correct-Horse-9!', binding: 'b' }, context)).resolves.toMatchObject({ ok: true });
  const after = (await services.users.findById(user.id))!;
  expect(after.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  expect(after.password_changed_at).toBe(user.password_changed_at);
});
