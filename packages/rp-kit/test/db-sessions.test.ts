import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createDb, type Db } from '@portal/db';
import { freshDatabase, startTestPortal, HttpAgent, parseForm, textOf, type AgentResponse, type TestPortal } from '@portal/portal/testing';
import { createSampleApp as createRegistry } from './sample-app.js';
import { createRelyingParty, migrateRpKit } from '../src/index.js';

/**
 * App sessions in the app's database, as people see them: ImmTrac2 behind one address (a load
 * balancer in front of its instances), every instance a separate app with its own connections to
 * one database. A restart signs nobody out, instances share sessions, and the rules stay as they
 * were: back-channel logout, the idle timeout (injected clock) and CSRF.
 */
const password = 'Correct-Horse-9!';
const minute = 60_000;

let t: TestPortal;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let front: Server;
let appUrl: string;
let clientSecret: string;
let clockOffset = 0;
const clock = { now: () => Date.now() + clockOffset };
const dbs: Db[] = [];

/** One instance of ImmTrac2: its own process state and connections, the shared database. */
interface Instance {
  name: string;
  app: ReturnType<typeof createRegistry>;
  hits: number;
  backchannelHits: number;
}
const route: { pages?: Instance; backchannel?: Instance } = {};

async function startInstance(name: string): Promise<Instance> {
  const db = createDb(database.url);
  dbs.push(db);
  await migrateRpKit(db); // every instance migrates at start; the second finds nothing to do
  const app = createRegistry({ issuerUrl: t.url, clientId: 'registry', clientSecret, baseUrl: appUrl, db, clock, log: () => {} });
  return { name, app, hits: 0, backchannelHits: 0 };
}

/** The load balancer: pages go to `route.pages`, the portal's back-channel logouts to `route.backchannel`. */
const balancer: RequestListener = (req, res) => {
  const backchannel = req.url?.startsWith('/backchannel-logout');
  const target = backchannel ? (route.backchannel ?? route.pages)! : route.pages!;
  if (backchannel) target.backchannelHits++;
  else target.hits++;
  target.app(req, res);
};

async function listen(handler: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function browse(agent: HttpAgent, url: string): Promise<AgentResponse> {
  let response = await agent.request(url);
  for (let hops = 0; hops < 15 && response.location; hops++) response = await agent.request(response.location);
  return response;
}

/** Signs in through whichever instance `route.pages` names and returns the page ImmTrac2 shows. */
async function signIn(agent: HttpAgent, username: string): Promise<AgentResponse> {
  const login = await agent.request(`${appUrl}/login`);
  return browse(agent, await agent.signIn(login.location!, username, password));
}

function pageCsrf(body: string): string {
  const token = /<meta name="session-timeout"[^>]* data-csrf="([^"]+)"/.exec(body)?.[1];
  if (!token) throw new Error(`no session-timeout meta on the page: ${textOf(body).slice(0, 200)}`);
  return token;
}

beforeAll(async () => {
  database = await freshDatabase();
  ({ server: front, url: appUrl } = await listen(balancer));
  t = await startTestPortal({ env: { BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: appUrl } });
  await t.directory.createOrg({ code: 'PEDS01', iisId: '1000000001', name: 'Hill Country Pediatrics' });
  await t.directory.createOrg({ code: 'PHARM02', iisId: '1000000002', name: 'Gulf Coast Pharmacy' });
  await t.directory.createUser({ username: 'pat', name: 'Pat Provider', email: 'pat@example.org', password, orgs: ['PEDS01:full_access_provider'] });
  await t.directory.createUser({
    username: 'sam',
    name: 'Sam Supervisor',
    email: 'sam@example.org',
    password,
    orgs: ['PEDS01:provider_supervisor', 'PHARM02:full_access_provider:primary'],
  });
  const client = await t.directory.createClient({
    clientId: 'registry',
    name: 'ImmTrac2',
    app: 'registry',
    redirectUris: [`${appUrl}/callback`],
    postLogoutRedirectUris: [`${appUrl}/`],
    backchannelLogoutUri: `${appUrl}/backchannel-logout`,
  });
  clientSecret = client.client_secret!;
});

afterAll(async () => {
  front?.closeAllConnections();
  await new Promise((resolve) => front?.close(resolve));
  await t?.close();
  for (const db of dbs) await db.destroy();
  await database?.drop();
});

beforeEach(() => {
  route.pages = undefined;
  route.backchannel = undefined;
});

test('a restarted app keeps a signed-in person signed in, with the organization they chose', async () => {
  route.pages = await startInstance('before');
  const agent = new HttpAgent(t.url);
  const picker = await signIn(agent, 'sam');
  expect(picker.url).toBe(`${appUrl}/manage-access`);
  const form = parseForm(picker.body, picker.url);
  const peds = /name="org" value="([^"]+)">Hill Country Pediatrics/.exec(picker.body)![1]!;
  expect((await agent.request(form.action, { form: { ...form.fields, org: peds } })).status).toBe(303);

  // A new process: nothing in memory, the same database.
  route.pages = await startInstance('after');
  const home = await agent.request(`${appUrl}/`);
  expect(home.status).toBe(200);
  expect(textOf(home.body)).toContain('Sam Supervisor');
  expect(textOf(home.body)).toContain('Working for Hill Country Pediatrics as Provider Supervisor');
  expect(route.pages.hits).toBe(1); // no trip through /login: the restarted app knew the session
});

test('two instances share sessions: signed in through A, working on B, signed out on B, gone on A', async () => {
  const a = await startInstance('A');
  const b = await startInstance('B');
  route.pages = a;
  const agent = new HttpAgent(t.url);
  const home = await signIn(agent, 'pat');
  expect(textOf(home.body)).toContain('Pat Provider');

  route.pages = b;
  const onB = await agent.request(`${appUrl}/`);
  expect(onB.status).toBe(200);
  expect(textOf(onB.body)).toContain('Pat Provider');
  expect(pageCsrf(onB.body)).toBe(pageCsrf(home.body)); // the same session, not a second sign-in
  expect(b.hits).toBe(1);

  const signOut = await agent.request(`${appUrl}/logout`, { form: { csrf: pageCsrf(onB.body) } });
  expect(signOut.status).toBe(303);
  expect(signOut.location!.startsWith(`${t.url}/session/end`)).toBe(true);

  route.pages = a;
  const onA = await agent.request(`${appUrl}/`);
  expect(onA.status).toBe(302);
  expect(onA.location).toBe(`${appUrl}/login`);
});

test('a back-channel logout received by instance A ends the session a person is using through B', async () => {
  const a = await startInstance('A');
  const b = await startInstance('B');
  route.pages = b;
  route.backchannel = a;
  const agent = new HttpAgent(t.url);
  await signIn(agent, 'pat');
  const other = new HttpAgent(t.url);
  await signIn(other, 'sam');
  expect((await agent.request(`${appUrl}/`)).status).toBe(200);

  // Pat signs out at the portal itself: ImmTrac2 hears of it only through the back-channel, on A.
  const confirm = await browse(agent, `${t.url}/session/end`);
  const form = parseForm(confirm.body, confirm.url);
  await agent.follow(form.action, { form: { ...form.fields, logout: 'yes' } });
  let home = await agent.request(`${appUrl}/`);
  for (let i = 0; i < 100 && home.status === 200; i++) {
    await new Promise((r) => setTimeout(r, 50));
    home = await agent.request(`${appUrl}/`);
  }
  expect(a.backchannelHits).toBe(1);
  expect(b.backchannelHits).toBe(0);
  expect(home.status).toBe(302);
  expect(home.location).toBe(`${appUrl}/login`);
  // Sam's session, in the same table, is untouched.
  expect(textOf((await other.request(`${appUrl}/manage-access`)).body)).toContain('Choose the organization');
});

test('the idle timeout still ends a session whichever instance saw it last (injected clock)', async () => {
  const a = await startInstance('A');
  const b = await startInstance('B');
  route.pages = a;
  const agent = new HttpAgent(t.url);
  await signIn(agent, 'pat');

  clockOffset += 14 * minute + 59_000;
  route.pages = b;
  expect((await agent.request(`${appUrl}/`)).status).toBe(200); // and B slid the window for A too

  clockOffset += 14 * minute + 59_000;
  route.pages = a;
  expect((await agent.request(`${appUrl}/`)).status).toBe(200);
  const status = await agent.request(`${appUrl}/session/status`, { headers: { accept: 'application/json' } });
  expect(JSON.parse(status.body)).toEqual({ remainingSeconds: 900 });

  clockOffset += 15 * minute + 1_000;
  route.pages = b;
  const expired = await agent.request(`${appUrl}/`);
  expect(expired.status).toBe(302);
  expect(expired.location).toBe(`${appUrl}/login`);
  route.pages = a;
  expect((await agent.request(`${appUrl}/`)).location).toBe(`${appUrl}/login`);
});

test('CSRF is still required on every instance: a forged Sign Out or "Stay signed in" changes nothing', async () => {
  const a = await startInstance('A');
  const b = await startInstance('B');
  route.pages = a;
  const agent = new HttpAgent(t.url);
  const home = await signIn(agent, 'pat');
  const token = pageCsrf(home.body);

  route.pages = b;
  for (const csrf of ['', 'forged', `${token}x`]) {
    const forged = await agent.request(`${appUrl}/logout`, { form: { csrf } });
    expect(forged.status).toBe(403);
    expect(textOf(forged.body)).toContain('Your form expired or came from another site');
  }
  clockOffset += 10 * minute;
  const keepalive = await agent.request(`${appUrl}/session/keepalive`, { method: 'POST', headers: { accept: 'application/json', 'x-csrf-token': 'forged' } });
  expect(keepalive.status).toBe(403);
  route.pages = a;
  const status = await agent.request(`${appUrl}/session/status`, { headers: { accept: 'application/json' } });
  expect(JSON.parse(status.body)).toEqual({ remainingSeconds: 300 }); // the forged keepalive did not slide it
  expect((await agent.request(`${appUrl}/`)).status).toBe(200);
});

test('/login?renew=1 signs in again silently while the portal session lives, keeps the session\'s data, and returns to the page', async () => {
  route.pages = await startInstance('A');
  const agent = new HttpAgent(t.url);
  const picker = await signIn(agent, 'sam');
  const form = parseForm(picker.body, picker.url);
  const pharm = /name="org" value="([^"]+)">Gulf Coast Pharmacy/.exec(picker.body)![1]!;
  await agent.request(form.action, { form: { ...form.fields, org: pharm } });
  const before = await agent.request(`${appUrl}/`);

  // Signed in, plain /login only sends the person on; renew=1 goes to the portal all the same.
  expect((await agent.request(`${appUrl}/login?return_to=/manage-access`)).location).toBe(`${appUrl}/manage-access`);
  const renew = await agent.request(`${appUrl}${route.pages.app.relyingParty.renewPath('/manage-access')}`);
  expect(renew.location!.startsWith(`${t.url}/auth?`)).toBe(true);
  const { leftPortalTo } = await agent.follow(renew.location!); // no sign-in page: SSO
  expect(leftPortalTo!.startsWith(`${appUrl}/callback?`)).toBe(true);
  const callback = await agent.request(leftPortalTo!);
  expect(callback.location).toBe(`${appUrl}/manage-access`);
  expect(callback.headers.getSetCookie().some((c) => c.startsWith('registry.session='))).toBe(true); // a new session id

  const home = await agent.request(`${appUrl}/`);
  expect(textOf(home.body)).toContain('Working for Gulf Coast Pharmacy');
  expect(pageCsrf(home.body)).toBe(pageCsrf(before.body)); // forms open in other tabs still post
  expect((await route.pages.app.relyingParty.sessions.list()).filter((s) => s.claims.preferred_username === 'sam')).toHaveLength(1);
});

test('an app with API access asks for the API\'s scope and resource (RFC 8707), also when it renews', async () => {
  const db = createDb(database.url);
  dbs.push(db);
  await migrateRpKit(db);
  const rp = createRelyingParty({
    appName: 'Fourth App',
    issuerUrl: t.url,
    clientId: 'registry',
    clientSecret,
    baseUrl: appUrl,
    db,
    clock,
    log: () => {},
    api: { resource: 'https://portal.example.org/admin-api', scope: 'admin:read' },
  });
  const app = express();
  app.use(rp.router);
  app.get('/', rp.requireSession, (_req, res) => void res.send('home'));
  app.use(rp.errorHandler);
  const withApi: Instance = { name: 'api', app: Object.assign(app, { relyingParty: rp }) as never, hits: 0, backchannelHits: 0 };
  route.pages = withApi;

  const agent = new HttpAgent(t.url);
  const login = await agent.request(`${appUrl}/login?return_to=/reports`);
  const authorize = new URL(login.location!);
  expect(authorize.searchParams.get('scope')).toBe('openid profile email phone orgs admin:read');
  expect(authorize.searchParams.get('resource')).toBe('https://portal.example.org/admin-api');

  // Signed in (through the registry: same client, same database), without an access token.
  route.pages = await startInstance('plain');
  await signIn(agent, 'pat');
  route.pages = withApi;
  expect((await agent.request(`${appUrl}/`)).body).toBe('home');
  const renew = new URL((await agent.request(`${appUrl}${rp.renewPath('/reports?page=2')}`)).location!);
  expect(renew.searchParams.get('resource')).toBe('https://portal.example.org/admin-api');
  expect(renew.searchParams.get('scope')).toBe('openid profile email phone orgs admin:read');

  expect(() => createRelyingParty({ appName: 'x', issuerUrl: t.url, clientId: 'x', clientSecret, baseUrl: appUrl, db, api: { resource: 'admin', scope: 'a' } })).toThrow(
    'api.resource must be an absolute URL',
  );
});
