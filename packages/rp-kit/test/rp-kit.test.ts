import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { createDb, type Db } from '@portal/db';
import { freshDatabase, startTestPortal, HttpAgent, parseForm, textOf, type AgentResponse, type TestPortal } from '@portal/portal/testing';
import { migrateRpKit } from '../src/index.js';
import { createSampleApp as createRegistry } from './sample-app.js';
import { createApp as createOrdering, prepareOrdering } from '@portal/ordering';
import { createApp as createEnrollment, prepareEnrollment } from '@portal/enrollment';

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
let ordering: ReturnType<typeof createOrdering>;
let clockOffset = 0;
/** Each app's own database (its sessions), fresh for this file. */
const appDatabases: { db: Db; drop(): Promise<void> }[] = [];
async function appDb(): Promise<Db> {
  const database = await freshDatabase();
  const db = createDb(database.url);
  appDatabases.push({ db, drop: database.drop });
  await migrateRpKit(db);
  return db;
}
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

/** The CSRF token a signed-in page carries (the idle warning's meta tag; the Sign Out form has the same). */
function pageCsrf(body: string): string {
  const token = /<meta name="session-timeout"[^>]* data-csrf="([^"]+)"/.exec(body)?.[1];
  if (!token) throw new Error(`no session-timeout meta on the page: ${textOf(body).slice(0, 200)}`);
  return token;
}

async function sessionStatus(agent: HttpAgent, appUrl: string): Promise<{ status: number; remainingSeconds: number }> {
  const res = await agent.request(`${appUrl}/session/status`, { headers: { accept: 'application/json' } });
  return { status: res.status, ...(JSON.parse(res.body) as { remainingSeconds: number }) };
}

function keepalive(agent: HttpAgent, appUrl: string, token: string | undefined) {
  return agent.request(`${appUrl}/session/keepalive`, { method: 'POST', headers: { accept: 'application/json', ...(token === undefined ? {} : { 'x-csrf-token': token }) } });
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
  registry = createRegistry({ issuerUrl: t.url, clientId: 'registry', clientSecret: clients.registry!.client_secret!, baseUrl: registryUrl, db: await appDb(), clock, log: quiet });
  const orderingDb = await appDb();
  await prepareOrdering(orderingDb, { demoData: false }); // VAOS's own tables beside the sessions
  ordering = createOrdering({ issuerUrl: t.url, clientId: 'ordering', clientSecret: clients.ordering!.client_secret!, baseUrl: orderingUrl, db: orderingDb, clock, log: quiet });
  registryServer.on('request', registry);
  orderingServer.on('request', ordering);
  const enrollmentDb = await appDb();
  await prepareEnrollment(enrollmentDb, { demoData: false }); // Syntropi's own tables
  enrollmentServer.on('request', createEnrollment({ issuerUrl: t.url, clientId: 'enrollment', clientSecret: clients.enrollment!.client_secret!, baseUrl: enrollmentUrl, db: enrollmentDb, clock, log: quiet }));
});

afterAll(async () => {
  for (const server of [registryServer, orderingServer, enrollmentServer]) {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  }
  await t?.close();
  for (const { db, drop } of appDatabases) {
    await db.destroy();
    await drop();
  }
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
  // Sign Out is a small form posting the session's CSRF token, not a link another site could follow.
  expect(home.body).toContain(
    `<form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="${pageCsrf(home.body)}"><button type="submit" class="link">Sign Out</button></form>`,
  );
  expect(home.body).not.toContain('href="/logout"');
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

test('every signed-in page carries the idle warning: its settings, its script and an accessible dialog, under a CSP without inline script', async () => {
  const agent = new HttpAgent(t.url);
  const home = await openApp(agent, registryUrl, 'pat');
  const session = (await registry.relyingParty.sessions.list()).find((s) => s.csrfToken === pageCsrf(home.body))!;
  expect(session.claims.preferred_username).toBe('pat');
  expect(home.body).toContain(`<meta name="session-timeout" data-idle-seconds="900" data-warning-seconds="120" data-csrf="${session.csrfToken}" data-minutes="{n} minutes" data-minute="1 minute" data-seconds="{n} seconds" data-second="1 second">`);
  expect(home.body).toContain('<script src="/static/common/session-timeout.js" defer></script>');
  expect(home.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
  expect(home.body).toMatch(/<div id="idle-warning" class="idle-backdrop" hidden>\s*<div role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-text"/);
  expect(home.body).toContain('<h2 id="idle-title">Are you still there?</h2>');
  expect(home.body).toContain('<button class="usa-button" type="button" id="idle-stay">Stay signed in</button>');
  expect(textOf(home.body)).toContain('For your security, you will be signed out of ImmTrac2 in 2 minutes because you have been inactive.');
  const csp = home.headers.get('content-security-policy')!;
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).not.toContain('unsafe-inline');

  const script = await fetch(`${registryUrl}/static/common/session-timeout.js`);
  expect(script.status).toBe(200);
  expect(script.headers.get('content-type')).toMatch(/javascript/);
  expect(await script.text()).toContain("'/session/keepalive'");
  // A page shown to nobody signed in has neither the warning nor Sign Out.
  const signedOut = await new HttpAgent(t.url).request(`${registryUrl}/no-such-page`);
  expect(signedOut.body).not.toContain('session-timeout');
  expect(signedOut.body).not.toContain('Sign Out');
});

test('GET /session/status tells how long the session has left and does not count as activity', async () => {
  const agent = new HttpAgent(t.url);
  await openApp(agent, registryUrl, 'pat');
  expect(await sessionStatus(agent, registryUrl)).toEqual({ status: 200, remainingSeconds: 900 });

  clockOffset += 10 * minute;
  expect((await sessionStatus(agent, registryUrl)).remainingSeconds).toBe(300);
  clockOffset += 4 * minute;
  expect((await sessionStatus(agent, registryUrl)).remainingSeconds).toBe(60); // asking did not slide it
  const res = await agent.request(`${registryUrl}/session/status`);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);

  // A page is activity: the window starts again.
  expect((await agent.request(`${registryUrl}/`)).status).toBe(200);
  expect((await sessionStatus(agent, registryUrl)).remainingSeconds).toBe(900);

  clockOffset += 15 * minute + 1_000;
  expect(await sessionStatus(agent, registryUrl)).toEqual({ status: 200, remainingSeconds: 0 });
  expect((await agent.request(`${registryUrl}/`)).location).toBe(`${registryUrl}/login`);
  expect(await sessionStatus(new HttpAgent(t.url), registryUrl)).toEqual({ status: 200, remainingSeconds: 0 });
});

test('POST /session/keepalive ("Stay signed in") needs the CSRF header bound to the session, and then slides it', async () => {
  const agent = new HttpAgent(t.url);
  const home = await openApp(agent, registryUrl, 'pat');
  const token = pageCsrf(home.body);
  const other = new HttpAgent(t.url);
  const otherToken = pageCsrf((await openApp(other, registryUrl, 'pat')).body);

  clockOffset += 14 * minute;
  for (const forged of [undefined, '', 'forged', otherToken]) {
    const refused = await keepalive(agent, registryUrl, forged);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toEqual({ error: 'csrf' });
  }
  // A refused request did not touch the session.
  expect((await sessionStatus(agent, registryUrl)).remainingSeconds).toBe(60);

  const kept = await keepalive(agent, registryUrl, token);
  expect(kept.status).toBe(200);
  expect(kept.headers.get('cache-control')).toBe('no-store');
  expect(JSON.parse(kept.body)).toEqual({ remainingSeconds: 900 });
  expect((await sessionStatus(agent, registryUrl)).remainingSeconds).toBe(900);

  // Past the original end, still signed in; the other session (not kept alive) has ended.
  clockOffset += 2 * minute;
  expect((await agent.request(`${registryUrl}/`)).status).toBe(200);
  expect((await other.request(`${registryUrl}/`)).location).toBe(`${registryUrl}/login`);
  expect((await keepalive(other, registryUrl, otherToken)).status).toBe(401);
  expect(JSON.parse((await keepalive(new HttpAgent(t.url), registryUrl, token)).body)).toEqual({ error: 'session_ended' });
});

test('/session/idle ends only a session whose time has passed and says the person was inactive, with a Sign In button', async () => {
  const agent = new HttpAgent(t.url);
  await openApp(agent, registryUrl, 'pat');
  clockOffset += 14 * minute;
  // Still live (another tab may have kept it alive): nothing ends, the person is sent home.
  const early = await agent.request(`${registryUrl}/session/idle`);
  expect(early.status).toBe(303);
  expect(early.location).toBe(`${registryUrl}/`);
  expect((await agent.request(`${registryUrl}/`)).status).toBe(200);

  clockOffset += 15 * minute + 1_000;
  const idle = await agent.request(`${registryUrl}/session/idle`);
  expect(idle.status).toBe(200);
  expect(idle.headers.get('cache-control')).toBe('no-store');
  const text = textOf(idle.body);
  expect(text).toContain('You were signed out');
  expect(text).toContain('You were signed out because you were inactive for more than 15 minutes.');
  expect(idle.body).toContain('<a class="usa-button" href="/login">Sign In</a>');
  expect(idle.body).not.toContain('session-timeout');
  expect(idle.body).not.toContain('Sign Out');
  expect(idle.headers.getSetCookie().some((c) => /^registry\.session=;/.test(c))).toBe(true);
  expect((await agent.request(`${registryUrl}/`)).location).toBe(`${registryUrl}/login`);
  // "Sign In" goes back through the portal, whose own session (idle on the real clock) is still live: no password.
  const again = await browse(agent, `${registryUrl}/login`);
  expect(again.url).toBe(`${registryUrl}/`);
  expect(textOf(again.body)).toContain('Pat Provider');
});

test('a session that reached its 12-hour limit while in use is not called inactive', async () => {
  const agent = new HttpAgent(t.url);
  await openApp(agent, registryUrl, 'pat');
  for (let i = 0; i < 51; i++) {
    clockOffset += 14 * minute; // 11 h 54 min in all, never idle
    expect((await agent.request(`${registryUrl}/`)).status).toBe(200);
  }
  clockOffset += 7 * minute; // 12 h 1 min after sign-in, 7 min after the last page
  expect(await sessionStatus(agent, registryUrl)).toEqual({ status: 200, remainingSeconds: 0 });
  const idle = await agent.request(`${registryUrl}/session/idle`);
  expect(idle.status).toBe(200);
  expect(textOf(idle.body)).toContain('You were signed out because your session reached its 12-hour limit.');
  expect(textOf(idle.body)).not.toContain('inactive');
});

test('Sign Out is a POST with the session\'s CSRF token: GET /logout only asks, and a forged post gets 403 and ends nothing', async () => {
  const agent = new HttpAgent(t.url);
  const home = await openApp(agent, registryUrl, 'pat');
  const token = pageCsrf(home.body);

  const ask = await agent.request(`${registryUrl}/logout`);
  expect(ask.status).toBe(200);
  expect(textOf(ask.body)).toContain('Sign out of ImmTrac2?');
  const form = parseForm(ask.body, ask.url);
  expect(form).toEqual({ action: `${registryUrl}/logout`, fields: { csrf: token } });
  expect((await agent.request(`${registryUrl}/`)).status).toBe(200); // asking signed nobody out

  for (const fields of [{}, { csrf: 'forged' }, { csrf: `${token}x` }] as Record<string, string>[]) {
    const forged = await agent.request(`${registryUrl}/logout`, { form: fields });
    expect(forged.status).toBe(403);
    expect(textOf(forged.body)).toContain('Your form expired or came from another site');
    expect(forged.location).toBeUndefined();
  }
  const still = await agent.request(`${registryUrl}/`);
  expect(still.status).toBe(200);
  expect(textOf(still.body)).toContain('Pat Provider');

  const done = await agent.request(form.action, { form: form.fields });
  expect(done.status).toBe(303);
  const endSession = new URL(done.location!);
  expect(`${endSession.origin}${endSession.pathname}`).toBe(`${t.url}/session/end`);
  expect(endSession.searchParams.get('id_token_hint')).toMatch(/^ey/);
  expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${registryUrl}/`);
  expect((await agent.request(`${registryUrl}/`)).location).toBe(`${registryUrl}/login`);
  // Without a session there is nothing to protect or to hint: only the portal's own (confirmed) sign-out.
  const again = await agent.request(`${registryUrl}/logout`, { form: { csrf: 'anything' } });
  expect(again.status).toBe(303);
  expect(new URL(again.location!).searchParams.get('id_token_hint')).toBeNull();
});

test('forged, unsigned or missing logout tokens get 400 invalid_request and end nobody\'s session', async () => {
  const agent = new HttpAgent(t.url);
  await openApp(agent, registryUrl, 'pat');
  const session = (await registry.relyingParty.sessions.list()).find((s) => s.claims.preferred_username === 'pat')!;
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

  // "Sign Out" in VAOS: the form posts the session's token; the app session ends, then RP-initiated
  // logout at the portal with the ID token as hint.
  const signOut = await carmen.request(`${orderingUrl}/logout`, { form: { csrf: pageCsrf(inOrdering.body) } });
  expect(signOut.status).toBe(303);
  expect(signOut.headers.getSetCookie().some((c) => /^ordering\.session=;/.test(c))).toBe(true);
  expect((await ordering.relyingParty.sessions.list()).some((s) => s.claims.preferred_username === 'carmen')).toBe(false);
  const endSession = new URL(signOut.location!);
  expect(endSession.href.startsWith(`${t.url}/session/end`)).toBe(true);
  expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${orderingUrl}/`);
  expect(endSession.searchParams.get('id_token_hint')).toMatch(/^ey/);

  // The portal does not ask again (the app asked; the hint is the person's own): the page
  // presses Continue by itself (its script), as the browser test sees.
  const confirm = await browse(carmen, endSession.href);
  expect(textOf(confirm.body)).toContain('Signing you out');
  expect(confirm.body).toContain('<script src="/static/auto-submit.js" defer></script>');
  const form = parseForm(confirm.body, confirm.url);
  const done = await carmen.follow(form.action, { form: { ...form.fields, logout: 'yes' } });
  expect(done.leftPortalTo).toBe(`${orderingUrl}/?state=signed-out`);
  // Back at VAOS: "You have signed out", with the ways back, not a bare sign-in page.
  const signedOut = await carmen.request(done.leftPortalTo!);
  expect(signedOut.status).toBe(200);
  expect(textOf(signedOut.body)).toContain('You have signed out of VAOS. To use it again, sign in.');
  expect(signedOut.body).toContain('href="/login"');
  expect(signedOut.body).toMatch(new RegExp(`href="${t.url}/?">Go to the Enterprise Portal`));

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

test('the portal refuses VAOS to a non-coordinator (access_denied) and VAOS shows the portal\'s reason; a coordinator gets in', async () => {
  const agent = new HttpAgent(t.url);
  const pat = await openApp(agent, orderingUrl, 'pat');
  expect(pat.url.startsWith(`${orderingUrl}/callback?`)).toBe(true);
  expect(new URL(pat.url).searchParams.get('error')).toBe('access_denied');
  expect(pat.status).toBe(403);
  const text = textOf(pat.body);
  expect(text).toContain('Access denied');
  // The portal's own words (SPEC §3.8), not the app's fallback.
  expect(text).toContain(
    'VAOS is for Primary and Secondary Vaccine Coordinators. Your account is not a vaccine coordinator for any organization. Ask your organization to update your role, or contact Customer Support.',
  );
  expect(pat.body).toContain(`<a class="portal-link" href="${t.url}/">Enterprise Portal</a>`);
  expect(pat.body).toContain(`<a class="usa-button" href="${t.url}/">Back to the Enterprise Portal</a>`);
  expect(text).not.toContain('Welcome');
  expect(pat.body).not.toContain('session-timeout'); // nobody is signed in to VAOS
  expect((await ordering.relyingParty.sessions.list()).some((s) => s.claims.preferred_username === 'pat')).toBe(false);

  const carmen = await openApp(new HttpAgent(t.url), orderingUrl, 'carmen');
  expect(carmen.status).toBe(200);
  expect(textOf(carmen.body)).toContain('Welcome, Carmen Coordinator');
});

test('an app\'s own pages (signed out, Sign Out, page not found, an expired sign-in) come in Spanish to a Spanish browser', async () => {
  const agent = new HttpAgent(t.url);
  const es = { headers: { 'accept-language': 'es-MX,es;q=0.9,en;q=0.5' } };
  const signedOut = await agent.request(`${registryUrl}/logout`, es);
  expect(signedOut.body).toContain('<html lang="es">');
  expect(textOf(signedOut.body)).toContain('Su sesión está cerrada');
  expect(textOf(signedOut.body)).toContain('No ha iniciado sesión en ImmTrac2.');
  const left = await agent.request(`${registryUrl}/?state=signed-out`, es);
  expect(textOf(left.body)).toContain('Cerró su sesión de ImmTrac2. Para volver a usarlo, inicie sesión.');
  expect(textOf(left.body)).toContain('Iniciar sesión en ImmTrac2');
  expect(textOf((await agent.request(`${registryUrl}/no-such-page`, es)).body)).toContain('No hay ninguna página en esta dirección.');
  expect(textOf((await agent.request(`${registryUrl}/callback?code=abc&state=forged`, es)).body)).toContain('Su inicio de sesión venció');

  await openApp(agent, registryUrl, 'pat');
  const ask = await agent.request(`${registryUrl}/logout`, es);
  expect(textOf(ask.body)).toContain('¿Cerrar su sesión de ImmTrac2?');
  expect(ask.body).toMatch(/<button class="usa-button" type="submit">Cerrar sesión<\/button>/);
  // The same pages in English for an English browser, as before.
  expect(textOf((await agent.request(`${registryUrl}/logout`)).body)).toContain('Sign out of ImmTrac2?');
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
  // A reason from the portal is text, never markup.
  const again = await agent.request(`${orderingUrl}/login`);
  const againState = new URL(again.location!).searchParams.get('state')!;
  const described = await agent.request(
    `${orderingUrl}/callback?${new URLSearchParams({ error: 'access_denied', error_description: 'Not <b>you</b> "today"<script>alert(1)</script>', state: againState, iss: t.url })}`,
  );
  expect(described.status).toBe(403);
  expect(described.body).toContain('Not &lt;b&gt;you&lt;/b&gt; &quot;today&quot;&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(described.body).not.toContain('<script>alert');

  for (const page of [forged, badCode, denied, described]) {
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

test('return_to never leaves the app: every trick lands on a path of the app itself', async () => {
  const agent = new HttpAgent(t.url);
  await openApp(agent, registryUrl, 'pat');
  const tricks = ['//evil.example/x', '/\\evil.example', '/%5Cevil.example', 'https://evil.example/', '/%2F%2Fevil.example', '@evil.example', '/\t/evil.example', '/%09/evil.example', 'javascript:alert(1)', '/%0d%0aSet-Cookie:x=1', `${registryUrl}@evil.example/`, '/callback?code=x', '/logout'];
  for (const trick of tricks) {
    const res = await agent.request(`${registryUrl}/login?return_to=${encodeURIComponent(trick)}`);
    const target = new URL(res.location ?? '', registryUrl);
    expect({ trick, status: res.status, origin: target.origin, header: /[\r\n]/.test(res.location ?? '') }).toEqual({ trick, status: 302, origin: registryUrl, header: false });
  }
  // A plain local path is honoured.
  const plain = (await agent.request(`${registryUrl}/login?return_to=${encodeURIComponent('/clients?q=1')}`)).location!;
  expect(new URL(plain, registryUrl).href).toBe(`${registryUrl}/clients?q=1`);
});
