import { readFileSync } from 'node:fs';
import { migrateRpKit } from '@portal/rp-kit';
import { createAppHosts, HttpAgent, startSmtpReceiver, startTestPortal, textOf, type MailCatcher, type TestPortal } from '@portal/portal/testing';
import { createApp as createRegistry, prepareRegistry } from '@portal/registry';
import { createApp as createEnrollment } from '../src/app.js';
import { createMailer } from '../src/libraries/mailer.js';
import { prepareEnrollment } from '../src/prepare.js';
import { browse, csrfOf, password } from './enrollment-fixture.js';

/**
 * Issue #12 end to end, nothing stood in: Syntropi takes a site from registration to go-live, the
 * real portal issues its HL7 credentials, those credentials get a token, and a VXU sent with it is
 * on the client's record in ImmTrac2. After a rotation both secrets work until the old one expires.
 */
const iis = '1000000001';
const sample = new URL('../../../../shared/testdata/iis/samples/nist-iz-001-admin-child.hl7', import.meta.url);

let t: TestPortal;
let smtp: MailCatcher;
let enrollmentUrl: string;
let registryUrl: string;
let offset = 0;
const clock = { now: () => Date.now() + offset };

const hosts = createAppHosts({ prepare: migrateRpKit });
const listen = () => hosts.listen();
const appDb = () => hosts.database();

beforeAll(async () => {
  const e = await listen();
  const r = await listen();
  enrollmentUrl = e.url;
  registryUrl = r.url;
  t = await startTestPortal({ clock, env: { REGISTRY_URL: registryUrl, HL7_RESOURCE: `${registryUrl}/hl7/v2`, BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: `${enrollmentUrl},${registryUrl}` } });
  await t.directory.createOrg({ code: 'PEDS01', iisId: iis, name: 'Hill Country Pediatrics' });
  await t.directory.createOrg({ code: 'DSHS', iisId: '1000000000', name: 'DSHS Immunization Unit' });
  await t.directory.createUser({ username: 'pat', name: 'Pat Provider', email: 'pat@example.org', password, orgs: ['PEDS01:full_access_provider'] });
  await t.directory.createUser({ username: 'steve', name: 'Steve State', email: 'steve@example.org', password, orgs: ['DSHS:full_access_state'] });
  // As the demo data registers them: Syntropi signs people in and, as itself, manages HL7 credentials.
  const syntropi = await t.directory.createClient({
    clientId: 'enrollment', name: 'Syntropi', app: 'enrollment', grants: ['authorization_code', 'client_credentials'], scopes: ['enrollment:credentials'],
    redirectUris: [`${enrollmentUrl}/callback`], postLogoutRedirectUris: [`${enrollmentUrl}/`],
  });
  const immtrac = await t.directory.createClient({
    clientId: 'registry', name: 'ImmTrac2', app: 'registry', scopes: ['org:members'], redirectUris: [`${registryUrl}/callback`], postLogoutRedirectUris: [`${registryUrl}/`],
  });
  smtp = await startSmtpReceiver();
  const enrollmentDb = await appDb();
  await prepareEnrollment(enrollmentDb, { demoData: false });
  const mailer = createMailer({ smtpUrl: smtp.smtpUrl, from: 'IdentityManagement@hsc.state.tx.us', log: () => {} });
  e.server.on('request', createEnrollment({ issuerUrl: t.url, clientId: 'enrollment', clientSecret: syntropi.client_secret!, baseUrl: enrollmentUrl, db: enrollmentDb, log: () => {}, mailer }));
  const registryDb = await appDb();
  await prepareRegistry(registryDb, { demoData: false });
  r.server.on('request', createRegistry({ issuerUrl: t.url, clientId: 'registry', clientSecret: immtrac.client_secret!, baseUrl: registryUrl, db: registryDb, log: () => {} }));
}, 60_000);

afterAll(async () => {
  await hosts.closeServers();
  await smtp?.close();
  await t?.close();
  await hosts.dropDatabases();
});

async function openApp(agent: HttpAgent, appUrl: string, username: string) {
  let response = await agent.request(`${appUrl}/`);
  while (response.location?.startsWith(appUrl)) response = await agent.request(response.location);
  if (!response.location) return response;
  return browse(agent, await agent.signIn(response.location, username, password));
}

async function post(agent: HttpAgent, url: string, form: Record<string, string>, csrf: string) {
  const response = await agent.request(url, { method: 'POST', form: { csrf, ...form } });
  return response.location ? browse(agent, response.location) : response;
}

async function hl7Token(clientId: string, secret: string): Promise<{ status: number; token?: string }> {
  const res = await fetch(`${t.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'hl7:submit', resource: `${registryUrl}/hl7/v2` }),
  });
  const body = (await res.json()) as { access_token?: string };
  return { status: res.status, token: body.access_token };
}

test('registration → approval → ROI → activation → queue → go-live → credentials → a VXU with their token is on the record → rotation', async () => {
  const pat = new HttpAgent(t.url);
  const home = await openApp(pat, enrollmentUrl, 'pat');
  const patCsrf = csrfOf(home.body);
  let page = await post(pat, `${enrollmentUrl}/enrollments`, { organization: iis, programme: 'tvfc', kind: 'registration' }, patCsrf);
  const id = /\/enrollments\/(\d+)\/edit/.exec(page.url)![1]!;
  page = await post(pat, `${enrollmentUrl}/enrollments/${id}`, {
    action: 'submit', siteName: 'Hill Country Pediatrics – Main', line1: '100 Congress Ave', line2: '', city: 'Austin', state: 'TX', zip: '78701', phone: '(512) 555-0100',
    rmpName: 'Dana Doctor', rmpLicense: 'M1234', rmpNpi: '1234567893', prescriber1Name: 'Dana Doctor', prescriber1License: 'M1234', prescriber1Npi: '1234567893',
  }, patCsrf);
  expect(textOf(page.body)).toContain('Status: Submitted for review');

  const steve = new HttpAgent(t.url);
  const steveCsrf = csrfOf((await openApp(steve, enrollmentUrl, 'steve')).body);
  page = await post(steve, `${enrollmentUrl}/enrollments/${id}/decision`, { decision: 'approve', comment: 'Approved for TVFC.' }, steveCsrf);
  expect(textOf(page.body)).toContain('Status: Approved');
  const mail = await smtp.waitFor((m) => m.to.includes('pat@example.org') && /approved/.test(m.subject));
  expect(mail.text).toContain('Approved for TVFC.');

  await post(pat, `${enrollmentUrl}/sites/${iis}/roi`, { ehrVendor: 'Epic Systems', ehrProduct: 'Epic Ambulatory', ehrVersion: '2024', interfaceEngine: 'Rhapsody', contactName: 'Ira Interface', contactEmail: 'ira@example.org', contactPhone: '512-555-0199', consentMode: 'hl7_submission', testReady: 'yes' }, patCsrf);
  await post(steve, `${enrollmentUrl}/sites/${iis}/activate`, {}, steveCsrf);
  await post(pat, `${enrollmentUrl}/sites/${iis}/waiting-queue`, {}, patCsrf);
  page = await post(steve, `${enrollmentUrl}/sites/${iis}/go-live`, {}, steveCsrf);
  expect(textOf(page.body)).toContain('Status: Approved to go live');

  // "Click to download": the production credentials, issued by the real portal for this organization.
  const download = await pat.request(`${enrollmentUrl}/sites/${iis}/credentials`, { form: { csrf: patCsrf } });
  expect(download.status).toBe(200);
  const file = JSON.parse(download.body) as { clientId: string; clientSecret: string; tokenEndpoint: string; resource: string; scope: string };
  expect(file).toMatchObject({ scope: 'hl7:submit', tokenEndpoint: `${t.url}/token`, resource: `${registryUrl}/hl7/v2` });

  // Their token submits a VXU; the registry answers AA and the dose is on the client's record.
  const { token } = await hl7Token(file.clientId, file.clientSecret);
  expect(token).toBeDefined();
  const ack = await fetch(`${registryUrl}/hl7/v2/vxu`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'x-application/hl7-v2+er7' }, body: readFileSync(sample) });
  const ackText = await ack.text();
  expect(ack.status).toBe(200);
  expect(ackText).toMatch(/MSA\|AA\|NIST-IZ-001\.00/);

  const immtrac = new HttpAgent(t.url);
  let registryPage = await openApp(immtrac, registryUrl, 'pat');
  registryPage = await post(immtrac, `${registryUrl}/statement`, {}, csrfOf(registryPage.body));
  registryPage = await post(immtrac, `${registryUrl}/landing`, { org: iis }, csrfOf(registryPage.body));
  registryPage = await post(immtrac, `${registryUrl}/pandemic`, {}, csrfOf(registryPage.body));
  const found = await post(immtrac, `${registryUrl}/clients/search`, { mode: 'quick', lastName: 'Snow', firstName: 'Madelynn', birthDate: '07/06/2007' }, csrfOf(registryPage.body));
  const record = textOf(found.body);
  expect(record).toContain('Snow, Madelynn Ainsley');
  expect(record).toContain('Z0860BB');
  expect(record).toContain('Hill Country Pediatrics'); // the organization of the token, recorded as the submitter

  // Rotation from the same page: both secrets get tokens until the old one expires, then only the new.
  const rotated = await pat.request(`${enrollmentUrl}/sites/${iis}/credentials/rotate`, { form: { csrf: patCsrf } });
  const next = JSON.parse(rotated.body) as { clientSecret: string; previousSecretExpiresAt: string };
  expect((await hl7Token(file.clientId, next.clientSecret)).status).toBe(200);
  expect((await hl7Token(file.clientId, file.clientSecret)).status).toBe(200);
  offset = Date.parse(next.previousSecretExpiresAt) - Date.now() + 60_000;
  expect(offset).toBeGreaterThan(60_000);
  expect((await hl7Token(file.clientId, file.clientSecret)).status).toBe(401);
  expect((await hl7Token(file.clientId, next.clientSecret)).status).toBe(200);
}, 90_000);
