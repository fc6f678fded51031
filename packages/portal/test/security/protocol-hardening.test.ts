import { createHmac, createPublicKey } from 'node:crypto';
import { base64url, decodeJwt } from 'jose';
import { startTestPortal, HttpAgent, recordSecurityResult, type TestPortal } from '@portal/portal/testing';

/**
 * Protocol and web hardening (issue 14, part 5), tried the way an attacker would from outside:
 * redirect tricks, code and refresh-token replay, PKCE downgrade, forged JWTs, framing, cookie and
 * cache headers. Each test says what a person or relying party would see go wrong if it failed.
 */
const password = 'Correct-Horse-9!';
const appUrl = 'http://127.0.0.1:3998';
const redirectUri = `${appUrl}/callback`;

let t: TestPortal;
let app: { client_id: string; client_secret: string };
const tried: Record<string, number> = {};
const count = (what: string, n = 1) => void (tried[what] = (tried[what] ?? 0) + n);

beforeAll(async () => {
  t = await startTestPortal();
  await t.directory.createOrg({ code: 'PEDS01', iisId: '1000000001', name: 'Hill Country Pediatrics' });
  await t.directory.createUser({ username: 'hana', name: 'Hana Hardening', email: 'hana@example.org', password, orgs: ['PEDS01:full_access_provider'] });
  await t.directory.createUser({ username: 'mallory', name: 'Mallory Other', email: 'mallory@example.org', password, orgs: ['PEDS01:full_access_provider'] });
  const client = await t.directory.createClient({ name: 'Some app', redirectUris: [redirectUri], postLogoutRedirectUris: [`${appUrl}/`] });
  app = { client_id: client.client_id, client_secret: client.client_secret! };
}, 60_000);

afterAll(async () => {
  recordSecurityResult({ check: 'protocol hardening', figures: tried });
  await t?.close();
});

const basic = (c: { client_id: string; client_secret: string }) => `Basic ${Buffer.from(`${encodeURIComponent(c.client_id)}:${encodeURIComponent(c.client_secret)}`).toString('base64')}`;

async function tokenEndpoint(params: Record<string, string>, client = app) {
  const res = await fetch(`${t.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client) }, body: new URLSearchParams(params) });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

const s256 = async (verifier: string) => base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));

function authorizeUrl(params: Record<string, string>) {
  return `${t.url}/auth?${new URLSearchParams({ client_id: app.client_id, response_type: 'code', scope: 'openid profile offline_access', redirect_uri: redirectUri, state: 'st-1', nonce: 'n-1', prompt: 'consent', ...params })}`;
}

/** A real code for `hana`, with the verifier its challenge was made from. */
async function freshCode(agent = new HttpAgent(t.url)) {
  const verifier = base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
  const callback = new URL(await agent.signIn(authorizeUrl({ code_challenge: await s256(verifier), code_challenge_method: 'S256' }), 'hana', password));
  return { code: callback.searchParams.get('code')!, verifier, agent };
}

describe('redirects', () => {
  const tricks = [
    'https://evil.example/callback', '//evil.example/callback', '\\\\evil.example/callback', `${appUrl}@evil.example/callback`, `${appUrl}.evil.example/callback`,
    `${redirectUri}/../../evil`, `${redirectUri}%2F..%2Fevil`, `${redirectUri}?next=https://evil.example`, `${redirectUri}#@evil.example`, `HTTP://127.0.0.1:3998/callback`,
    `${redirectUri} `, `${redirectUri}%00`, 'javascript:alert(1)//', 'data:text/html,<script>alert(1)</script>', `http://127.0.0.1:3998\\@evil.example/callback`,
  ];

  test.each(tricks)('redirect_uri %s is refused at the portal and never followed', async (trick) => {
    count('redirect tricks');
    const res = await fetch(authorizeUrl({ redirect_uri: trick, code_challenge: await s256('x'.repeat(43)), code_challenge_method: 'S256' }), { redirect: 'manual' });
    const location = res.headers.get('location');
    // oidc-provider answers an unregistered redirect_uri on its own page; it never sends the browser there.
    expect({ trick, status: res.status, offSite: location !== null && !location.startsWith(t.url) && !location.startsWith('/') }).toEqual({ trick, status: 400, offSite: false });
    expect(await res.text()).not.toContain('evil.example');
  });

  test('logout CSRF: a sign-out link carrying someone else\'s ID token still asks before it signs this person out', async () => {
    const victim = await freshCode(); // hana, signed in in her own browser
    const attacker = new HttpAgent(t.url);
    const verifier = base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
    const callback = new URL(await attacker.signIn(authorizeUrl({ code_challenge: await s256(verifier), code_challenge_method: 'S256' }), 'mallory', password));
    const theirs = (await tokenEndpoint({ grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: redirectUri, code_verifier: verifier })).body.id_token!;
    count('logout CSRF');
    const page = await victim.agent.follow(`${t.url}/session/end?${new URLSearchParams({ id_token_hint: theirs, post_logout_redirect_uri: `${appUrl}/` })}`);
    expect(page.response.body).toContain('Sign out of the HHS Enterprise Portal?');
    expect(page.response.body).not.toContain('auto-submit.js');
    // Hana is still signed in: a new authorization goes straight back to the app.
    expect((await victim.agent.follow(authorizeUrl({ code_challenge: await s256(verifier), code_challenge_method: 'S256' }))).leftPortalTo).toMatch(new RegExp(`^${redirectUri}`));
  });

  test('post_logout_redirect_uri tricks: the person is never sent off to an address the app did not register', async () => {
    const { code, verifier } = await freshCode();
    const tokens = await tokenEndpoint({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });
    const idToken = tokens.body.id_token!;
    for (const trick of ['https://evil.example/', '//evil.example/', `${appUrl}@evil.example/`, `${appUrl}.evil.example/`, `${appUrl}/%2F%2Fevil.example`]) {
      count('logout redirect tricks');
      const res = await fetch(`${t.url}/session/end?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: trick, client_id: app.client_id })}`, { redirect: 'manual' });
      const location = res.headers.get('location') ?? '';
      expect({ trick, goesThere: location.includes('evil') }).toEqual({ trick, goesThere: false });
      expect(res.status).toBeLessThan(500);
    }
  });
});

describe('codes and refresh tokens', () => {
  test('a code redeemed twice: the second is refused and the tokens of the first stop working (RFC 6749 §10.5)', async () => {
    const { code, verifier } = await freshCode();
    const first = await tokenEndpoint({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });
    expect(first.status).toBe(200);
    const again = await tokenEndpoint({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });
    count('code replays');
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const userinfo = await fetch(`${t.url}/me`, { headers: { authorization: `Bearer ${first.body.access_token}` } });
    expect(userinfo.status).toBe(401);
    expect(await tokenEndpoint({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token! })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  test('an old refresh token replayed after rotation is refused and ends the grant: the thief and the victim both must sign in again', async () => {
    const { code, verifier } = await freshCode();
    const issued = await tokenEndpoint({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });
    const rotated = await tokenEndpoint({ grant_type: 'refresh_token', refresh_token: issued.body.refresh_token! });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).not.toBe(issued.body.refresh_token);
    count('refresh replays');
    expect(await tokenEndpoint({ grant_type: 'refresh_token', refresh_token: issued.body.refresh_token! })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await tokenEndpoint({ grant_type: 'refresh_token', refresh_token: rotated.body.refresh_token! })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  test('PKCE cannot be dropped, swapped or bolted on: no verifier, another code\'s verifier, or a verifier for a code issued without a challenge', async () => {
    const { code, verifier } = await freshCode();
    count('PKCE downgrades', 3);
    expect(await tokenEndpoint({ grant_type: 'authorization_code', code, redirect_uri: redirectUri })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/invalid_grant|invalid_request/) } });
    const other = await freshCode();
    expect(await tokenEndpoint({ grant_type: 'authorization_code', code: other.code, redirect_uri: redirectUri, code_verifier: verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // RFC 9700 §2.1.1: a code issued without a challenge must not be redeemed with a verifier.
    const plain = new URL(await new HttpAgent(t.url).signIn(authorizeUrl({}), 'hana', password)).searchParams.get('code')!;
    expect(await tokenEndpoint({ grant_type: 'authorization_code', code: plain, redirect_uri: redirectUri, code_verifier: verifier })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/invalid_grant|invalid_request/) } });
  });

  test('with PKCE_REQUIRED=all a confidential client without a challenge goes back with invalid_request', async () => {
    const strict = await startTestPortal({ env: { PKCE_REQUIRED: 'all' } });
    try {
      const c = await strict.directory.createClient({ name: 'Strict app', redirectUris: [redirectUri] });
      const url = `${strict.url}/auth?${new URLSearchParams({ client_id: c.client_id, response_type: 'code', scope: 'openid', redirect_uri: redirectUri, state: 'st-2' })}`;
      const res = await fetch(url, { redirect: 'manual' });
      const location = new URL(res.headers.get('location') ?? `${strict.url}/none`, strict.url);
      expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('state')).toBe('st-2');
    } finally {
      await strict.close();
    }
  });

  test('a code is bound to its client and redirect_uri', async () => {
    const { code, verifier } = await freshCode();
    const other = await t.directory.createClient({ name: 'Other app', redirectUris: [`${appUrl}/other`] });
    count('code misuse', 2);
    expect(await tokenEndpoint({ grant_type: 'authorization_code', code, redirect_uri: `${appUrl}/other`, code_verifier: verifier }, { client_id: other.client_id, client_secret: other.client_secret! })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const fresh = await freshCode();
    expect(await tokenEndpoint({ grant_type: 'authorization_code', code: fresh.code, redirect_uri: `${appUrl}/callback2`, code_verifier: fresh.verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});

// The portal accepts one JWT from outside, the id_token_hint (no request objects, no JWT client
// authentication; the admin API's tokens are opaque). The apps' JWT endpoints are tried in
// packages/rp-kit/test/security/access-tokens.test.ts.
describe('forged JWTs (alg confusion)', () => {
  /** The same claims as a real token, re-signed with `alg: none`, or HS256 keyed with the portal's public key. */
  async function forgeries(real: string) {
    const claims = decodeJwt(real);
    const enc = (o: unknown) => base64url.encode(JSON.stringify(o));
    const none = `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.`;
    const jwks = (await (await fetch(`${t.url}/jwks`)).json()) as { keys: Record<string, unknown>[] };
    const pem = createPublicKey({ key: jwks.keys[0]!, format: 'jwk' } as never).export({ type: 'spki', format: 'pem' }).toString();
    const head = `${enc({ alg: 'HS256', typ: 'at+jwt', kid: jwks.keys[0]!.kid })}.${enc(claims)}`;
    const hs256 = `${head}.${createHmac('sha256', pem).update(head).digest('base64url')}`;
    const stripped = `${real.split('.').slice(0, 2).join('.')}.`;
    return { none, hs256, stripped };
  }

  test('end_session refuses a forged id_token_hint instead of trusting its client and redirect', async () => {
    const { code, verifier } = await freshCode();
    const idToken = (await tokenEndpoint({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier })).body.id_token!;
    for (const [kind, forged] of Object.entries(await forgeries(idToken))) {
      count('forged JWTs');
      const res = await fetch(`${t.url}/session/end?${new URLSearchParams({ id_token_hint: forged, post_logout_redirect_uri: `${appUrl}/` })}`, { redirect: 'manual' });
      expect({ kind, status: res.status, redirected: (res.headers.get('location') ?? '').startsWith(appUrl) }).toEqual({ kind, status: 400, redirected: false });
    }
  });
});

describe('pages', () => {
  test('every page a person meets refuses framing, allows no inline script or style, and keeps personal pages out of caches', async () => {
    const { agent } = await freshCode();
    const pages = ['/', '/profile', '/forgot-password', '/no-such-page', '/session/end'];
    for (const path of pages) {
      count('pages checked');
      const res = await agent.request(`${t.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect({ path, frameAncestors: /frame-ancestors 'none'/.test(csp), unsafeInline: /unsafe-inline/.test(csp), nosniff: res.headers.get('x-content-type-options') }).toEqual({ path, frameAncestors: true, unsafeInline: false, nosniff: 'nosniff' });
      if (['/', '/profile'].includes(path)) expect({ path, cache: res.headers.get('cache-control') }).toEqual({ path, cache: expect.stringContaining('no-store') });
    }
  });

  test('every cookie the portal sets is HttpOnly and SameSite, and the session cookies are not readable by script', async () => {
    const agent = new HttpAgent(t.url);
    const seen: string[] = [];
    const original = agent.request.bind(agent);
    agent.request = async (url, options) => {
      const res = await original(url, options);
      seen.push(...res.headers.getSetCookie());
      return res;
    };
    await agent.signIn(authorizeUrl({ code_challenge: await s256('y'.repeat(43)), code_challenge_method: 'S256' }), 'hana', password);
    expect(seen.length).toBeGreaterThan(0);
    for (const cookie of seen) {
      count('cookies checked');
      const name = cookie.split('=')[0];
      expect({ name, httpOnly: /;\s*httponly/i.test(cookie), sameSite: /;\s*samesite=(lax|strict)/i.test(cookie) }).toEqual({ name, httpOnly: true, sameSite: true });
    }
  });
});
