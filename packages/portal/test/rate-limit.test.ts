import * as oidc from 'openid-client';
import { startTestPortal, HttpAgent, textOf, type TestPortal } from '../src/testing/index.js';

/** The per-IP limit in front of every secret-checking form (SPEC §3.2: the coarser layer). */
let t: TestPortal;

beforeAll(async () => {
  t = await startTestPortal({ env: { SIGNIN_RATE_LIMIT_PER_MINUTE: '3' } });
});
afterAll(() => t?.close());

test('past the limit, one IP gets 429 with a clear message on sign-in and on Forgot Password alike', async () => {
  const c = await t.directory.createClient({ name: 'ImmTrac2', redirectUris: ['http://127.0.0.1:3990/callback'] });
  const config = await oidc.discovery(new URL(t.url), c.client_id, c.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
  const agent = new HttpAgent(t.url);
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: 'http://127.0.0.1:3990/callback', scope: 'openid', code_challenge: 'l'.repeat(43), code_challenge_method: 'S256' });
  let page = (await agent.follow(url.href)).response;
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) {
    page = (await agent.submitSignIn(page, 'someone', 'wrong')).response;
    statuses.push(page.status);
  }
  expect(statuses).toEqual([401, 401, 401]);
  const limited = await agent.submitSignIn(page, 'someone', 'wrong');
  expect(limited.response.status).toBe(429);
  expect(textOf(limited.response.body)).toContain('Too many attempts from your network. Please wait a minute and try again.');

  // The same budget covers Forgot Password: an attacker cannot move to another door.
  const reset = await agent.request(`${t.url}/forgot-password`);
  expect(reset.status).toBe(429);
  expect(textOf(reset.body)).toContain('Too many attempts from your network.');
  expect(await t.db('sign_in_counters').where({ username_key: 'someone' }).first('failures')).toEqual({ failures: 3 });
});
