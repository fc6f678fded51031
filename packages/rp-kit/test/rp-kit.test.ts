import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { startTestPortal, HttpAgent, parseForm, textOf, type AgentResponse, type TestPortal } from '@portal/portal/testing';
import { createApp as createRegistry } from '../../registry/src/app.js';
import { createApp as createOrdering } from '../../ordering/src/app.js';
import { createApp as createEnrollment } from '../../enrollment/src/app.js';

/**
 * rp-kit as a person and the portal see it: a real portal on a fresh database, the real ImmTrac2 and
 * VAOS apps on free ports, and a cookie-keeping agent that signs in through the portal's form.
 */
const password = 'Correct-Horse-9!';
const minute = 60_000;

let t: TestPortal;
let registryServer: Server;
let orderingServer: Server;
let enrollmentServer: Server;
let registryUrl: string;
let orderingUrl: string;
let enrollmentUrl: string;
let registry: ReturnType<typeof createRegistry>;
let clockOffset = 0;
const clock = { now: () => Date.now() + clockOffset };

async function reservePort(): Promise<{ server: Server; url: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Follows every redirect, across origins, as a browser would. */
async function browse(agent: HttpAgent, url: string): Promise<AgentResponse> {
  let response = await agent.request(url);
  for (let hops = 0; hops < 15 && response.location; hops++) response = await agent.request(response.location);
  return response;
}

/** Opens an app, signs in at the portal (unless the portal session already exists), and returns the page the app shows. */
async function openApp(agent: HttpAgent, appUrl: string, username: string): Promise<AgentResponse> {
  let response = await agent.request(`${appUrl}/`);
  // Through the app's own redirects (/ → /login) until the browser is sent to the portal.
  while (response.location?.startsWith(appUrl)) response = await agent.request(response.location);
  if (!response.location) return response;
  expect(response.location.startsWith(`${t.url}/auth?`)).toBe(true);
  const callback = await agent.signIn(response.location, username, password);
  expect(callback.startsWith(`${appUrl}/callback?`)).toBe(true);
  return browse(agent, callback);
}

function postLogoutToken(token: string | undefined): Promise<Response> {
  return fetch(`${registryUrl}/backchannel-logout`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: token === undefined ? '' : new URLSearchParams({ logout_token: token }).toString(),
  });
}

beforeAll(async () => {
  const r = await reservePort();
  const o = await reservePort();
  const e = await reservePort();
  registryServer = r.server;
  orderingServer = o.server;
  registryUrl = r.url;
  orderingUrl = o.url;
  enrollmentServer = e.server;
  enrollmentUrl = e.url;
  // The apps live on loopback: the portal may deliver back-channel logouts exactly there.
  t = await startTestPortal({ env: { BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: `${registryUrl},${orderingUrl},${enrollmentUrl}` } });

  await t.directory.createOrg({ code: 'PEDS01', iisId: '1000000001', name: 'Hill Country Pediatrics' });
  await t.directory.createOrg({ code: 'PHARM02', iisId: '1000000002', name: 'Gulf Coast Pharmacy' });
  const people = [
    { username: 'sam', name: 'Sam Supervisor', orgs: ['PEDS01:provider_supervisor', 'PHARM02:full_access_provider:primary'] },
    { username: 'pat', name: 'Pat Provider', orgs: ['PEDS01:full_access_provider'] },
    { username: 'carmen', name: 'Carmen Coordinator', orgs: ['PEDS01:full_access_provider:secondary'] },
  ];
  for (const p of people) await t.directory.createUser({ ...p, email: `${p.username}@example.org`, password });

  const clients: Record<string, { client_id: string; client_secret?: string | undefined }> = {};
  for (const [app, url, name] of [
    ['registry', registryUrl, 'ImmTrac2'],
    ['ordering', orderingUrl, 'VAOS'],
    ['enrollment', enrollmentUrl, 'Syntropi'],
  ] as const) {
    clients[app] = await t.directory.createClient({
      clientId: app,
      name,
      app,
      redirectUris: [`${url}/callback`],
      postLogoutRedirectUris: [`${url}/`],
      backchannelLogoutUri: `${url}/backchannel-logout`,
    });
  }
  const quiet = () => {};
  registry = createRegistry({ issuerUrl: t.url, clientId: 'registry', clientSecret: clients.registry!.client_secret!, baseUrl: registryUrl, clock, log: quiet });
  const ordering = createOrdering({ issuerUrl: t.url, clientId: 'ordering', clientSecret: clients.ordering!.client_secret!, baseUrl: orderingUrl, clock, log: quiet });
  registryServer.on('request', registry);
  orderingServer.on('request', ordering);
  enrollmentServer.on('request', createEnrollment({ issuerUrl: t.url, clientId: 'enrollment', clientSecret: clients.enrollment!.client_secret!, baseUrl: enrollmentUrl, clock, log: quiet }));
});

afterAll(async () => {
  for (const server of [registryServer, orderingServer, enrollmentServer]) {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  }
  await t?.close();
});

test('/login sends the browser to the portal with code + PKCE S256, state and nonce, and no secret', async () => {
  const agent = new HttpAgent(t.url);
  const home = await agent.request(`${registryUrl}/`);
  expect(home.status).toBe(302);
  expect(home.location).toBe(`${registryUrl}/login`);

  const login = await agent.request(home.location!);
  const authorize = new URL(login.location!);
  expect(authorize.origin).toBe(t.url);
  expect(Object.fromEntries(authorize.searchParams)).toEqual({
    client_id: 'registry',
    response_type: 'code',
    redirect_uri: `${registryUrl}/callback`,
    scope: 'openid profile email phone orgs',
    state: expect.stringMatching(/^[\w-]{43}$/),
    nonce: expect.stringMatching(/^[\w-]{43}$/),
    code_challenge: expect.stringMatching(/^[\w-]{43}$/),
    code_challenge_method: 'S256',
  });
  // The pending sign-in is remembered server-side, behind an HttpOnly SameSite=Lax cookie.
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('registry.login='));
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Lax/);
  expect(cookie).not.toContain(authorize.searchParams.get('state')!);
  expect(login.headers.get('content-security-policy')).toContain("default-src 'none'");
});

test('a person of two organizations signs in, picks one in "Manage Access", and sees their name and roles', async () => {
  const agent = new HttpAgent(t.url);
  const picker = await openApp(agent, registryUrl, 'sam');
  expect(picker.url).toBe(`${registryUrl}/manage-access`);
  expect(textOf(picker.body)).toContain('Choose the organization you are working for');

  const form = parseForm(picker.body, picker.url);
  const peds = /name="org" value="([^"]+)">Hill Country Pediatrics/.exec(picker.body)![1]!;
  const chosen = await agent.request(form.action, { form: { ...form.fields, org: peds } });
  expect(chosen.status).toBe(303);
  const home = await browse(agent, chosen.location!);
  const text = textOf(home.body);
  expect(home.url).toBe(`${registryUrl}/`);
  expect(text).toContain('ImmTrac2');
  expect(text).toContain('Sam Supervisor');
  expect(text).toContain('Working for Hill Country Pediatrics as Provider Supervisor');
  expect(text).toContain('Gulf Coast Pharmacy (PHARM02) 1000000002 Full Access Provider Primary Vaccine Coordinator');
  expect(home.body).toContain(`<a class="portal-link" href="${t.url}/">Enterprise Portal</a>`);
  expect(home.body).toContain('<a href="/logout">Sign Out</a>');
  expect(home.headers.get('cache-control')).toBe('no-store');
});

test('the app session cookie is HttpOnly and SameSite=Lax, and a chosen organization must be one of the person\'s own', async () => {
  const agent = new HttpAgent(t.url);
  const login = await agent.request(`${registryUrl}/login`);
  const callback = await agent.request(await agent.signIn(login.location!, 'sam', password));
  const cookie = callback.headers.getSetCookie().find((c) => c.startsWith('registry.session='));
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Lax/);
  expect(cookie).not.toMatch(/Secure/); // the app is on http here; on https it would be __Host- and Secure

  const picker = await browse(agent, callback.location!);
  const form = parseForm(picker.body, picker.url);
  const forged = await agent.request(form.action, { form: { ...form.fields, org: 'some-other-org' } });
  expect(forged.status).toBe(400);
  const noCsrf = await agent.request(form.action, { form: { org: 'x', csrf: 'wrong' } });
  expect(noCsrf.status).toBe(403);
  expect(textOf(noCsrf.body)).toContain('Your form expired or came from another site');
});

test('the app session ends after 15 idle minutes: still in at 14:59, sent to /login at 15:01', async () => {
  const agent = new HttpAgent(t.url);
  const home = await openApp(agent, registryUrl, 'pat');
  expect(textOf(home.body)).toContain('Pat Provider');

  clockOffset += 14 * minute + 59_000;
  const stillIn = await agent.request(`${registryUrl}/`);
  expect(stillIn.status).toBe(200);
  expect(textOf(stillIn.body)).toContain('Pat Provider');

  // The window slides: 15:01 after that last request, not after sign-in.
  clockOffset += 15 * minute + 1_000;
  const expired = await agent.request(`${registryUrl}/`);
  expect(expired.status).toBe(302);
  expect(expired.location).toBe(`${registryUrl}/login`);
  expect(textOf(expired.body)).not.toContain('Pat Provider');
});

test('forged, unsigned or missing logout tokens get 400 invalid_request and end nobody\'s session', async () => {
  const agent = new HttpAgent(t.url);
  await openApp(agent, registryUrl, 'pat');
  const session = registry.relyingParty.sessions.list().find((s) => s.claims.preferred_username === 'pat')!;
  const claims = {
    sid: session.sid!,
    sub: session.sub,
    jti: 'forged-1',
    events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
  };

  const unsigned = new UnsecuredJWT(claims).setIssuer(t.url).setAudience('registry').setIssuedAt().encode();
  const { privateKey } = await generateKeyPair('RS256');
  const wrongKey = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'logout+jwt' }).setIssuer(t.url).setAudience('registry').setIssuedAt().sign(privateKey);

  for (const token of [undefined, 'not-a-jwt', unsigned, wrongKey]) {
    const res = await postLogoutToken(token);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  }
  const stillIn = await agent.request(`${registryUrl}/`);
  expect(stillIn.status).toBe(200);
  expect(textOf(stillIn.body)).toContain('Pat Provider');
});

test('signing out of one app ends the portal session, and the back-channel logout ends the other app\'s session', async () => {
  const carmen = new HttpAgent(t.url);
  const inRegistry = await openApp(carmen, registryUrl, 'carmen');
  expect(textOf(inRegistry.body)).toContain('Carmen Coordinator');
  const inOrdering = await openApp(carmen, orderingUrl, 'carmen'); // SSO: no second password
  expect(textOf(inOrdering.body)).toContain('VAOS');
  const pat = new HttpAgent(t.url);
  await openApp(pat, registryUrl, 'pat');

  // "Sign Out" in VAOS: RP-initiated logout at the portal with the ID token as hint.
  const signOut = await carmen.request(`${orderingUrl}/logout`);
  const endSession = new URL(signOut.location!);
  expect(endSession.href.startsWith(`${t.url}/session/end`)).toBe(true);
  expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${orderingUrl}/`);
  expect(endSession.searchParams.get('id_token_hint')).toMatch(/^ey/);

  const confirm = await browse(carmen, endSession.href);
  expect(textOf(confirm.body)).toContain('Sign out of the HHS Enterprise Portal?');
  const form = parseForm(confirm.body, confirm.url);
  const done = await carmen.follow(form.action, { form: { ...form.fields, logout: 'yes' } });
  expect(done.leftPortalTo).toBe(`${orderingUrl}/`);

  // ImmTrac2 never saw the sign-out; only the portal's back-channel logout can have ended its session.
  let registryHome = await carmen.request(`${registryUrl}/`);
  for (let i = 0; i < 100 && registryHome.status === 200; i++) {
    await new Promise((r) => setTimeout(r, 50));
    registryHome = await carmen.request(`${registryUrl}/`);
  }
  expect(registryHome.status).toBe(302);
  expect(registryHome.location).toBe(`${registryUrl}/login`);
  // Back in VAOS, the person must sign in again: the portal session is gone too.
  const back = await browse(carmen, `${orderingUrl}/`);
  expect(back.url.startsWith(t.url)).toBe(true);
  expect(textOf(back.body)).toContain('Sign In');
  // Someone else's session is untouched.
  expect((await pat.request(`${registryUrl}/`)).status).toBe(200);
});

test('Syntropi opens without a second password after ImmTrac2 (SSO) and shows the person and their organizations', async () => {
  const agent = new HttpAgent(t.url);
  await openApp(agent, registryUrl, 'pat');
  const login = await agent.request(`${enrollmentUrl}/login`);
  const { leftPortalTo } = await agent.follow(login.location!); // no sign-in page on the way
  expect(leftPortalTo!.startsWith(`${enrollmentUrl}/callback?`)).toBe(true);
  const home = await browse(agent, leftPortalTo!);
  expect(home.url).toBe(`${enrollmentUrl}/`);
  const text = textOf(home.body);
  expect(text).toContain('Syntropi');
  expect(text).toContain('Welcome, Pat Provider');
  expect(text).toContain('Hill Country Pediatrics (PEDS01) 1000000001 Full Access Provider');
  expect(home.body).toContain(`href="${t.url}/">Enterprise Portal</a>`);
});

test('VAOS shows a non-coordinator a clear 403 page, and lets a coordinator in', async () => {
  const pat = await openApp(new HttpAgent(t.url), orderingUrl, 'pat');
  expect(pat.status).toBe(403);
  expect(textOf(pat.body)).toContain('VAOS is for Primary and Secondary Vaccine Coordinators');
  expect(textOf(pat.body)).not.toContain('Welcome');

  const carmen = await openApp(new HttpAgent(t.url), orderingUrl, 'carmen');
  expect(carmen.status).toBe(200);
  expect(textOf(carmen.body)).toContain('Welcome, Carmen Coordinator');
});

test('a callback with a forged state, a bad code or a refusal shows a clear page, never a stack trace', async () => {
  const agent = new HttpAgent(t.url);
  const forged = await agent.request(`${registryUrl}/callback?code=abc&state=forged`);
  expect(forged.status).toBe(400);
  expect(textOf(forged.body)).toContain('Your sign-in expired');
  expect(forged.body).toContain('href="/login"');

  // A real pending sign-in, answered with a code the portal never issued.
  const start = await agent.request(`${registryUrl}/login`);
  const state = new URL(start.location!).searchParams.get('state')!;
  const badCode = await agent.request(`${registryUrl}/callback?code=not-a-code&state=${state}&iss=${encodeURIComponent(t.url)}`);
  expect(badCode.status).toBe(400);
  expect(textOf(badCode.body)).toContain('The Enterprise Portal could not complete your sign-in');
  // The state was single use.
  const replay = await agent.request(`${registryUrl}/callback?code=not-a-code&state=${state}&iss=${encodeURIComponent(t.url)}`);
  expect(textOf(replay.body)).toContain('Your sign-in expired');

  // The portal refusing VAOS to someone (access_denied) reads like VAOS's own guard.
  const vaos = await agent.request(`${orderingUrl}/login`);
  const vaosState = new URL(vaos.location!).searchParams.get('state')!;
  const denied = await agent.request(`${orderingUrl}/callback?error=access_denied&state=${vaosState}&iss=${encodeURIComponent(t.url)}`);
  expect(denied.status).toBe(403);
  expect(textOf(denied.body)).toContain('VAOS is for Primary and Secondary Vaccine Coordinators');

  for (const page of [forged, badCode, denied]) {
    expect(page.body).not.toMatch(/\bat .+\.(ts|js):\d+/);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  }
});

test('a state started in one browser cannot be completed in another (login CSRF)', async () => {
  const victim = new HttpAgent(t.url);
  const attacker = new HttpAgent(t.url);
  const start = await attacker.request(`${registryUrl}/login`);
  const callback = await attacker.signIn(start.location!, 'pat', password);
  const res = await victim.request(callback);
  expect(res.status).toBe(400);
  expect(textOf(res.body)).toContain('Your sign-in expired');
  // The attacker's own browser still completes it.
  expect((await attacker.request(callback)).status).toBe(302);
});
