import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDb, type Db } from '@portal/db';
import { migrateRpKit } from '@portal/rp-kit';
import { freshDatabase, HttpAgent, startTestPortal, textOf, type AgentResponse, type TestPortal } from '@portal/portal/testing';
import { createApp } from '../src/app.js';
import { prepareOrdering } from '../src/prepare.js';

export const password = 'Correct-Horse-9!';
export const peds = '1000000001';
export const pharm = '1000000002';

/** Coordinators of one or two organizations, a non-coordinator, and DSHS staff who coordinate at DSHS. */
export const people = {
  carmen: { name: 'Carmen Coordinator', orgs: ['PEDS01:full_access_provider:primary'] },
  ben: { name: 'Ben Backup', orgs: ['PHARM02:full_access_provider:secondary'] },
  sam: { name: 'Sam Supervisor', orgs: ['PEDS01:provider_supervisor:primary', 'PHARM02:full_access_provider:secondary'] },
  pat: { name: 'Pat Provider', orgs: ['PEDS01:full_access_provider'] },
  dana: { name: 'Dana DSHS', orgs: ['DSHS:full_access_state:primary'] },
} as const;
export type Person = keyof typeof people;

export interface OrderingSystem {
  t: TestPortal;
  appUrl: string;
  db: Db;
  app: ReturnType<typeof createApp>;
  close(): Promise<void>;
}

/** A test portal with the demo organizations and the people above, and VAOS on a fresh database. */
export async function startOrderingSystem(): Promise<OrderingSystem> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const t = await startTestPortal({ env: { BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: appUrl, ORDERING_URL: appUrl } });
  for (const [code, iisId, name] of [['PEDS01', peds, 'Hill Country Pediatrics'], ['PHARM02', pharm, 'Gulf Coast Pharmacy'], ['DSHS', '1000000000', 'DSHS Immunization Unit']] as const) {
    await t.directory.createOrg({ code, iisId, name });
  }
  for (const [username, p] of Object.entries(people)) await t.directory.createUser({ username, name: p.name, email: `${username}@example.org`, password, orgs: [...p.orgs] });
  const client = await t.directory.createClient({
    clientId: 'ordering', name: 'VAOS', app: 'ordering',
    redirectUris: [`${appUrl}/callback`], postLogoutRedirectUris: [`${appUrl}/`], backchannelLogoutUri: `${appUrl}/backchannel-logout`,
  });
  const database = await freshDatabase();
  const db = createDb(database.url);
  await migrateRpKit(db);
  await prepareOrdering(db, { demoData: false });
  const app = createApp({ issuerUrl: t.url, clientId: 'ordering', clientSecret: client.client_secret!, baseUrl: appUrl, db, log: () => {} });
  server.on('request', app);
  return {
    t, appUrl, db, app,
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
export async function browse(agent: HttpAgent, url: string): Promise<AgentResponse> {
  let response = await agent.request(url);
  for (let hops = 0; hops < 15 && response.location; hops++) response = await agent.request(response.location);
  return response;
}

export function csrfOf(body: string): string {
  const token = /name="csrf" value="([^"]+)"/.exec(body)?.[1] ?? /data-csrf="([^"]+)"/.exec(body)?.[1];
  if (!token) throw new Error(`no CSRF token on the page: ${textOf(body).slice(0, 300)}`);
  return token;
}

/** Opens VAOS, signs in at the portal's form, and returns the page VAOS shows. */
export async function signIn(s: OrderingSystem, username: Person): Promise<{ agent: HttpAgent; page: AgentResponse }> {
  const agent = new HttpAgent(s.t.url);
  let response = await agent.request(`${s.appUrl}/`);
  while (response.location?.startsWith(s.appUrl)) response = await agent.request(response.location);
  if (!response.location) return { agent, page: response };
  const callback = await agent.signIn(response.location, username, password);
  return { agent, page: await browse(agent, callback) };
}

/** Posts a VAOS form (CSRF token included), without following the redirect. */
export function post(s: OrderingSystem, agent: HttpAgent, path: string, form: Record<string, string>, csrf: string): Promise<AgentResponse> {
  return agent.request(`${s.appUrl}${path}`, { method: 'POST', form: { csrf, ...form } });
}

/** A lot put straight into an organization's inventory (as a received shipment would). */
export async function stockLot(s: OrderingSystem, org: { iis_id: string; code: string; name: string }, ndc: string, lot: string, doses: number): Promise<number> {
  await s.db('organizations').insert(org).onConflict('iis_id').merge();
  const [row] = await s.db('inventory_lots').insert({ org_iis_id: org.iis_id, ndc, lot, expires_on: '2099-12-31', on_hand: doses }).returning('id');
  return Number(typeof row === 'object' ? (row as { id: number }).id : row);
}

export const pedsOrg = { iis_id: peds, code: 'PEDS01', name: 'Hill Country Pediatrics' };
export const pharmOrg = { iis_id: pharm, code: 'PHARM02', name: 'Gulf Coast Pharmacy' };

export async function onHand(s: OrderingSystem, lotId: number): Promise<number> {
  return Number((await s.db('inventory_lots').where({ id: lotId }).first('on_hand')).on_hand);
}
