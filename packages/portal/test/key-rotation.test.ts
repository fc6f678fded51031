import * as oidc from 'openid-client';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { HttpAgent, parseForm } from '../src/testing/index.js';
import { startPortalWithApp, type PortalWithApp } from '../src/testing/app-fixture.js';

/**
 * keys:rotate on one instance is seen by every instance within KEYS_REFRESH_SECONDS, without a
 * restart (issue #9): the new key signs, and the old one stays published and verifiable.
 */
const password = 'Correct-Horse-9!';
let f: PortalWithApp;

beforeAll(async () => {
  f = await startPortalWithApp({ env: { KEYS_REFRESH_SECONDS: '1' } });
  await f.t.directory.createOrg({ code: 'PEDS01', iisId: '0000012345', name: 'Hill Country Pediatrics' });
  await f.t.directory.createUser({ username: 'pat', email: 'pat@example.org', password, orgs: ['PEDS01:full_access_provider'] });
});
afterAll(() => f?.close());

async function jwks(url: string): Promise<JSONWebKeySet> {
  const res = await fetch(`${url}/jwks`);
  expect(res.headers.get('content-type')).toMatch(/^application\/jwk-set\+json/);
  return (await res.json()) as JSONWebKeySet;
}

/** A sign-in as an app does it, on `portalUrl`'s instance; the tokens it gets back. */
async function signIn(agent: HttpAgent) {
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(f.app, { redirect_uri: `${f.appUrl}/callback`, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  const callback = await agent.signIn(url.href, 'pat', password);
  return oidc.authorizationCodeGrant(f.app, new URL(callback), { pkceCodeVerifier: verifier });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a key rotated through one instance signs on both, and tokens signed before still verify', async () => {
  const other = await f.t.twin();
  const before = await signIn(new HttpAgent(f.t.url));
  const oldKid = decodeProtectedHeader(before.id_token!).kid!;
  expect((await jwks(other.url)).keys.map((k) => k.kid)).toEqual([oldKid]);

  // What `pnpm portal keys:rotate` does, through the other instance.
  const newKid = await other.portal.services.signingKeys.rotate();
  for (const url of [f.t.url, other.url]) {
    const published = await until(`the new key at ${url}/jwks`, async () => {
      const set = await jwks(url);
      return set.keys[0]?.kid === newKid ? set : undefined;
    });
    // Newest first; the old key stays published for tokens already issued. Never a private part.
    expect(published.keys.map((k) => k.kid)).toEqual([newKid, oldKid]);
    for (const key of published.keys) expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
  }

  const after = await signIn(new HttpAgent(f.t.url));
  expect(decodeProtectedHeader(after.id_token!).kid).toBe(newKid);
  const set = createLocalJWKSet(await jwks(other.url));
  await expect(jwtVerify(before.id_token!, set, { issuer: f.t.url })).resolves.toBeDefined();
  await expect(jwtVerify(after.id_token!, set, { issuer: f.t.url })).resolves.toBeDefined();
});

test('an ID token signed with the previous key is still a valid id_token_hint at sign-out', async () => {
  const agent = new HttpAgent(f.t.url);
  const tokens = await signIn(agent);
  const kid = decodeProtectedHeader(tokens.id_token!).kid!;
  await f.t.portal.services.signingKeys.rotate();
  await until('the next key', async () => ((await jwks(f.t.url)).keys[0]?.kid !== kid ? true : undefined));

  const endUrl = oidc.buildEndSessionUrl(f.app, { id_token_hint: tokens.id_token! });
  const confirm = await agent.follow(endUrl.href);
  expect(confirm.response.status).toBe(200);
  expect(confirm.response.body).toContain('Signing you out'); // its own ID token as hint: no second question
  const form = parseForm(confirm.response.body, confirm.response.url);
  await agent.follow(form.action, { form: { ...form.fields, logout: 'yes' } });
  // Signed out: the next authorization asks for a password again.
  const again = await agent.follow(f.authUrl());
  expect(again.response.body).toContain('Sign In');
  // A hint nobody signed is refused, so the hint above was checked, not ignored.
  const forged = `${tokens.id_token!.slice(0, tokens.id_token!.lastIndexOf('.'))}.${'A'.repeat(342)}`;
  const refused = await agent.follow(oidc.buildEndSessionUrl(f.app, { id_token_hint: forged }).href);
  expect(refused.response.status).toBe(400);
});
