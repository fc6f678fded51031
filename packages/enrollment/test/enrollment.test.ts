import { textOf } from '@portal/portal/testing';
import { post, signIn, startEnrollmentSystem, type EnrollmentSystem } from './enrollment-fixture.js';

/**
 * Syntropi end to end (issue #12, seed 003): register → state review (email over real SMTP) →
 * Bidirectional Exchange ROI → widget activation → waiting queue → go-live → production
 * credentials downloaded once → rotation. Credentials come from the stand-in for the portal's
 * admin API (credentials-contract-server.ts) until the portal side lands.
 */
let s: EnrollmentSystem;
beforeAll(async () => {
  s = await startEnrollmentSystem();
});
afterAll(async () => {
  await s?.close();
});

const site = {
  siteName: 'Hill Country Pediatrics – Main', line1: '100 Congress Ave', line2: 'Suite 200', city: 'Austin', state: 'TX', zip: '78701', phone: '(512) 555-0100',
  rmpName: 'Dana Doctor', rmpLicense: 'M1234', rmpNpi: '1234567890', // last digit wrong: 1234567893 is the valid one
  prescriber1Name: 'Dana Doctor', prescriber1License: 'M1234', prescriber1Npi: '1234567893',
  prescriber2Name: 'Riley Resident', prescriber2License: 'M9876', prescriber2Npi: '9876543213',
};
const roi = { ehrVendor: 'Epic Systems', ehrProduct: 'Epic Ambulatory', ehrVersion: '2024', interfaceEngine: 'Rhapsody', contactName: 'Ira Interface', contactEmail: 'ira@example.org', contactPhone: '512-555-0199', consentMode: 'hl7_submission', testReady: 'yes' };
const iis = '1000000001';

/** Every row Syntropi keeps (sessions aside), to show a refusal changed nothing and no secret is stored. */
async function snapshot(): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const table of ['enrollments', 'enrollment_events', 'exchanges', 'enrollment_audit']) out[table] = await s.db(table).select('*').orderBy('id');
  return JSON.stringify(out);
}

test('register → draft → a bad NPI refused → fixed → approved with a comment → mail → ROI → activation → waiting queue → go-live → credentials → rotation', async () => {
  const pat = await signIn(s, 'pat');
  const home = textOf(pat.home.body);
  expect(home).toContain('Welcome, Pat Provider');
  // Seed 004: the link to the Enterprise Portal on the right side of the Syntropi screen.
  expect(pat.home.body).toMatch(new RegExp(`<aside class="syntropi-side"[^>]*>\\s*<a class="usa-button portal-side-link" href="${s.t.url}/">Enterprise Portal</a>`));
  const css = await pat.agent.request(`${s.appUrl}/static/enrollment/enrollment.css`);
  expect(css.body).toMatch(/\.syntropi-side \{[^}]*margin-left: auto/);

  // Start a registration for Pat's own organization; save a partial draft and come back to it.
  let page = await post(s, pat.agent, '/enrollments', { organization: iis, programme: 'tvfc', kind: 'registration' }, pat.csrf);
  expect(page.url).toMatch(/\/enrollments\/\d+\/edit$/);
  const id = /\/enrollments\/(\d+)\/edit/.exec(page.url)![1]!;
  page = await post(s, pat.agent, `/enrollments/${id}`, { action: 'save', siteName: site.siteName, city: 'Austin' }, pat.csrf);
  expect(textOf(page.body)).toContain('Draft saved');
  page = await pat.agent.request(`${s.appUrl}/enrollments/${id}/edit`);
  expect(page.body).toContain(`value="${site.siteName}"`);
  expect(page.body).toContain('value="Austin"');
  expect(textOf((await pat.agent.request(`${s.appUrl}/`)).body)).toMatch(/Texas Vaccines for Children Registration Draft/);

  // Submit with a wrong NPI check digit: refused, field by field, still a draft.
  page = await post(s, pat.agent, `/enrollments/${id}`, { action: 'submit', ...site }, pat.csrf);
  expect(page.status).toBe(400);
  expect(textOf(page.body)).toContain('The NPI of the responsible medical provider is not a valid NPI: its last digit does not match');
  expect(page.body).toContain('id="rmpNpi" name="rmpNpi" type="text" value="1234567890"');
  expect(page.body).toContain('aria-describedby="rmpNpi-error');
  expect((await s.db('enrollments').where({ id }).first()).status).toBe('draft');
  // A short TX IIS ID, ZIP or phone would be refused the same way.
  page = await post(s, pat.agent, `/enrollments/${id}`, { action: 'submit', ...site, rmpNpi: '1234567893', zip: '787', phone: '555' }, pat.csrf);
  expect(textOf(page.body)).toContain('Enter a 5-digit ZIP code');
  expect(textOf(page.body)).toContain('Enter the site phone number as a 10-digit US number');

  page = await post(s, pat.agent, `/enrollments/${id}`, { action: 'submit', ...site, rmpNpi: '1234567893' }, pat.csrf);
  expect(page.url).toBe(`${s.appUrl}/enrollments/${id}?submitted=1`);
  expect(textOf(page.body)).toContain('Status: Submitted for review');
  expect(textOf(page.body)).toContain('Riley Resident · license M9876 · NPI 9876543213');

  // Pat is no reviewer: the decision is refused and nothing changes.
  let before = await snapshot();
  const refused = await pat.agent.request(`${s.appUrl}/enrollments/${id}/decision`, { form: { csrf: pat.csrf, decision: 'approve', comment: '' } });
  expect(refused.status).toBe(403);
  expect(textOf(refused.body)).toContain('Full Access State');
  expect(await snapshot()).toBe(before);

  // Steve (Full Access State) sees it in the queue and approves it with a comment.
  const steve = await signIn(s, 'steve');
  const queue = await steve.agent.request(`${s.appUrl}/review`);
  expect(textOf(queue.body)).toContain(site.siteName);
  const noComment = await post(s, steve.agent, `/enrollments/${id}/decision`, { decision: 'reject', comment: '' }, steve.csrf);
  expect(noComment.status).toBe(400);
  expect(textOf(noComment.body)).toContain('Say why the enrollment is rejected');
  page = await post(s, steve.agent, `/enrollments/${id}/decision`, { decision: 'approve', comment: 'Welcome to TVFC, all documents in order.' }, steve.csrf);
  expect(textOf(page.body)).toContain('Status: Approved');
  // No double approval: the second one is refused and records nothing.
  before = await snapshot();
  const again = await steve.agent.request(`${s.appUrl}/enrollments/${id}/decision`, { form: { csrf: steve.csrf, decision: 'approve', comment: 'again' } });
  expect(again.status).toBe(409);
  expect(textOf(again.body)).toContain('someone has already approved or rejected it');
  expect(await snapshot()).toBe(before);

  // The applicant's email, over real SMTP; the status and history on Pat's page.
  const mail = await s.smtp.waitFor((m) => m.to.includes('pat@example.org') && /approved/.test(m.subject));
  expect(mail.from).toBe('IdentityManagement@hsc.state.tx.us');
  expect(mail.subject).toBe(`Syntropi: enrollment approved for ${site.siteName}`);
  expect(mail.text).toContain('Welcome to TVFC, all documents in order.');
  expect(mail.text).toContain(`${s.appUrl}/enrollments/${id}`);
  const status = textOf((await pat.agent.request(`${s.appUrl}/enrollments/${id}`)).body);
  expect(status).toContain('Status: Approved');
  expect(status).toMatch(/Pat Provider Draft → Submitted for review/);
  expect(status).toMatch(/Steve State Submitted for review → Approved Welcome to TVFC, all documents in order\./);

  // Bidirectional Exchange ROI: the consent mode must be "HL7 Submission".
  page = await post(s, pat.agent, `/sites/${iis}/roi`, { ...roi, consentMode: '' }, pat.csrf);
  expect(page.status).toBe(400);
  expect(textOf(page.body)).toContain('Select the consent mode "HL7 Submission".');
  page = await post(s, pat.agent, `/sites/${iis}/roi`, roi, pat.csrf);
  expect(textOf(page.body)).toContain('Status: ROI submitted');

  // No skipping: the site cannot queue before activation, nor activate or approve itself.
  before = await snapshot();
  expect((await pat.agent.request(`${s.appUrl}/sites/${iis}/waiting-queue`, { form: { csrf: pat.csrf } })).status).toBe(409);
  expect((await pat.agent.request(`${s.appUrl}/sites/${iis}/activate`, { form: { csrf: pat.csrf } })).status).toBe(403);
  expect((await pat.agent.request(`${s.appUrl}/sites/${iis}/go-live`, { form: { csrf: pat.csrf } })).status).toBe(403);
  expect((await steve.agent.request(`${s.appUrl}/sites/${iis}/go-live`, { form: { csrf: steve.csrf } })).status).toBe(409);
  expect((await pat.agent.request(`${s.appUrl}/sites/${iis}/credentials`, { form: { csrf: pat.csrf } })).status).toBe(409);
  expect(await snapshot()).toBe(before);

  page = await post(s, steve.agent, `/sites/${iis}/activate`, {}, steve.csrf);
  expect(textOf(page.body)).toContain('Status: Bidirectional widget activated');
  expect((await steve.agent.request(`${s.appUrl}/sites/${iis}/activate`, { form: { csrf: steve.csrf } })).status).toBe(409);

  page = await post(s, pat.agent, `/sites/${iis}/waiting-queue`, {}, pat.csrf);
  expect(textOf(page.body)).toContain('Status: In the TX-ImmTrac2 waiting queue');
  expect(textOf(page.body)).toContain('Position in the TX-ImmTrac2 waiting queue: 1');
  expect(textOf((await steve.agent.request(`${s.appUrl}/review`)).body)).toContain(`TX IIS ID ${iis}`);

  page = await post(s, steve.agent, `/sites/${iis}/go-live`, {}, steve.csrf);
  expect(textOf(page.body)).toContain('Status: Approved to go live');
  expect((await steve.agent.request(`${s.appUrl}/sites/${iis}/go-live`, { form: { csrf: steve.csrf } })).status).toBe(409);
  const liveMail = await s.smtp.waitFor((m) => m.to.includes('pat@example.org') && /go live/.test(m.subject));
  expect(liveMail.text).toContain(`${s.appUrl}/sites/${iis}`);

  // Connectivity and Transport: "Click to download" — the secret in this one answer only.
  page = await pat.agent.request(`${s.appUrl}/sites/${iis}`);
  expect(textOf(page.body)).toContain('Click to download');
  const download = await pat.agent.request(`${s.appUrl}/sites/${iis}/credentials`, { form: { csrf: pat.csrf } });
  expect(download.status).toBe(200);
  expect(download.headers.get('content-disposition')).toBe(`attachment; filename="txiis-${iis}-hl7-credentials.json"`);
  expect(download.headers.get('cache-control')).toBe('no-store');
  const file = JSON.parse(download.body) as Record<string, string>;
  expect(file).toMatchObject({ iisId: iis, scope: 'hl7:submit', tokenEndpoint: `${s.contract.url}/token`, resource: `${s.contract.url}/hl7` });
  expect(file.howToGetAToken).toContain('grant_type=client_credentials');
  expect(s.contract.accepts(file.clientId!, file.clientSecret!)).toBe(true);
  expect(s.contract.clients.get(file.clientId!)!.name).toBe(`${site.siteName} HL7`);
  // Syntropi authenticated as its own client, for the admin API only.
  expect(s.contract.tokenRequests.at(-1)).toEqual({ clientId: 'enrollment', grantType: 'client_credentials', scope: 'enrollment:credentials', resource: `${s.contract.url}/api/admin/v1` });
  // Stored: the client id only, never the secret.
  const stored = await snapshot();
  expect(stored).toContain(file.clientId);
  expect(stored).not.toContain(file.clientSecret);
  page = await pat.agent.request(`${s.appUrl}/sites/${iis}`);
  expect(textOf(page.body)).toContain(`client id ${file.clientId}`);
  expect(page.body).not.toContain(file.clientSecret);
  // Shown once: a second download is refused (rotate instead), and the portal made no second client.
  expect((await pat.agent.request(`${s.appUrl}/sites/${iis}/credentials`, { form: { csrf: pat.csrf } })).status).toBe(409);
  expect(s.contract.clients.size).toBe(1);

  // Rotation from the same page: a new secret once; both work until the old one expires.
  const rotated = await pat.agent.request(`${s.appUrl}/sites/${iis}/credentials/rotate`, { form: { csrf: pat.csrf } });
  expect(rotated.status).toBe(200);
  const next = JSON.parse(rotated.body) as Record<string, string>;
  expect(next.clientId).toBe(file.clientId);
  expect(next.clientSecret).not.toBe(file.clientSecret);
  expect(next.tokenEndpoint).toBe(`${s.contract.url}/token`);
  const expires = Date.parse(next.previousSecretExpiresAt!);
  expect(s.contract.accepts(file.clientId!, next.clientSecret!)).toBe(true);
  expect(s.contract.accepts(file.clientId!, file.clientSecret!)).toBe(true);
  expect(s.contract.accepts(file.clientId!, file.clientSecret!, expires + 1)).toBe(false);
  expect(s.contract.accepts(file.clientId!, next.clientSecret!, expires + 1)).toBe(true);
  expect(await snapshot()).not.toContain(next.clientSecret);

  // The audit trail: ids and actions, never the form's contents.
  const actions = (await s.db('enrollment_audit').orderBy('id').select('action')).map((r: { action: string }) => r.action);
  expect(actions).toEqual(['enrollment.registration.start', 'enrollment.draft.save', 'enrollment.submit', 'enrollment.approve', 'exchange.roi_submitted', 'exchange.widget_active', 'exchange.waiting', 'exchange.live', 'credentials.issue', 'credentials.rotate']);
  expect(JSON.stringify(await s.db('enrollment_audit').select('*'))).not.toContain('Dana Doctor');
});

test('a renewal starts from the last approved enrollment', async () => {
  const pat = await signIn(s, 'pat');
  const page = await post(s, pat.agent, '/enrollments', { organization: iis, programme: 'tvfc', kind: 'renewal' }, pat.csrf);
  expect(page.url).toMatch(/\/enrollments\/\d+\/edit$/);
  expect(textOf(page.body)).toContain('Renewal: Texas Vaccines for Children');
  expect(page.body).toContain(`value="${site.siteName}"`);
  expect(page.body).toContain('value="1234567893"');
  // No approved Adult Safety Net enrollment: nothing to renew.
  const none = await pat.agent.request(`${s.appUrl}/enrollments`, { form: { csrf: pat.csrf, organization: iis, programme: 'asn', kind: 'renewal' } });
  expect(none.status).toBe(409);
  expect(textOf(none.body)).toContain('Register the site instead');
});

test('an applicant cannot act for an organization not in their claims (403, nothing changed)', async () => {
  const val = await signIn(s, 'val');
  const before = await snapshot();
  const start = await val.agent.request(`${s.appUrl}/enrollments`, { form: { csrf: val.csrf, organization: iis, programme: 'covid19', kind: 'registration' } });
  expect(start.status).toBe(403);
  expect(textOf(start.body)).toContain('only enroll and manage sites of the organizations on your Enterprise Portal account');
  // Pat's enrollment is neither shown nor changeable, and Pat's site's pages are closed.
  const patsId = String((await s.db('enrollments').where({ organization_iis_id: iis }).orderBy('id').first('id')).id);
  expect((await val.agent.request(`${s.appUrl}/enrollments/${patsId}`)).status).toBe(404);
  expect((await val.agent.request(`${s.appUrl}/enrollments/${patsId}`, { form: { csrf: val.csrf, action: 'save', siteName: 'Mallory' } })).status).toBe(404);
  expect((await val.agent.request(`${s.appUrl}/sites/${iis}`)).status).toBe(403);
  for (const path of ['roi', 'waiting-queue', 'credentials', 'credentials/rotate']) {
    expect([path, (await val.agent.request(`${s.appUrl}/sites/${iis}/${path}`, { form: { csrf: val.csrf, ...roi } })).status]).toEqual([path, 403]);
  }
  // A TX IIS ID that is not 10 digits is refused at the edge.
  const short = await val.agent.request(`${s.appUrl}/enrollments`, { form: { csrf: val.csrf, organization: '1000003', programme: 'covid19', kind: 'registration' } });
  expect(short.status).toBe(400);
  expect(textOf(short.body)).toContain('A TX IIS ID has exactly 10 digits');
  expect(await snapshot()).toBe(before);
});

test('every POST needs the session\u2019s CSRF token', async () => {
  const pat = await signIn(s, 'pat');
  const before = await snapshot();
  const res = await pat.agent.request(`${s.appUrl}/enrollments`, { form: { csrf: 'forged', organization: iis, programme: 'covid19', kind: 'registration' } });
  expect(res.status).toBe(403);
  expect(await snapshot()).toBe(before);
});

test('a non-state user cannot see the review queue or decide', async () => {
  const sam = await signIn(s, 'sam');
  expect((await sam.agent.request(`${s.appUrl}/review`)).status).toBe(403);
  expect(textOf(sam.home.body)).not.toContain('State review');
});
