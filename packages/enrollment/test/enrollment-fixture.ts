import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDb, type Db } from '@portal/db';
import { migrateRpKit } from '@portal/rp-kit';
import { freshDatabase, HttpAgent, startSmtpReceiver, startTestPortal, textOf, type AgentResponse, type MailCatcher, type TestPortal } from '@portal/portal/testing';
import { createApp } from '../src/app.js';
import { createMailer } from '../src/libraries/mailer.js';
import { createPortalCredentials } from '../src/libraries/portal-credentials.js';
import { prepareEnrollment } from '../src/prepare.js';
import { startCredentialsContractServer, type ContractServer } from './credentials-contract-server.js';

export const password = 'Correct-Horse-9!';

export const people = {
  pat: { name: 'Pat Provider', orgs: ['PEDS01:full_access_provider'] },
  sam: { name: 'Sam Supervisor', orgs: ['PEDS01:provider_supervisor', 'PHARM02:full_access_provider'] },
  val: { name: 'Valerie Viewonly', orgs: ['SCHOOL03:view_only'] },
  steve: { name: 'Steve State', orgs: ['DSHS:full_access_state'] },
} as const;
export type Person = keyof typeof people;

export interface EnrollmentSystem {
  t: TestPortal;
  appUrl: string;
  db: Db;
  /** Syntropi's mail, received over real SMTP. */
  smtp: MailCatcher;
  /** The stand-in for the portal's HL7 credentials API (see its file). */
  contract: ContractServer;
  close(): Promise<void>;
}

/** A test portal with the demo organizations, Syntropi on a fresh database and a free port, its own SMTP receiver. */
export async function startEnrollmentSystem(): Promise<EnrollmentSystem> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const t = await startTestPortal({ env: { BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: appUrl } });
  for (const [code, iisId, name] of [['PEDS01', '1000000001', 'Hill Country Pediatrics'], ['PHARM02', '1000000002', 'Gulf Coast Pharmacy'], ['SCHOOL03', '1000000003', 'Central Texas ISD'], ['DSHS', '1000000000', 'DSHS Immunization Unit']] as const) {
    await t.directory.createOrg({ code, iisId, name });
  }
  for (const [username, p] of Object.entries(people)) await t.directory.createUser({ username, name: p.name, email: `${username}@example.org`, password, orgs: [...p.orgs] });
  const client = await t.directory.createClient({ clientId: 'enrollment', name: 'Syntropi', app: 'enrollment', redirectUris: [`${appUrl}/callback`], postLogoutRedirectUris: [`${appUrl}/`], backchannelLogoutUri: `${appUrl}/backchannel-logout` });
  const smtp = await startSmtpReceiver();
  const contract = await startCredentialsContractServer({ clientId: 'enrollment', clientSecret: client.client_secret! });
  const database = await freshDatabase();
  const db = createDb(database.url);
  await migrateRpKit(db);
  await prepareEnrollment(db, { demoData: false });
  const log = () => {};
  const mailer = createMailer({ smtpUrl: smtp.smtpUrl, from: 'IdentityManagement@hsc.state.tx.us', log });
  const app = createApp({
    issuerUrl: t.url, clientId: 'enrollment', clientSecret: client.client_secret!, baseUrl: appUrl, db, log, mailer,
    credentials: createPortalCredentials({ portalUrl: contract.url, clientId: 'enrollment', clientSecret: client.client_secret! }),
  });
  server.on('request', app);
  return {
    t, appUrl, db, smtp, contract,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      mailer.close();
      await contract.close();
      await smtp.close();
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
  const token = /name="csrf" value="([^"]+)"/.exec(body)?.[1];
  if (!token) throw new Error(`no CSRF field on the page: ${textOf(body).slice(0, 300)}`);
  return token;
}

/** Signs in at the portal's form through Syntropi; returns the agent, Syntropi's home and its CSRF token. */
export async function signIn(s: EnrollmentSystem, username: Person): Promise<{ agent: HttpAgent; home: AgentResponse; csrf: string }> {
  const agent = new HttpAgent(s.t.url);
  let response = await agent.request(`${s.appUrl}/`);
  while (response.location?.startsWith(s.appUrl)) response = await agent.request(response.location);
  const callback = await agent.signIn(response.location!, username, password);
  const home = await browse(agent, callback);
  if (home.url !== `${s.appUrl}/`) throw new Error(`not at Syntropi's home but ${home.url}: ${textOf(home.body).slice(0, 300)}`);
  return { agent, home, csrf: csrfOf(home.body) };
}

/** Posts a Syntropi form with the CSRF token; follows a redirect back into Syntropi. */
export async function post(s: EnrollmentSystem, agent: HttpAgent, path: string, form: Record<string, string>, csrf: string): Promise<AgentResponse> {
  const response = await agent.request(`${s.appUrl}${path}`, { method: 'POST', form: { csrf, ...form } });
  return response.location ? browse(agent, response.location) : response;
}
