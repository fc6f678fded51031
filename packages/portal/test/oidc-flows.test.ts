import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify, decodeProtectedHeader } from 'jose';
import { startTestPortal, startBackchannelReceiver, HttpAgent, type TestPortal } from '../src/testing/index.js';

/**
 * The portal as relying parties see it: a real portal on a fresh database, driven over real HTTP
 * by openid-client, with people signing in through the real form.
 */
const password = 'Correct-Horse-9!';
const appUrl = 'http://127.0.0.1:3999';

let t: TestPortal;
let receiver: Awaited<ReturnType<typeof startBackchannelReceiver>>;
let registry: { client_id: string; client_secret?: string | undefined };

async function discover(clientId: string, secret?: string, auth?: oidc.ClientAuth) {
  return oidc.discovery(new URL(t.url), clientId, secret ? { client_secret: secret } : undefined, auth ?? (secret ? oidc.ClientSecretBasic(secret) : oidc.None()), {
    execute: [oidc.allowInsecureRequests],
  });
}

async function codeFlow(config: oidc.Configuration, agent: HttpAgent, username: string, extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: `${appUrl}/callback`,
    scope: 'openid profile email phone orgs',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
    ...extra,
  });
  const callback = await agent.signIn(url.href, username, password);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state });
  return { tokens, nonce };
}

beforeAll(async () => {
  receiver = await startBackchannelReceiver();
  t = await startTestPortal({ env: { BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: receiver.url } });
  await t.directory.createOrg({ code: 'PEDS01', iisId: '1000000001', name: 'Hill Country Pediatrics' });
  await t.directory.createOrg({ code: 'PHARM02', iisId: '1000000002', name: 'Gulf Coast Pharmacy' });
  await t.directory.createUser({
    username: 'sam',
    name: 'Sam Supervisor',
    email: 'sam@example.org',
    phone: '512-555-0100',
    password,
    orgs: ['PEDS01:provider_supervisor', 'PHARM02:full_access_provider:primary'],
  });
  registry = await t.directory.createClient({
    name: 'ImmTrac2',
    redirectUris: [`${appUrl}/callback`],
    postLogoutRedirectUris: [`${appUrl}/`],
    backchannelLogoutUri: `${receiver.url}/backchannel-logout`,
  });
});

afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

test('discovery names the portal as issuer and offers what the apps need', async () => {
  const config = await discover(registry.client_id, registry.client_secret);
  const meta = config.serverMetadata();
  expect(meta.issuer).toBe(t.url);
  expect(meta.code_challenge_methods_supported).toEqual(['S256']);
  expect(meta.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
  expect(meta.backchannel_logout_supported).toBe(true);
  expect(meta.end_session_endpoint).toBe(`${t.url}/session/end`);
  expect(meta.introspection_endpoint).toBeDefined();
  expect(meta.revocation_endpoint).toBeDefined();
});

test('code + PKCE through the sign-in form gives a signed ID token with nonce, aud, amr and every org', async () => {
  const config = await discover(registry.client_id, registry.client_secret);
  const { tokens, nonce } = await codeFlow(config, new HttpAgent(t.url), 'sam');

  // Verify the signature ourselves against the published JWKS, as any RP would.
  const jwks = createRemoteJWKSet(new URL(`${t.url}/jwks`));
  const { payload } = await jwtVerify(tokens.id_token!, jwks, { issuer: t.url, audience: registry.client_id });
  expect(payload.nonce).toBe(nonce);
  expect(payload.amr).toEqual(['pwd']);
  expect(typeof payload.auth_time).toBe('number');
  expect(payload.sub).not.toBe('sam');
  expect(payload.sub).toMatch(/^[0-9a-f-]{36}$/);

  const info = await oidc.fetchUserInfo(config, tokens.access_token, payload.sub!);
  expect(info).toMatchObject({ preferred_username: 'sam', name: 'Sam Supervisor', email: 'sam@example.org', phone_number: '512-555-0100' });
  expect(info.orgs).toEqual([
    { id: expect.any(String), code: 'PHARM02', iis_id: '1000000002', name: 'Gulf Coast Pharmacy', role: 'full_access_provider', coordinator: 'primary' },
    { id: expect.any(String), code: 'PEDS01', iis_id: '1000000001', name: 'Hill Country Pediatrics', role: 'provider_supervisor', coordinator: null },
  ]);
});

test('a second app gets in without a second password entry (SSO), with the same sub', async () => {
  const other = await t.directory.createClient({ name: 'Syntropi', redirectUris: [`${appUrl}/callback`] });
  const agent = new HttpAgent(t.url);
  const first = await codeFlow(await discover(registry.client_id, registry.client_secret), agent, 'sam');

  const config = await discover(other.client_id, other.client_secret);
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: `${appUrl}/callback`,
    scope: 'openid',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: 'xyz',
  });
  const { leftPortalTo } = await agent.follow(url.href);
  expect(leftPortalTo).toMatch(/^http:\/\/127\.0\.0\.1:3999\/callback\?code=/);
  const second = await oidc.authorizationCodeGrant(config, new URL(leftPortalTo!), { pkceCodeVerifier: verifier, expectedState: 'xyz' });
  expect(second.claims()!.sub).toBe(first.tokens.claims()!.sub);
});

test('refresh tokens rotate: the new one works, the old one is then refused', async () => {
  const config = await discover(registry.client_id, registry.client_secret);
  const { tokens } = await codeFlow(config, new HttpAgent(t.url), 'sam');
  expect(tokens.refresh_token).toBeDefined();

  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
  expect(refreshed.refresh_token).toBeDefined();
  expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
  await expect(oidc.fetchUserInfo(config, refreshed.access_token, tokens.claims()!.sub)).resolves.toMatchObject({ preferred_username: 'sam' });

  await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
});

test('client_credentials for machine clients, and introspection tells active from revoked', async () => {
  const machine = await t.directory.createClient({ name: 'HL7 exchange PEDS01', grants: ['client_credentials'] });
  const config = await discover(machine.client_id, machine.client_secret);
  const tokens = await oidc.clientCredentialsGrant(config);
  expect(tokens.token_type.toLowerCase()).toBe('bearer');

  const active = await oidc.tokenIntrospection(config, tokens.access_token);
  expect(active).toMatchObject({ active: true, client_id: machine.client_id });

  await oidc.tokenRevocation(config, tokens.access_token);
  await expect(oidc.tokenIntrospection(config, tokens.access_token)).resolves.toMatchObject({ active: false });

  // A wrong secret is an invalid_client, never a token.
  const wrong = await discover(machine.client_id, 'not-the-secret-at-all-000000000000000');
  const refused = await oidc.clientCredentialsGrant(wrong).catch((err: oidc.WWWAuthenticateChallengeError) => err);
  expect(refused).toMatchObject({ status: 401 });
  expect((refused as oidc.WWWAuthenticateChallengeError).cause[0]!.parameters.error).toBe('invalid_client');
});

test('RP-initiated logout ends the session, delivers a back-channel logout token, and returns to the app', async () => {
  const config = await discover(registry.client_id, registry.client_secret);
  const agent = new HttpAgent(t.url);
  const { tokens } = await codeFlow(config, agent, 'sam');
  const sid = tokens.claims()!.sid as string;
  const before = receiver.received.length;

  const endUrl = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${appUrl}/`, state: 'bye' });
  const confirm = await agent.follow(endUrl.href);
  expect(confirm.response.body).toContain('Signing you out'); // its own ID token as hint: no second question
  // The confirmation form answers with a redirect to the app, which the CSP must allow.
  expect(confirm.response.headers.get('content-security-policy')).toMatch(/form-action [^;]*http:\/\/127\.0\.0\.1:3999/);
  const { parseForm } = await import('../src/testing/index.js');
  const form = parseForm(confirm.response.body, confirm.response.url);
  const done = await agent.follow(form.action, { form: { ...form.fields, logout: 'yes' } });
  expect(done.leftPortalTo).toBe(`${appUrl}/?state=bye`);

  const [delivered] = (await receiver.waitFor(before + 1)).slice(before);
  expect(delivered!.path).toBe('/backchannel-logout');
  const jwks = createRemoteJWKSet(new URL(`${t.url}/jwks`));
  const { payload } = await jwtVerify(delivered!.logoutToken, jwks, { issuer: t.url, audience: registry.client_id });
  expect(payload.sid).toBe(sid);
  expect(payload.sub).toBe(tokens.claims()!.sub);
  expect(payload.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} });

  // The SSO session is gone: the next authorization asks for a password again.
  const again = await agent.follow(
    oidc.buildAuthorizationUrl(config, { redirect_uri: `${appUrl}/callback`, scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }).href,
  );
  expect(again.leftPortalTo).toBeUndefined();
  expect(again.response.body).toContain('Sign In');
  // The refresh token died with the session.
  await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
});

test('a restart signs nobody out: the SSO session and the refresh token survive it', async () => {
  const config = await discover(registry.client_id, registry.client_secret);
  const agent = new HttpAgent(t.url);
  const { tokens } = await codeFlow(config, agent, 'sam');

  await t.restart();

  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
  expect(refreshed.access_token).toBeDefined();
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: `${appUrl}/callback`, scope: 'openid', code_challenge: 'y'.repeat(43), code_challenge_method: 'S256' });
  const { leftPortalTo } = await agent.follow(url.href);
  expect(leftPortalTo).toMatch(/\/callback\?code=/);
});

test('after a key rotation, tokens issued before still verify and new ones use the new key', async () => {
  const config = await discover(registry.client_id, registry.client_secret);
  const { tokens } = await codeFlow(config, new HttpAgent(t.url), 'sam');
  const oldKid = decodeProtectedHeader(tokens.id_token!).kid;

  const newKid = await t.portal.services.signingKeys.rotate();
  await t.restart();

  const jwks = createRemoteJWKSet(new URL(`${t.url}/jwks`));
  await expect(jwtVerify(tokens.id_token!, jwks, { issuer: t.url })).resolves.toBeDefined();
  const fresh = await codeFlow(await discover(registry.client_id, registry.client_secret), new HttpAgent(t.url), 'sam');
  expect(decodeProtectedHeader(fresh.tokens.id_token!).kid).toBe(newKid);
  expect(newKid).not.toBe(oldKid);
  await expect(jwtVerify(fresh.tokens.id_token!, jwks, { issuer: t.url })).resolves.toBeDefined();
});

test('response_mode=form_post: the auto-submitting page may run its script and post to the app, and its code redeems', async () => {
  const config = await discover(registry.client_id, registry.client_secret);
  const agent = new HttpAgent(t.url);
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: `${appUrl}/callback`,
    scope: 'openid',
    response_mode: 'form_post',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: 'fp',
  });
  const start = await agent.follow(url.href);
  const done = await agent.completeSteps(await agent.submitSignIn(start.response, 'sam', password));
  const page = done.response;
  expect(page.status).toBe(200);
  const csp = page.headers.get('content-security-policy')!;
  expect(csp).toMatch(/form-action [^;]*http:\/\/127\.0\.0\.1:3999/);
  expect(csp).toMatch(/script-src [^;]*'sha256-/);
  const fields = Object.fromEntries([...page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1], m[2]]));
  expect(page.body).toContain(`action="${appUrl}/callback"`);
  expect(fields.state).toBe('fp');
  const tokens = await oidc.authorizationCodeGrant(config, new URL(`${appUrl}/callback?${new URLSearchParams(fields)}`), { pkceCodeVerifier: verifier, expectedState: 'fp' });
  expect(tokens.claims()!.sub).toMatch(/^[0-9a-f-]{36}$/);
});
