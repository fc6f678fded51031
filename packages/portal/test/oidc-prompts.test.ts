import * as oidc from 'openid-client';
import { startTestPortal, HttpAgent, parseForm, textOf, type TestPortal } from '../src/testing/index.js';

/**
 * The protocol corners a standard relying party uses (issue #7): the authorization and end-session
 * endpoints accept POST (OpenID Connect Core 1.0 §3.1.2.1, RP-Initiated Logout 1.0 §2), and
 * `prompt=consent` / `prompt=login` finish in one pass and come back to the app.
 */
const password = 'Correct-Horse-9!';
const appUrl = 'http://127.0.0.1:3992';

let t: TestPortal;
let app: oidc.Configuration;
let client: { client_id: string; client_secret?: string | undefined };

beforeAll(async () => {
  t = await startTestPortal();
  await t.directory.createUser({ username: 'pat', name: 'Pat Provider', email: 'pat@example.org', password });
  client = await t.directory.createClient({ name: 'ImmTrac2', redirectUris: [`${appUrl}/callback`], postLogoutRedirectUris: [`${appUrl}/`] });
  app = await oidc.discovery(new URL(t.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
});

afterAll(async () => {
  await t?.close();
});

async function authorization(extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const parameters = {
    redirect_uri: `${appUrl}/callback`,
    scope: 'openid',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...extra,
  };
  return { verifier, state, parameters, url: oidc.buildAuthorizationUrl(app, parameters) };
}

test('POST /auth with a form body starts the same sign-in as GET and ends with a code', async () => {
  const { verifier, state, parameters } = await authorization({ scope: 'openid profile' });
  const agent = new HttpAgent(t.url);
  const started = await agent.follow(`${t.url}/auth`, { form: { client_id: client.client_id, response_type: 'code', ...parameters } });
  expect(started.response.status).toBe(200);
  expect(started.response.url).toMatch(/\/interaction\/[^/]+$/);
  expect(textOf(started.response.body)).toContain('Sign In');
  const callback = (await agent.completeSteps(await agent.submitSignIn(started.response, 'pat', password))).leftPortalTo!;
  const tokens = await oidc.authorizationCodeGrant(app, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state });
  expect(tokens.claims()!.preferred_username).toBe('pat');
});

test('POST /auth with bad parameters gets the same OAuth error as GET, never a 500', async () => {
  const agent = new HttpAgent(t.url);
  const bad = (await agent.follow(`${t.url}/auth`, { form: { client_id: 'no-such-client', response_type: 'code', scope: 'openid', redirect_uri: `${appUrl}/callback` } })).response;
  expect(bad.status).toBe(400);
  expect(textOf(bad.body)).toContain('This application is not set up correctly'); // plain words; 'client is invalid' only in the log
  const notAForm = await fetch(`${t.url}/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"client_id":"x"}', redirect: 'manual' });
  expect(notAForm.status).toBe(400);
  expect(textOf(await notAForm.text())).toContain('send the parameters as an application/x-www-form-urlencoded form');
});

test('POST /session/end shows the sign-out confirmation and returns to the app', async () => {
  const { verifier, state, url } = await authorization();
  const agent = new HttpAgent(t.url);
  const callback = await agent.signIn(url.href, 'pat', password);
  const tokens = await oidc.authorizationCodeGrant(app, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state });

  const confirm = await agent.follow(`${t.url}/session/end`, {
    form: { id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${appUrl}/`, state: 'bye', client_id: client.client_id },
  });
  expect(confirm.response.status).toBe(200);
  expect(confirm.response.body).toContain('Signing you out'); // its own ID token as hint: no second question
  const form = parseForm(confirm.response.body, confirm.response.url);
  const done = await agent.follow(form.action, { form: { ...form.fields, logout: 'yes' } });
  expect(done.leftPortalTo).toBe(`${appUrl}/?state=bye`);
  // Signed out: the next authorization asks for the password.
  const again = await agent.follow((await authorization()).url.href);
  expect(again.leftPortalTo).toBeUndefined();
  expect(textOf(again.response.body)).toContain('Sign In');
});

test('scope=openid offline_access with prompt=consent returns a code and a refresh token in one pass', async () => {
  const { verifier, state, url } = await authorization({ scope: 'openid offline_access', prompt: 'consent' });
  const agent = new HttpAgent(t.url);
  const before = Number((await t.db('oidc_payloads').where({ model: 'Interaction' }).count({ n: '*' }).first())!.n);
  const callback = await agent.signIn(url.href, 'pat', password);
  expect(callback).toMatch(/callback\?code=/);
  const interactions = Number((await t.db('oidc_payloads').where({ model: 'Interaction' }).count({ n: '*' }).first())!.n);
  expect(interactions - before).toBeLessThanOrEqual(2); // login, then consent: no loop
  const tokens = await oidc.authorizationCodeGrant(app, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state });
  expect(tokens.refresh_token).toEqual(expect.any(String));
  expect(tokens.scope?.split(' ')).toEqual(expect.arrayContaining(['openid', 'offline_access']));
  const refreshed = await oidc.refreshTokenGrant(app, tokens.refresh_token!);
  expect(refreshed.access_token).toEqual(expect.any(String));

  // Asked again with a live session: straight back to the app, still one pass.
  const second = await authorization({ scope: 'openid offline_access', prompt: 'consent' });
  const sso = await agent.follow(second.url.href);
  expect(sso.leftPortalTo).toMatch(/callback\?code=/);
  const again = await oidc.authorizationCodeGrant(app, new URL(sso.leftPortalTo!), { pkceCodeVerifier: second.verifier, expectedState: second.state });
  expect(again.refresh_token).toEqual(expect.any(String));
});

test('prompt=login asks for the password again even with a live session, then returns to the app', async () => {
  const agent = new HttpAgent(t.url);
  const first = await authorization();
  await agent.signIn(first.url.href, 'pat', password);
  // SSO without prompt: no password.
  expect((await agent.follow((await authorization()).url.href)).leftPortalTo).toMatch(/callback\?code=/);

  const { verifier, state, url } = await authorization({ prompt: 'login' });
  const page = await agent.follow(url.href);
  expect(page.leftPortalTo).toBeUndefined();
  expect(textOf(page.response.body)).toContain('Sign In');
  const callback = (await agent.completeSteps(await agent.submitSignIn(page.response, 'pat', password))).leftPortalTo!;
  const tokens = await oidc.authorizationCodeGrant(app, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state });
  expect(Number(tokens.claims()!.auth_time)).toBeGreaterThan(0);
});
