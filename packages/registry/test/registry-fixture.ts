import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDb, type Db } from '@portal/db';
import { migrateRpKit } from '@portal/rp-kit';
import { freshDatabase, HttpAgent, startTestPortal, textOf, type AgentResponse, type TestPortal } from '@portal/portal/testing';
import { createApp, type RegistryOptions } from '../src/app.js';
import { prepareRegistry } from '../src/prepare.js';

export const password = 'Correct-Horse-9!';

/** One person per role of seed 000, and one of two organizations (Sam). */
export const people = {
  val: { name: 'Valerie Viewonly', orgs: ['SCHOOL03:view_only'] },
  pat: { name: 'Pat Provider', orgs: ['PEDS01:full_access_provider'] },
  sam: { name: 'Sam Supervisor', orgs: ['PEDS01:provider_supervisor', 'PHARM02:full_access_provider'] },
  rosa: { name: 'Rosa Region', orgs: ['HSR07:modified_access_substate'] },
  steve: { name: 'Steve State', orgs: ['DSHS:full_access_state'] },
} as const;
export type Person = keyof typeof people;

export interface RegistrySystem {
  t: TestPortal;
  appUrl: string;
  db: Db;
  /** The registry app now serving (a restart builds a new one). */
  app: ReturnType<typeof createApp>;
  clock: { now(): number; advance(ms: number): void };
  /** Starts the registry again on the same database (an app restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A test portal with the demo organizations and one person per role, and ImmTrac2 on a fresh
 * database of its own (demo data: the named clients and 300 synthetic ones), on a free port.
 */
export async function startRegistrySystem(options: { app?: Partial<RegistryOptions>; portal?: Parameters<typeof startTestPortal>[0] } = {}): Promise<RegistrySystem> {
  let offset = 0;
  const clock = { now: () => Date.now() + offset, advance: (ms: number) => void (offset += ms) };
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const t = await startTestPortal({ ...options.portal, env: { BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: appUrl, REGISTRY_URL: appUrl, ...options.portal?.env } });
  for (const [code, iisId, name] of [['PEDS01', '1000000001', 'Hill Country Pediatrics'], ['PHARM02', '1000000002', 'Gulf Coast Pharmacy'], ['SCHOOL03', '1000000003', 'Central Texas ISD'], ['HSR07', '1000000007', 'Health Service Region 7'], ['DSHS', '1000000000', 'DSHS Immunization Unit']] as const) {
    await t.directory.createOrg({ code, iisId, name });
  }
  for (const [username, p] of Object.entries(people)) await t.directory.createUser({ username, name: p.name, email: `${username}@example.org`, password, orgs: [...p.orgs] });
  const client = await t.directory.createClient({
    clientId: 'registry', name: 'ImmTrac2', app: 'registry',
    // Manage Users: the person's own token for the portal's admin API (as the demo client has).
    scopes: ['org:members'],
    redirectUris: [`${appUrl}/callback`], postLogoutRedirectUris: [`${appUrl}/`], backchannelLogoutUri: `${appUrl}/backchannel-logout`,
  });
  const database = await freshDatabase();
  let db = createDb(database.url);
  await migrateRpKit(db);
  await prepareRegistry(db, { demoData: true, demoClients: 300 });
  const build = () => createApp({ issuerUrl: t.url, clientId: 'registry', clientSecret: client.client_secret!, baseUrl: appUrl, db, clock, log: () => {}, ...options.app });
  let app = build();
  server.on('request', (req, res) => app(req, res));
  return {
    t, appUrl, clock,
    get db() {
      return db;
    },
    get app() {
      return app;
    },
    async restart() {
      await db.destroy();
      db = createDb(database.url);
      await migrateRpKit(db);
      await prepareRegistry(db, { demoData: true });
      app = build();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
      await db.destroy();
      await database.drop();
    },
  };
}

/** Follows redirects across origins, as a browser would. */
export async function browse(agent: HttpAgent, url: string, init?: Parameters<HttpAgent['request']>[1]): Promise<AgentResponse> {
  let response = await agent.request(url, init);
  for (let hops = 0; hops < 15 && response.location; hops++) response = await agent.request(response.location);
  return response;
}

/** The CSRF token of a signed-in page. */
export function csrfOf(body: string): string {
  const token = /name="csrf" value="([^"]+)"/.exec(body)?.[1];
  if (!token) throw new Error(`no CSRF field on the page: ${textOf(body).slice(0, 300)}`);
  return token;
}

/** Signs in at the portal's form through ImmTrac2; returns the first page the registry shows. */
export async function signIn(s: RegistrySystem, agent: HttpAgent, username: Person): Promise<AgentResponse> {
  let response = await agent.request(`${s.appUrl}/`);
  while (response.location?.startsWith(s.appUrl)) response = await agent.request(response.location);
  if (!response.location) return response;
  const callback = await agent.signIn(response.location, username, password);
  return browse(agent, callback);
}

/** Posts a form of the registry with the page's CSRF token, following the redirect. */
export async function post(s: RegistrySystem, agent: HttpAgent, path: string, form: Record<string, string>, csrf: string): Promise<AgentResponse> {
  const response = await agent.request(`${s.appUrl}${path}`, { method: 'POST', form: { csrf, ...form } });
  return response.location ? browse(agent, new URL(response.location, s.appUrl).href) : response;
}

/** Through seed 004's journey to ImmTrac2's home, for the organization with `code` (or the only one). */
export async function enterWorkspace(s: RegistrySystem, username: Person, code?: string): Promise<{ agent: HttpAgent; csrf: string; home: AgentResponse }> {
  const agent = new HttpAgent(s.t.url);
  let page = await signIn(s, agent, username);
  if (page.url.endsWith('/statement')) page = await post(s, agent, '/statement', {}, csrfOf(page.body));
  if (page.url.endsWith('/landing')) {
    const org = code ? orgFor(page.body, code) : /name="org" value="(\d{10})"/.exec(page.body)?.[1];
    page = await post(s, agent, '/landing', { org: org! }, csrfOf(page.body));
  }
  if (page.url.endsWith('/pandemic')) page = await post(s, agent, '/pandemic', {}, csrfOf(page.body));
  if (!page.url.endsWith('/home')) throw new Error(`not at home but ${page.url}: ${textOf(page.body).slice(0, 300)}`);
  return { agent, csrf: csrfOf(page.body), home: page };
}

/** The TX IIS ID of the row naming the organization with this code on the landing screen. */
function orgFor(body: string, code: string): string | undefined {
  const row = body.split('<tr').find((r) => r.includes(`(${code})`));
  return row ? /name="org" value="(\d{10})"/.exec(row)?.[1] : undefined;
}
