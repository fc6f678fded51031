import { startPortalWithApp, type PortalWithApp } from '../../src/testing/app-fixture.js';
import { HttpAgent } from '../../src/testing/index.js';

/**
 * A NUL character (`%00`, `\u0000` in JSON, inside Basic credentials) names nothing the portal
 * stores. PostgreSQL refuses it in text, so each of these once answered 500 there: it must be
 * answered as an unknown value is — the same 4xx on SQLite and PostgreSQL, nothing written.
 */
let p: PortalWithApp;
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

beforeAll(async () => {
  p = await startPortalWithApp();
});
afterAll(() => p?.close());

async function answer(path: string, init: RequestInit = {}) {
  const res = await fetch(`${p.t.url}${path}`, { redirect: 'manual', ...init });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

test('an authorization request whose client_id holds a NUL is refused as an unknown client is', async () => {
  const unknown = await answer('/auth?client_id=nobody&response_type=code&scope=openid&redirect_uri=http://127.0.0.1:3990/callback');
  const nul = await answer('/auth?client_id=no%00body&response_type=code&scope=openid&redirect_uri=http://127.0.0.1:3990/callback');
  expect(unknown.status).toBe(400);
  expect(nul.status).toBe(400);
  expect(nul.type).toContain('text/html');
});

test('the token, introspection, revocation and userinfo endpoints answer a NUL id as an unknown one, not server_error', async () => {
  // client_id in the body: oidc-provider parses it itself, so this reaches the adapter.
  const inBody = await answer('/token', { method: 'POST', headers: form, body: 'grant_type=authorization_code&code=x&client_id=a%00b&client_secret=s' });
  expect(inBody.status).toBe(401);
  expect(JSON.parse(inBody.body)).toMatchObject({ error: 'invalid_client' });

  // With the app's real credentials, so the NUL reaches the code, token and refresh-token lookups.
  const auth = basic(p.clientId, String(p.app.clientMetadata().client_secret));
  const post = (path: string, body: string) => answer(path, { method: 'POST', headers: { ...form, authorization: auth }, body });
  for (const body of ['grant_type=authorization_code&code=a%00b&redirect_uri=http://127.0.0.1:3990/callback&code_verifier=' + 'v'.repeat(43), 'grant_type=refresh_token&refresh_token=a%00b']) {
    const res = await post('/token', body);
    expect([res.status, JSON.parse(res.body).error]).toEqual([400, 'invalid_grant']);
  }
  const introspection = await post('/token/introspection', 'token=a%00b');
  expect([introspection.status, JSON.parse(introspection.body)]).toEqual([200, { active: false }]);
  const revocation = await post('/token/revocation', 'token=a%00b');
  expect(revocation.status).toBe(200);
  const userinfo = await answer('/me', { method: 'POST', headers: form, body: 'access_token=a%00b' });
  expect([userinfo.status, JSON.parse(userinfo.body).error]).toEqual([401, 'invalid_token']);
});

test('a NUL in an interaction uid, a flow id, a path or a cookie is a 400 page', async () => {
  for (const path of ['/interaction/a%00b', '/interaction/a%00b/forgot-password', '/forgot-password/continue?flow=a%00b', '/helpdesk/users/a%00b', '/admin/users/a%00b', '/%00']) {
    const res = await answer(path, { headers: { accept: 'text/html' } });
    expect([path, res.status, res.type]).toEqual([path, 400, expect.stringContaining('text/html')]);
  }
  const cookie = await answer('/profile', { headers: { accept: 'text/html', cookie: 'portal.session=a%00b' } });
  expect(cookie.status).toBe(400);
  // Another app's cookie on the same host is not the portal's to refuse.
  const foreign = await answer('/login', { headers: { accept: 'text/html', cookie: 'app.session=a%00b' } });
  expect(foreign.status).toBe(303);
});

test('a NUL in a posted sign-in form or a JSON body is a 400, and no attempt is counted', async () => {
  const agent = new HttpAgent(p.t.url);
  const { response } = await agent.follow(p.authUrl());
  const action = /action="(\/interaction\/[^"]+\/login)"/.exec(response.body)![1]!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(response.body)?.[1] ?? '';
  const before = await p.t.db('sign_in_counters').count({ n: '*' }).first();
  const signIn = await agent.request(`${p.t.url}${action}`, { form: { csrf, username: 'pat\u0000', password: 'x' } });
  expect(signIn.status).toBe(400);
  expect(await p.t.db('sign_in_counters').count({ n: '*' }).first()).toEqual(before);

  const uid = /\/interaction\/([^/]+)\/login/.exec(action)![1]!;
  const json = await agent.request(`${p.t.url}/interaction/${uid}/passkey/options`, { json: { username: 'a\u0000b' } });
  expect(json.status).toBe(400);
});
