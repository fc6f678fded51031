import * as oidc from 'openid-client';
import { startPortalWithApp, type PortalWithApp } from '../../src/testing/app-fixture.js';
import { HttpAgent } from '../../src/testing/index.js';

/**
 * Discovery advertises a pushed authorization request endpoint (RFC 9126): it must answer. A
 * confidential app pushes its parameters with its credentials, gets a request_uri, and the
 * authorization endpoint signs the person in from it; the request_uri works once.
 */
let p: PortalWithApp;
const password = 'Correct-Horse-9!';
beforeAll(async () => {
  p = await startPortalWithApp();
  await p.t.directory.createUser({ username: 'pat', email: 'pat@example.org', password });
});
afterAll(() => p?.close());

test('every endpoint discovery advertises is routed to oidc-provider, not the portal 404 page', async () => {
  const metadata = (await (await fetch(`${p.t.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  const endpoints = Object.entries(metadata).filter(([key, value]) => /_(endpoint|uri)$/.test(key) && typeof value === 'string' && value.startsWith(p.t.url));
  expect(endpoints.map(([key]) => key)).toContain('pushed_authorization_request_endpoint');
  for (const [key, url] of endpoints) {
    const res = await fetch(String(url), { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    const body = await res.text();
    expect([key, body]).not.toEqual([key, expect.stringContaining('There is no page at this address')]);
    expect([key, res.status < 500]).toEqual([key, true]);
  }
});

test('a pushed authorization request gets a request_uri that the authorization endpoint signs in with, once', async () => {
  const verifier = oidc.randomPKCECodeVerifier();
  const redirect_uri = `${p.appUrl}/callback`;
  const url = await oidc.buildAuthorizationUrlWithPAR(p.app, {
    redirect_uri,
    scope: 'openid profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: 'pushed-state',
  });
  const requestUri = url.searchParams.get('request_uri')!;
  expect(requestUri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
  // Only client_id and request_uri travel through the browser.
  expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);

  const callback = await new HttpAgent(p.t.url).signIn(url.href, 'pat', password);
  expect(new URL(callback).searchParams.get('state')).toBe('pushed-state');
  const tokens = await oidc.authorizationCodeGrant(p.app, new URL(callback), { pkceCodeVerifier: verifier, expectedState: 'pushed-state' });
  expect(tokens.claims()?.preferred_username).toBe('pat');

  // A request_uri is single-use: a second browser presenting it is sent back to the app with an error.
  const replay = await new HttpAgent(p.t.url).follow(url.href);
  const back = new URL(replay.leftPortalTo!);
  expect(back.searchParams.get('error')).toBe('invalid_request_uri');
  expect(back.searchParams.has('code')).toBe(false);
});
