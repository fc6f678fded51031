import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { startTestPortal, startBackchannelReceiver, HttpAgent, parseForm, textOf, type TestPortal } from '../src/testing/index.js';
import { createTestClock } from '../src/libraries/clock.js';

/**
 * The SSO session as people and apps meet it (SPEC §3.7): 15 minutes idle (sliding), 12 hours at
 * most, silent sign-in refused once idle, and Sign Out / idle expiry telling every app.
 */
const password = 'Correct-Horse-9!';
const minute = 60_000;
const clock = createTestClock();

let t: TestPortal;
let receiver: Awaited<ReturnType<typeof startBackchannelReceiver>>;
const apps: { config: oidc.Configuration; clientId: string; redirect: string }[] = [];
let n = 0;

beforeAll(async () => {
  receiver = await startBackchannelReceiver();
  t = await startTestPortal({ clock, env: { BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: receiver.url } });
  for (const name of ['ImmTrac2', 'Syntropi']) {
    const redirect = `http://127.0.0.1:399${apps.length}/callback`;
    const c = await t.directory.createClient({ name, redirectUris: [redirect], backchannelLogoutUri: `${receiver.url}/${name}` });
    apps.push({ clientId: c.client_id, redirect, config: await oidc.discovery(new URL(t.url), c.client_id, c.client_secret, undefined, { execute: [oidc.allowInsecureRequests] }) });
  }
});

afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

/** A person signed in to the portal home in their own browser. */
async function signedInPerson() {
  const username = `sess${++n}`;
  await t.directory.createUser({ username, name: `Session Person ${n}`, email: `${username}@example.org`, password });
  const agent = new HttpAgent(t.url);
  const login = await agent.follow(`${t.url}/login`);
  const home = await agent.completeSteps(await agent.submitSignIn(login.response, username, password));
  expect(textOf(home.response.body)).toContain(`Welcome, Session Person ${n}.`);
  return { agent, username };
}

async function isSignedIn(agent: HttpAgent) {
  return textOf((await agent.request(`${t.url}/`)).body).includes('Welcome,');
}

/** An app's silent authorization (prompt=none) from this browser: the error, or a code. */
async function silent(agent: HttpAgent, app = apps[0]!) {
  const url = oidc.buildAuthorizationUrl(app.config, { redirect_uri: app.redirect, scope: 'openid', prompt: 'none', code_challenge: 'i'.repeat(43), code_challenge_method: 'S256' });
  const { leftPortalTo } = await agent.follow(url.href);
  const back = new URL(leftPortalTo!);
  return back.searchParams.get('error') ?? (back.searchParams.get('code') ? 'code' : 'nothing');
}

test('at 14:59 idle the session works and slides; at 15:01 it is over and silent sign-in gets login_required', async () => {
  const { agent } = await signedInPerson();
  clock.advance(14 * minute + 59_000);
  expect(await isSignedIn(agent)).toBe(true);
  expect(await silent(agent)).toBe('code');

  clock.advance(14 * minute + 59_000); // slid: 14:59 after the last request
  expect(await isSignedIn(agent)).toBe(true);

  clock.advance(15 * minute + 1000);
  expect(await silent(agent)).toBe('login_required');
  const page = await agent.request(`${t.url}/`);
  expect(textOf(page.body)).toContain('Sign In');
  expect(textOf(page.body)).not.toContain('Welcome,');
});

test('a token grant is not the person’s activity: an app refreshing and calling userinfo does not keep an idle session alive', async () => {
  const { agent } = await signedInPerson();
  // The app signs in with SSO and gets tokens bound to the session.
  const app = apps[0]!;
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(app.config, { redirect_uri: app.redirect, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  const { leftPortalTo } = await agent.follow(url.href);
  let tokens = await oidc.authorizationCodeGrant(app.config, new URL(leftPortalTo!), { pkceCodeVerifier: verifier });
  const touchedAt = async () => Number((await t.db('oidc_payloads').where({ model: 'Session' }).orderBy('last_active_at', 'desc').first('last_active_at'))!.last_active_at);
  const lastActive = await touchedAt();

  // Every 4 minutes, for 12 minutes, the app refreshes and reads userinfo; the person does nothing.
  for (let i = 0; i < 3; i++) {
    clock.advance(4 * minute);
    tokens = await oidc.refreshTokenGrant(app.config, tokens.refresh_token!);
    await oidc.fetchUserInfo(app.config, tokens.access_token, oidc.skipSubjectCheck);
  }
  expect(await touchedAt()).toBe(lastActive); // no write for the app's calls
  clock.advance(3 * minute + 1000);
  // 15:01 since the person last did anything: the session is over for the person and the app.
  expect(await silent(agent)).toBe('login_required');
  await expect(oidc.refreshTokenGrant(app.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
});

test('the 12-hour cap holds even with constant activity', async () => {
  const { agent } = await signedInPerson();
  for (let elapsed = 0; elapsed < 12 * 60 - 10; elapsed += 10) {
    clock.advance(10 * minute);
    expect(await isSignedIn(agent)).toBe(true);
  }
  clock.advance(10 * minute); // 12 hours since sign-in
  expect(await isSignedIn(agent)).toBe(false);
});

test('an idle session is ended by the sweeper with back-channel logout to each app that had it', async () => {
  const { agent, username } = await signedInPerson();
  const user = (await t.portal.services.users.findByUsername(username))!;
  expect(await silent(agent, apps[0])).toBe('code');
  expect(await silent(agent, apps[1])).toBe('code');
  const before = receiver.received.length;

  clock.advance(15 * minute + 1000);
  await t.portal.sweep(); // (earlier tests' idle sessions end here too)
  await receiver.waitFor(before + 2);
  const forThisPerson = receiver.received.slice(before).filter((d) => decodeJwt(d.logoutToken).sub === user.id);
  expect(forThisPerson.map((d) => d.path).sort()).toEqual(['/ImmTrac2', '/Syntropi']);
  expect(await t.db('oidc_payloads').where({ model: 'Session', account_id: user.id })).toHaveLength(0);
});

test('/session/status tells the time left without counting as activity; "Stay signed in" needs its token', async () => {
  const { agent } = await signedInPerson();
  clock.advance(10 * minute);
  const status = async () => JSON.parse((await agent.request(`${t.url}/session/status`, { headers: { accept: 'application/json' } })).body).remainingSeconds as number;
  expect(await status()).toBeGreaterThanOrEqual(299);
  expect(await status()).toBeLessThanOrEqual(300);
  clock.advance(4 * minute);
  expect(await status()).toBeLessThanOrEqual(60);

  const forged = await agent.request(`${t.url}/session/keepalive`, { method: 'POST', headers: { accept: 'application/json', 'x-csrf-token': 'forged' } });
  expect(forged.status).toBe(403);
  const token = /data-csrf="([^"]+)"/.exec((await agent.request(`${t.url}/`)).body)?.[1];
  // (that page view was itself activity; the keepalive must also work on its own)
  clock.advance(14 * minute);
  const kept = await agent.request(`${t.url}/session/keepalive`, { method: 'POST', headers: { accept: 'application/json', 'x-csrf-token': token! } });
  expect(kept.status).toBe(200);
  expect(JSON.parse(kept.body).remainingSeconds).toBeGreaterThanOrEqual(15 * 60 - 1);
  clock.advance(14 * minute);
  expect(await status()).toBeGreaterThan(0);
});

test('Sign Out ends the SSO session and delivers a valid logout token to each app that had a session', async () => {
  const { agent, username } = await signedInPerson();
  expect(await silent(agent, apps[0])).toBe('code');
  expect(await silent(agent, apps[1])).toBe('code');
  const user = (await t.portal.services.users.findByUsername(username))!;
  const home = await agent.request(`${t.url}/`);
  const signOut = /<form method="post" action="\/logout"[^>]*><input type="hidden" name="csrf" value="([^"]+)"/.exec(home.body)?.[1];
  expect(signOut).toBeDefined();

  // Without the token: refused, still signed in.
  const forged = await agent.request(`${t.url}/logout`, { form: { csrf: 'forged' } });
  expect(forged.status).toBe(403);
  expect(await isSignedIn(agent)).toBe(true);

  const before = receiver.received.length;
  const out = await agent.follow(`${t.url}/logout`, { form: { csrf: signOut! } });
  expect(textOf(out.response.body)).toContain('You have signed out');
  const delivered = (await receiver.waitFor(before + 2)).slice(before);
  expect(delivered).toHaveLength(2);
  const jwks = createRemoteJWKSet(new URL(`${t.url}/jwks`));
  for (const d of delivered) {
    const app = apps[d.path === '/ImmTrac2' ? 0 : 1]!;
    const { payload } = await jwtVerify(d.logoutToken, jwks, { issuer: t.url, audience: app.clientId });
    expect(payload.sub).toBe(user.id);
    expect(typeof payload.sid).toBe('string');
    expect(payload.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} });
    expect(payload.nonce).toBeUndefined();
  }
  expect(await isSignedIn(agent)).toBe(false);
  expect(await silent(agent)).toBe('login_required');
});

test('the Sign Out link on an old bookmark asks first instead of signing out on a GET', async () => {
  const { agent } = await signedInPerson();
  const page = await agent.request(`${t.url}/logout`);
  expect(textOf(page.body)).toContain('Sign out of the HHS Enterprise Portal and every application you opened with it?');
  expect(await isSignedIn(agent)).toBe(true);
  const form = parseForm(page.body, page.url);
  await agent.follow(form.action, { form: form.fields });
  expect(await isSignedIn(agent)).toBe(false);
});

