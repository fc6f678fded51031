import * as oidc from 'openid-client';
import { startTestPortal, HttpAgent, type TestPortal } from '../src/testing/index.js';

/**
 * The admin JSON API (issue #8 item 3) as a machine client sees it: client_credentials tokens
 * bound to the API by `resource`, RFC 6750 answers when a token will not do, and the same help
 * desk and administration rules as the console — over real HTTP on a fresh database.
 */
const password = 'Correct-Horse-9!';
const appUrl = 'http://127.0.0.1:3992';

type Machine = { client_id: string; client_secret?: string | undefined };
let t: TestPortal;
let helpdesk: Machine;
let plainMachine: Machine;
let app: Machine;
const resource = () => `${t.url}/api/admin/v1`;
const helpdeskScopes = ['helpdesk:read', 'helpdesk:verify', 'helpdesk:unlock', 'helpdesk:reset', 'helpdesk:sessions'];

beforeAll(async () => {
  t = await startTestPortal();
  await t.directory.createOrg({ code: 'HCP01', iisId: '1000000001', name: 'Hill Country Pediatrics' });
  helpdesk = await t.directory.createClient({ name: 'Help desk tool', grants: ['client_credentials'], scopes: helpdeskScopes });
  plainMachine = await t.directory.createClient({ name: 'HL7 feed', grants: ['client_credentials'] });
  app = await t.directory.createClient({ name: 'ImmTrac2', redirectUris: [`${appUrl}/callback`] });
});

afterAll(async () => {
  await t?.close();
});

async function tokenRequest(client: Machine, params: Record<string, string>, secret = client.client_secret!) {
  const res = await fetch(`${t.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...params }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

let n = 0;
async function person() {
  const username = `caller${++n}`;
  const email = `${username}@example.org`;
  await t.directory.createUser({ username, email, password, name: `Casey Caller ${n}`, orgs: ['HCP01:full_access_provider'] });
  return { username, email, user: (await t.portal.services.users.findByUsername(username))! };
}

describe('tokens', () => {
  test('a client gets a token bound to the API, with only the admin scopes it is registered for', async () => {
    const got = await tokenRequest(helpdesk, { resource: resource(), scope: 'helpdesk:read helpdesk:unlock' });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ token_type: 'Bearer', scope: 'helpdesk:read helpdesk:unlock' });
    const config = await oidc.discovery(new URL(t.url), helpdesk.client_id, helpdesk.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
    await expect(oidc.tokenIntrospection(config, got.body.access_token!)).resolves.toMatchObject({ active: true, aud: resource(), scope: 'helpdesk:read helpdesk:unlock', client_id: helpdesk.client_id });

    // A scope it was not registered for is refused, not quietly dropped.
    const beyond = await tokenRequest(helpdesk, { resource: resource(), scope: 'helpdesk:read admin:orgs' });
    expect(beyond).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    // A machine client registered for no admin scope gets no token for the API at all.
    const unregistered = await tokenRequest(plainMachine, { resource: resource(), scope: 'admin:users' });
    expect(unregistered).toMatchObject({ status: 400, body: { error: 'invalid_target' } });
    // The API is the only resource; any other (or a near miss) is an invalid target.
    for (const other of [`${resource()}/`, `${t.url}/api/other`, 'https://elsewhere.example/api']) {
      expect(await tokenRequest(helpdesk, { resource: other, scope: 'helpdesk:read' })).toMatchObject({ status: 400, body: { error: 'invalid_target' } });
    }
    // client_credentials without a resource still works as before (the HL7 feed's tokens).
    expect((await tokenRequest(plainMachine, {})).status).toBe(200);
  });

  test('a sign-in can never get a token for the API', async () => {
    const config = await oidc.discovery(new URL(t.url), app.client_id, app.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
    const { username } = await person();
    const pkce = oidc.randomPKCECodeVerifier();
    const challenge = await oidc.calculatePKCECodeChallenge(pkce);
    const asking = oidc.buildAuthorizationUrl(config, { redirect_uri: `${appUrl}/callback`, scope: 'openid', resource: resource(), code_challenge: challenge, code_challenge_method: 'S256' });
    const refused = await new HttpAgent(t.url).follow(asking.href);
    expect(new URL(refused.leftPortalTo!).searchParams.get('error')).toBe('invalid_target');

    const callback = await new HttpAgent(t.url).signIn(
      oidc.buildAuthorizationUrl(config, { redirect_uri: `${appUrl}/callback`, scope: 'openid admin:users', code_challenge: challenge, code_challenge_method: 'S256' }).href,
      username,
      password,
    );
    await expect(oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: pkce }, { resource: resource() })).rejects.toMatchObject({ error: 'invalid_target' });
  });
});

