import * as oidc from 'openid-client';
import { startTestPortal, HttpAgent, parseForm, textOf, type TestPortal } from '../src/testing/index.js';

/**
 * What a person (or an attacker) sees when the input is wrong: one generic message, the support
 * contact, the right status, never a stack trace or a 500, and nothing changed.
 */
const password = 'Correct-Horse-9!';
const appUrl = 'http://127.0.0.1:3998';
const generic = 'The username or password you entered is incorrect.';

let t: TestPortal;
const logs: string[] = [];
let confidential: oidc.Configuration;
let publicClient: oidc.Configuration;
let publicId: string;

async function signInPage(agent = new HttpAgent(t.url)) {
  const url = oidc.buildAuthorizationUrl(confidential, {
    redirect_uri: `${appUrl}/callback`,
    scope: 'openid',
    code_challenge: 'a'.repeat(43),
    code_challenge_method: 'S256',
  });
  const { response } = await agent.follow(url.href);
  expect(response.body).toContain('<label class="usa-label" for="username">Username</label>');
  return { agent, page: response };
}

beforeAll(async () => {
  t = await startTestPortal({ logSink: (line) => logs.push(line) });
  await t.directory.createUser({ username: 'pat', email: 'pat@example.org', password });
  await t.directory.createUser({ username: '00012345678', email: 'erin@example.org', password: 'Employee-Number-1!' });
  const c = await t.directory.createClient({ name: 'ImmTrac2', redirectUris: [`${appUrl}/callback`] });
  const p = await t.directory.createClient({ name: 'Mobile', redirectUris: [`${appUrl}/callback`], public: true });
  publicId = p.client_id;
  const execute = [oidc.allowInsecureRequests];
  confidential = await oidc.discovery(new URL(t.url), c.client_id, c.client_secret, undefined, { execute });
  publicClient = await oidc.discovery(new URL(t.url), p.client_id, undefined, oidc.None(), { execute });
});

afterAll(() => t?.close());

test('the sign-in page has labelled fields, a Sign In button, a Forgot Password link and strict headers', async () => {
  const { page } = await signInPage();
  expect(page.body).toContain('<label class="usa-label" for="password">Password</label>');
  expect(page.body).toContain('<button class="usa-button" type="submit">Sign In</button>');
  expect(page.body).toContain('>Forgot Password</a>');
  expect(page.body).toContain('to continue to ImmTrac2');
  const csp = page.headers.get('content-security-policy')!;
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(page.headers.get('cache-control')).toContain('no-store');
});

test('wrong password and unknown username get the same status and the same message, with the support contact', async () => {
  const wrong = await signInPage();
  const a = (await wrong.agent.submitSignIn(wrong.page, 'pat', 'Not-The-Password-1')).response;
  const unknown = await signInPage();
  const b = (await unknown.agent.submitSignIn(unknown.page, 'nobody-here', 'Not-The-Password-1')).response;

  expect(a.status).toBe(401);
  expect(b.status).toBe(401);
  const text = (body: string) => textOf(body).match(/<?The username or password[^.]*\.[^]*?ImmTrac2@dshs\.texas\.gov/)?.[0];
  expect(text(a.body)).toBeDefined();
  expect(text(a.body)).toBe(text(b.body));
  expect(textOf(a.body)).toContain('Contact Customer Support: 800-348-9158, option 2');
  // The username stays in the field so a typo can be fixed; the password never comes back.
  expect(a.body).toContain('value="pat"');
  expect(a.body).not.toContain('Not-The-Password-1');
});

test('usernames are case-insensitive but leading zeros are significant', async () => {
  const config = confidential;
  const url = (s: string) =>
    oidc.buildAuthorizationUrl(config, { redirect_uri: `${appUrl}/callback`, scope: 'openid', code_challenge: 'b'.repeat(43), code_challenge_method: 'S256', state: s }).href;

  await expect(new HttpAgent(t.url).signIn(url('1'), 'PAT', password)).resolves.toMatch(/\/callback\?code=/);
  await expect(new HttpAgent(t.url).signIn(url('2'), '00012345678', 'Employee-Number-1!')).resolves.toMatch(/\/callback\?code=/);
  await expect(new HttpAgent(t.url).signIn(url('3'), '12345678', 'Employee-Number-1!')).rejects.toThrow(generic);
});

test('empty fields ask for both, without counting as a sign-in attempt', async () => {
  const { agent, page } = await signInPage();
  const { response } = await agent.submitSignIn(page, '', '');
  expect(response.status).toBe(400);
  expect(textOf(response.body)).toContain('Enter your username and password.');
  const again = await agent.submitSignIn(page, 'pat', '');
  expect(again.response.status).toBe(400);
  expect(await t.db('audit_events').where({ action: 'signin.failure' }).whereRaw('subject_user_id is null and subject = ?', ['']).count({ n: '*' })).toEqual([{ n: 0 }]);
});

test('a 10 kB username gets the generic message, not an error page', async () => {
  const { agent, page } = await signInPage();
  const { response } = await agent.submitSignIn(page, 'x'.repeat(10_000), password);
  expect(response.status).toBe(400);
  expect(textOf(response.body)).toContain(generic);
  expect(response.body).not.toContain('x'.repeat(200));
});

test('a body over 16 kB is refused with 413 and a clear page', async () => {
  const { agent, page } = await signInPage();
  const { response } = await agent.submitSignIn(page, 'pat', 'p'.repeat(20_000));
  expect(response.status).toBe(413);
  expect(textOf(response.body)).toContain('What you sent is too large.');
  expect(response.body).not.toMatch(/at \w+ \(|node_modules/);
});

test('a missing or forged CSRF token is refused and signs nobody in', async () => {
  const { agent, page } = await signInPage();
  const forged = await agent.submitSignIn(page, 'pat', password, { csrf: 'forged' });
  expect(forged.response.status).toBe(403);
  expect(forged.leftPortalTo).toBeUndefined();
  expect(textOf(forged.response.body)).toContain('Your form expired or came from another site.');
  const missing = await agent.submitSignIn(page, 'pat', password, { csrf: '' });
  expect(missing.response.status).toBe(403);
});

test('a finished or unknown interaction cannot be replayed', async () => {
  const { agent, page } = await signInPage();
  const form = parseForm(page.body, page.url);
  const first = await agent.follow(form.action, { form: { ...form.fields, username: 'pat', password } });
  expect(first.leftPortalTo).toMatch(/\/callback\?code=/);

  const replay = await agent.request(form.action, { form: { ...form.fields, username: 'pat', password } });
  expect(replay.status).toBe(400);
  expect(textOf(replay.body)).toContain('Your sign-in took too long or was already completed.');

  const unknown = await new HttpAgent(t.url).request(`${t.url}/interaction/not-a-real-one`);
  expect(unknown.status).toBe(400);
});

test('an unregistered redirect_uri is refused at the portal, never redirected to', async () => {
  const url = oidc.buildAuthorizationUrl(confidential, {
    redirect_uri: 'https://attacker.example/steal',
    scope: 'openid',
    code_challenge: 'c'.repeat(43),
    code_challenge_method: 'S256',
  });
  const res = await new HttpAgent(t.url).request(url.href);
  expect(res.status).toBe(400);
  expect(res.location).toBeUndefined();
  // Plain words and a next step for the person; the developer text only in the log, under the
  // reference the page shows (issue 13).
  const text = textOf(res.body);
  expect(text).toContain('This application is not set up correctly');
  expect(text).toContain('Contact Customer Support and give them the reference below.');
  expect(text).not.toMatch(/redirect_uri|registered redirect/);
  expect(res.body).toContain('href="/">Go to the Enterprise Portal home</a>');
  const reference = /Reference: <strong class="reference">([0-9A-F]{10})<\/strong>/.exec(res.body)![1]!;
  expect(logs.some((line) => line.includes(reference) && line.includes("redirect_uri did not match any of the client's registered redirect_uris"))).toBe(true);
});

test('a public client without PKCE gets invalid_request back at its redirect_uri', async () => {
  const url = oidc.buildAuthorizationUrl(publicClient, { redirect_uri: `${appUrl}/callback`, scope: 'openid', state: 's1' });
  const res = await new HttpAgent(t.url).request(url.href);
  expect(res.status).toBe(303);
  const back = new URL(res.location!);
  expect(`${back.origin}${back.pathname}`).toBe(`${appUrl}/callback`);
  expect(back.searchParams.get('error')).toBe('invalid_request');
  expect(back.searchParams.get('error_description')).toMatch(/PKCE/);
  expect(back.searchParams.get('state')).toBe('s1');
  expect(publicId).toBeTruthy();
});

test('an unknown client and a plain-text PKCE method are OAuth errors, not 500s', async () => {
  const unknown = await new HttpAgent(t.url).request(`${t.url}/auth?client_id=nope&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(`${appUrl}/callback`)}`);
  expect(unknown.status).toBe(400);
  expect(textOf(unknown.body)).toContain('This application is not set up correctly');

  const plain = oidc.buildAuthorizationUrl(publicClient, { redirect_uri: `${appUrl}/callback`, scope: 'openid', code_challenge: 'd'.repeat(43), code_challenge_method: 'plain' });
  const res = await new HttpAgent(t.url).request(plain.href);
  expect(new URL(res.location!).searchParams.get('error')).toBe('invalid_request');
});

test('health endpoints answer JSON', async () => {
  const health = await fetch(`${t.url}/healthz`);
  expect(await health.json()).toEqual({ status: 'ok' });
  const ready = await fetch(`${t.url}/readyz`);
  expect(await ready.json()).toEqual({ status: 'ready' });
  const missing = await fetch(`${t.url}/no-such-page`, { headers: { accept: 'text/html' } });
  expect(missing.status).toBe(404);
  expect(textOf(await missing.text())).toContain('There is no page at this address.');
});
