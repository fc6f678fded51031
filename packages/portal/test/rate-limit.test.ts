import * as oidc from 'openid-client';
import { createTestClock } from '../src/libraries/clock.js';
import { startTestPortal, HttpAgent, textOf, type TestPortal } from '../src/testing/index.js';

/**
 * The attempt limit in front of every secret-checking form (SPEC §3.2: the coarser layer): a budget
 * per client IP and username, and a higher one per IP, both counted in the database.
 */
let t: TestPortal;
const clock = createTestClock();

beforeAll(async () => {
  t = await startTestPortal({ clock, env: { SIGNIN_RATE_LIMIT_PER_MINUTE: '3', SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '8' } });
});
afterAll(() => t?.close());

async function signInPage(agent: HttpAgent) {
  const c = await t.directory.createClient({ name: 'ImmTrac2', redirectUris: ['http://127.0.0.1:3990/callback'] });
  const config = await oidc.discovery(new URL(t.url), c.client_id, c.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: 'http://127.0.0.1:3990/callback', scope: 'openid', code_challenge: 'l'.repeat(43), code_challenge_method: 'S256' });
  return (await agent.follow(url.href)).response;
}

test('one username from one IP is limited; other people behind the same address are not, until the IP ceiling', async () => {
  const agent = new HttpAgent(t.url);
  let page = await signInPage(agent);
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) {
    page = (await agent.submitSignIn(page, 'someone', 'wrong')).response;
    statuses.push(page.status);
  }
  expect(statuses).toEqual([401, 401, 401]);
  const limited = await agent.submitSignIn(page, 'SomeOne', 'wrong'); // the same username, however it is typed
  expect(limited.response.status).toBe(429);
  expect(limited.response.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(textOf(limited.response.body)).toContain('Too many attempts from your network. Please wait a minute and try again.');
  // The limited try never reached the password check.
  expect(await t.db('sign_in_counters').where({ username_key: 'someone' }).first('failures')).toEqual({ failures: 3 });

  // Colleagues behind the same NAT still sign in (here: fail with their own wrong passwords).
  page = await signInPage(agent);
  for (const colleague of ['colleague1', 'colleague2', 'colleague3', 'colleague4']) {
    page = (await agent.submitSignIn(page, colleague, 'wrong')).response;
    expect(page.status).toBe(401);
  }
  // 8 attempts from this address this minute: past the per-IP ceiling every door is shut, Forgot Password too.
  const ceiling = await agent.submitSignIn(page, 'colleague5', 'wrong');
  expect(ceiling.response.status).toBe(429);
  const reset = await agent.request(`${t.url}/forgot-password`);
  expect(reset.status).toBe(429);
  expect(textOf(reset.body)).toContain('Too many attempts from your network.');
  expect(await t.db('sign_in_counters').where({ username_key: 'colleague5' }).first()).toBeUndefined();

  // A new minute, a new budget.
  clock.advance(60_000);
  page = await signInPage(agent);
  expect((await agent.submitSignIn(page, 'someone', 'wrong')).response.status).toBe(401);
});

test('the budget is shared by every instance on the database', async () => {
  const other = await t.twin(); // closed with t
  clock.advance(60_000);
  const agent = new HttpAgent(t.url);
  let page = await signInPage(agent);
  page = (await agent.submitSignIn(page, 'shared', 'wrong')).response;
  page = (await agent.submitSignIn(page, 'shared', 'wrong')).response;
  expect(page.status).toBe(401);
  // The third try through this instance, the fourth through the other: one budget of three.
  page = (await agent.submitSignIn(page, 'shared', 'wrong')).response;
  expect(page.status).toBe(401);
  // The same browser posts its next try to the other instance.
  const atOther = { ...page, url: page.url.replace(t.url, other.url) };
  expect((await agent.submitSignIn(atOther, 'shared', 'wrong')).response.status).toBe(429);
});
