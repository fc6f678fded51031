import * as oidc from 'openid-client';
import { startPortalWithApp, type PortalWithApp } from '../src/testing/app-fixture.js';
import { HttpAgent, parseForm, textOf, type TestPortal, type AgentResponse } from '../src/testing/index.js';
import { createTestClock } from '../src/libraries/clock.js';

/**
 * The Administration pages (SPEC §3.10, issue #8 item 2) as an administrator, the people they
 * manage and the relying parties see them, over real HTTP with real SMTP and openid-client:
 * organizations and users created in the pages sign in, disabling ends sessions everywhere, a
 * rotated secret overlaps for the chosen time, a new AUA is asked for — and nobody but an
 * administrator gets in, an administrator never changes their own role, and bad input changes nothing.
 */
const password = 'Correct-Horse-9!';
const appUrl = 'http://127.0.0.1:3992';
const hour = 3600_000;
const clock = createTestClock();

let fixture: PortalWithApp;
let t: TestPortal;
let receiver: PortalWithApp['receiver'];
let app: oidc.Configuration;
let admin: HttpAgent;
const reason = { reason_code: 'access_change', reason: 'Requested by the organization supervisor', ticket: 'INC-2001' };

beforeAll(async () => {
  fixture = await startPortalWithApp({ clock, appUrl });
  ({ t, receiver, app } = fixture);
  await t.directory.createOrg({ code: 'GCP02', iisId: '1000000002', name: 'Gulf Coast Pharmacy' });
  await t.directory.createUser({ username: 'admin1', name: 'Ada Admin', email: 'admin1@example.org', password, role: 'admin' });
  await t.directory.createUser({ username: 'desk1', name: 'Dana Desk', email: 'desk1@example.org', password, role: 'helpdesk' });
  admin = await portalSignIn('admin1');
});

afterAll(() => fixture?.close());

const portalSignIn = (username: string, pw = password) => new HttpAgent(t.url).signInToPortal(username, pw);

let n = 0;
async function person(orgs: string[] = ['GCP02:full_access_provider']) {
  const username = `person${++n}`;
  const email = `${username}@example.org`;
  await t.directory.createUser({ username, email, password, name: `Pat Person ${n}`, orgs });
  await new HttpAgent(t.url).signIn(authUrl(), username, password); // AUA, questions, a session
  return { username, email, user: (await t.portal.services.users.findByUsername(username))! };
}

const authUrl = (scope = 'openid') =>
  oidc.buildAuthorizationUrl(app, { redirect_uri: `${appUrl}/callback`, scope, code_challenge: 'f'.repeat(43), code_challenge_method: 'S256' }).href;

/** Opens a form page, fills it in as a person would (`fields` over its hidden and pre-filled inputs), submits it, follows the redirect. */
async function submit(agent: HttpAgent, path: string, fields: Record<string, string>): Promise<AgentResponse> {
  const page = await agent.request(`${t.url}${path}`);
  expect(page.status).toBe(200);
  const form = parseForm(page.body, page.url);
  return (await agent.follow(form.action, { form: { ...form.fields, ...fields } })).response;
}

/** A valid CSRF token of this agent's session, from any of its form pages. */
async function csrfOf(agent: HttpAgent): Promise<string> {
  const page = await agent.request(`${t.url}/admin/organizations/new`);
  return parseForm(page.body, page.url).fields.csrf!;
}

const shownSecret = (body: string) => /<p class="temporary-password"><code>([^<]+)<\/code>/.exec(body)![1]!;
const auditRows = (action: string) => t.db('audit_events').where({ action }).orderBy('id');
const userById = async (id: string) => (await t.portal.services.users.findById(id))!;

async function tokenWith(clientId: string, secret: string) {
  const res = await fetch(`${t.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return { status: res.status, body: (await res.json()) as { access_token?: string; error?: string } };
}

test('the index leads to users, organizations, applications, the AUA and the Help Desk', async () => {
  const index = await admin.request(`${t.url}/admin`);
  expect(index.status).toBe(200);
  for (const href of ['/admin/users', '/admin/organizations', '/admin/applications', '/admin/aua', '/helpdesk']) expect(index.body).toContain(`href="${href}"`);
  expect(textOf((await admin.request(`${t.url}/`)).body)).toContain('Administration');
});

test('an organization with IIS ID 0000012345 and a user in it: the user signs in with the temporary password, must change it, and the app sees the zeros', async () => {
  const created = await submit(admin, '/admin/organizations/new', { code: 'HCP01', iis_id: '0000012345', name: 'Hill Country Pediatrics', type: 'clinic', ...reason });
  expect(textOf(created.body)).toMatch(/Created\. .*Org code HCP01 TX IIS ID 0000012345 Name Hill Country Pediatrics Type Clinic/);
  expect(textOf((await admin.request(`${t.url}/admin/organizations?prefix=hc`)).body)).toContain('HCP01 0000012345 Hill Country Pediatrics Clinic');
  expect(textOf((await admin.request(`${t.url}/admin/organizations?prefix=zz`)).body)).toContain('No organization has a code starting with that');

  const shown = await submit(admin, '/admin/users/new', {
    username: '00012345678',
    email: 'riley@example.org',
    name: 'Riley Nurse',
    phone: '512-555-0199',
    member_org: 'HCP01',
    member_role: 'full_access_provider',
    member_coordinator: 'primary',
    ...reason,
  });
  expect(shown.status).toBe(200);
  expect(shown.headers.get('cache-control')).toBe('no-store');
  expect(textOf(shown.body)).toContain('It is shown only now');
  const temporary = shownSecret(shown.body);
  const riley = (await t.portal.services.users.findByUsername('00012345678'))!;
  const page = await admin.request(`${t.url}/admin/users/${riley.id}`);
  expect(textOf(page.body)).toContain('Hill Country Pediatrics HCP01 0000012345 Full Access Provider Primary Vaccine Coordinator');
  expect(textOf(page.body)).toContain('Password Temporary — must be changed at next sign-in');
  expect(page.body).not.toContain(temporary);
  expect(page.body).not.toContain('$argon2');

  // The person signs in: a new password first, then the first sign-in's steps, then the app.
  const person = new HttpAgent(t.url);
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(app, { redirect_uri: `${appUrl}/callback`, scope: 'openid orgs', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  const step = await person.submitSignIn((await person.follow(url.href)).response, '00012345678', temporary);
  expect(textOf(step.response.body)).toContain('You signed in with a temporary password.');
  const form = parseForm(step.response.body, step.response.url);
  const after = await person.completeSteps(await person.follow(form.action, { form: { ...form.fields, new_password: 'Blue-Heron-Lake-42!', confirm_password: 'Blue-Heron-Lake-42!' } }));
  expect(after.leftPortalTo).toMatch(/callback\?code=/);
  const tokens = await oidc.authorizationCodeGrant(app, new URL(after.leftPortalTo!), { pkceCodeVerifier: verifier });
  const orgs = tokens.claims()!.orgs as { code: string; iis_id: string; role: string; coordinator: string }[];
  expect(orgs[0]).toMatchObject({ code: 'HCP01', iis_id: '0000012345', role: 'full_access_provider', coordinator: 'primary' });

  const [orgRow] = await auditRows('org.create').where({ subject: 'HCP01' });
  expect(JSON.parse(orgRow!.details)).toMatchObject({ via: 'admin_console', reasonCode: 'access_change', ticket: 'INC-2001' });
  const [userRow] = (await auditRows('user.create')).filter((r) => r.subject_user_id === riley.id);
  expect(userRow!.actor_user_id).toBe((await t.portal.services.users.findByUsername('admin1'))!.id);
  expect(JSON.stringify(await t.db('audit_events'))).not.toContain(temporary);
  expect(t.mail.messages().some((m) => m.text.includes(temporary))).toBe(false);
});

test('the user page edits details, memberships and the staff role — each with a reason, audited, and the person told', async () => {
  const { user, email } = await person([]);
  const found = await admin.request(`${t.url}/admin/users?field=email&q=${encodeURIComponent(email)}`);
  expect(found.body).toContain(`href="/admin/users/${user.id}"`);

  const saved = await submit(admin, `/admin/users/${user.id}/details`, { name: 'Pat Renamed', email: `new.${email}`, phone: '', ...reason });
  expect(textOf(saved.body)).toContain('Saved. The person has been told by email.');
  expect(await userById(user.id)).toMatchObject({ name: 'Pat Renamed', email: `new.${email}`, phone: null });
  await t.mail.waitFor((m) => m.to.includes(email) && m.text.includes('changed the name and email'));

  const added = await submit(admin, `/admin/users/${user.id}/memberships`, { org: 'GCP02', role: 'view_only', coordinator: '', ...reason });
  expect(textOf(added.body)).toContain('Gulf Coast Pharmacy GCP02 1000000002 View Only —');
  const changePage = await admin.request(`${t.url}/admin/users/${user.id}/memberships?org=GCP02`);
  expect(changePage.body).toContain('<option value="view_only" selected>');
  const changed = await submit(admin, `/admin/users/${user.id}/memberships?org=GCP02`, { org: 'GCP02', role: 'provider_supervisor', coordinator: 'secondary', ...reason });
  expect(textOf(changed.body)).toContain('Gulf Coast Pharmacy GCP02 1000000002 Provider Supervisor Secondary Vaccine Coordinator');
  const org = (await t.portal.services.orgs.findByCode('GCP02'))!;
  const removed = await submit(admin, `/admin/users/${user.id}/memberships/${org.id}/remove`, reason);
  expect(textOf(removed.body)).toContain('Membership removed.');
  expect(await t.portal.services.orgs.membershipsOf(user.id)).toEqual([]);

  // A role grant is confirmed first, then works at once: the Help Desk opens, Administration does not.
  const confirm = await admin.request(`${t.url}/admin/users/${user.id}/role/helpdesk`);
  expect(textOf(confirm.body)).toContain('Give this account the help desk role?');
  expect((await userById(user.id)).system_role).toBeNull();
  const granted = await submit(admin, `/admin/users/${user.id}/role/helpdesk`, reason);
  expect(textOf(granted.body)).toContain('Staff role Help desk staff');
  const newDesk = await portalSignIn((await userById(user.id)).username);
  expect((await newDesk.request(`${t.url}/helpdesk`)).status).toBe(200);
  expect((await newDesk.request(`${t.url}/admin`)).status).toBe(403);
  await submit(admin, `/admin/users/${user.id}/role/none`, reason);
  expect((await userById(user.id)).system_role).toBeNull();

  const roles = (await auditRows('admin.role_change')).filter((r) => r.subject_user_id === user.id).map((r) => JSON.parse(r.details));
  expect(roles).toEqual([expect.objectContaining({ from: null, to: 'helpdesk', reason: reason.reason }), expect.objectContaining({ from: 'helpdesk', to: null })]);
  for (const action of ['admin.user_update', 'admin.membership_set', 'admin.membership_remove']) {
    expect((await auditRows(action)).some((r) => r.subject_user_id === user.id && JSON.parse(r.details).via === 'admin_console')).toBe(true);
  }
});

test('a help-desk user, and anyone else who is not an administrator, gets 403 on every administration page', async () => {
  const desk = await portalSignIn('desk1');
  const { user, username } = await person();
  const plain = await portalSignIn(username);
  const org = (await t.portal.services.orgs.findByCode('GCP02'))!;
  const pages = [
    '/admin', '/admin/users', `/admin/users?field=name&q=pat`, '/admin/users/new', `/admin/users/${user.id}`, `/admin/users/${user.id}/details`,
    `/admin/users/${user.id}/role/admin`, `/admin/users/${user.id}/memberships`, `/admin/users/${user.id}/disable`, '/admin/organizations',
    '/admin/organizations/new', `/admin/organizations/${org.id}`, '/admin/applications', '/admin/applications/new', '/admin/aua', '/admin/aua/publish',
  ];
  for (const agent of [desk, plain]) {
    for (const path of pages) expect([path, (await agent.request(`${t.url}${path}`)).status]).toEqual([path, 403]);
  }
  expect(textOf((await desk.request(`${t.url}/admin`)).body)).toContain('Your role does not allow this.');

  // With the desk's own valid CSRF token (from the Help Desk's forms) and a reason: still refused, nothing changed.
  const card = await desk.request(`${t.url}/helpdesk/users/${user.id}/disable`);
  const csrf = parseForm(card.body, card.url).fields.csrf!;
  const deskUser = (await t.portal.services.users.findByUsername('desk1'))!;
  const posts: [string, Record<string, string>][] = [
    [`/admin/users/${deskUser.id}/role/admin`, {}],
    [`/admin/users/${user.id}/role/admin`, {}],
    [`/admin/users/${user.id}/disable`, {}],
    ['/admin/organizations/new', { code: 'DESK1', iis_id: '2000000001', name: 'Desk Org' }],
    ['/admin/aua/publish', { version: 'desk', text: 'x'.repeat(60) }],
  ];
  for (const [path, fields] of posts) expect([path, (await desk.request(`${t.url}${path}`, { form: { csrf, ...reason, ...fields } })).status]).toEqual([path, 403]);
  expect((await userById(deskUser.id)).system_role).toBe('helpdesk');
  expect(await userById(user.id)).toMatchObject({ system_role: null, disabled_at: null });
  expect(await t.portal.services.orgs.findByCode('DESK1')).toBeUndefined();

  const anonymous = await new HttpAgent(t.url).request(`${t.url}/admin/users`);
  expect(anonymous.status).toBe(303);
  expect(anonymous.location).toBe(`${t.url}/login`);
});

test('an administrator cannot change their own role, details or account; another administrator can', async () => {
  const self = (await t.portal.services.users.findByUsername('admin1'))!;
  const own = await admin.request(`${t.url}/admin/users/${self.id}`);
  expect(textOf(own.body)).toContain('This is your own account');
  expect(own.body).not.toContain(`/admin/users/${self.id}/role/`);
  expect(own.body).not.toContain(`/admin/users/${self.id}/disable`);
  expect((await admin.request(`${t.url}/admin/users/${self.id}/role/none`)).status).toBe(403);

  const csrf = await csrfOf(admin);
  for (const [path, fields] of [
    [`/admin/users/${self.id}/role/none`, {}],
    [`/admin/users/${self.id}/role/helpdesk`, {}],
    [`/admin/users/${self.id}/disable`, {}],
    [`/admin/users/${self.id}/details`, { name: 'Someone Else', email: 'other@example.org', phone: '' }],
  ] as const) {
    const res = await admin.request(`${t.url}${path}`, { form: { csrf, ...reason, ...fields } });
    expect([path, res.status]).toEqual([path, 403]);
  }
  expect(textOf((await admin.request(`${t.url}/admin/users/${self.id}/role/none`, { form: { csrf, ...reason } })).body)).toContain('You cannot do this to your own account here.');
  expect(await userById(self.id)).toMatchObject({ system_role: 'admin', name: 'Ada Admin', disabled_at: null });

  // Administrators may act on staff, including other administrators.
  await t.directory.createUser({ username: 'admin2', name: 'Abe Admin', email: 'admin2@example.org', password, role: 'admin' });
  const other = (await t.portal.services.users.findByUsername('admin2'))!;
  await submit(admin, `/admin/users/${other.id}/role/helpdesk`, reason);
  expect((await userById(other.id)).system_role).toBe('helpdesk');
});

test('disabling a user from the admin page ends their session (back-channel logout) and refuses their refresh token; re-enabling lets them in', async () => {
  const { user, username } = await person();
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(app, { redirect_uri: `${appUrl}/callback`, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  const callback = await new HttpAgent(t.url).signIn(url.href, username, password);
  const tokens = await oidc.authorizationCodeGrant(app, new URL(callback), { pkceCodeVerifier: verifier });
  const before = receiver.received.length;

  const confirm = await admin.request(`${t.url}/admin/users/${user.id}/disable`);
  expect(textOf(confirm.body)).toContain('Disable this account?');
  expect((await userById(user.id)).disabled_at).toBeNull();
  const done = await submit(admin, `/admin/users/${user.id}/disable`, { reason_code: 'suspected_compromise', reason: 'Reported a stolen badge and laptop' });
  expect(textOf(done.body)).toContain('Disabled and signed out everywhere.');
  expect(textOf(done.body)).toMatch(/Account Disabled since/);
  expect((await receiver.waitFor(before + 1)).length).toBeGreaterThan(before);
  expect(receiver.received.at(-1)!.path).toBe('/bcl');
  await expect(oidc.refreshTokenGrant(app, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  await expect(new HttpAgent(t.url).signIn(authUrl(), username, password)).rejects.toThrow('incorrect');
  const [row] = (await auditRows('support.disable')).filter((r) => r.subject_user_id === user.id);
  expect(JSON.parse(row!.details)).toMatchObject({ via: 'admin_console', reasonCode: 'suspected_compromise' });

  await submit(admin, `/admin/users/${user.id}/enable`, { reason_code: 'access_change', reason: 'Investigation closed, badge replaced' });
  await expect(new HttpAgent(t.url).signIn(authUrl(), username, password)).resolves.toMatch(/callback\?code=/);
});

test('an application is registered with its secret shown once; after a rotation with a 24-hour overlap both secrets work, then only the new one', async () => {
  const shown = await submit(admin, '/admin/applications/new', { name: 'HL7 exchange', app: 'registry', grant: 'client_credentials', redirect_uris: '', post_logout_redirect_uris: '', backchannel_logout_uri: '', scopes: '', ...reason });
  expect(shown.headers.get('cache-control')).toBe('no-store');
  const first = shownSecret(shown.body);
  const clientId = /client ID <code>([^<]+)<\/code>/.exec(shown.body)![1]!;
  const path = `/admin/applications/${clientId}`;
  expect((await tokenWith(clientId, first)).status).toBe(200);
  const clientPage = await admin.request(`${t.url}${path}`);
  expect(textOf(clientPage.body)).toContain('Machine (client credentials)');
  expect(clientPage.body).not.toContain(first);

  const rotatePage = await admin.request(`${t.url}${path}/rotate`);
  expect(textOf(rotatePage.body)).toContain('Keeps working for 24 hours');
  const rotated = await submit(admin, `${path}/rotate`, { old_secret_works: '24h', ...reason });
  expect(rotated.headers.get('cache-control')).toBe('no-store');
  const second = shownSecret(rotated.body);
  expect(second).not.toBe(first);
  expect(textOf(rotated.body)).toContain('The old secret works until');
  const list = textOf((await admin.request(`${t.url}/admin/applications`)).body);
  expect(list).toContain(clientId);
  expect(list).toMatch(/HL7 exchange .* ImmTrac2 \(registry\) client_credentials — .* Works until/);
  for (const page of [list, (await admin.request(`${t.url}${path}`)).body]) for (const s of [first, second]) expect(page).not.toContain(s);

  expect((await tokenWith(clientId, first)).status).toBe(200);
  expect((await tokenWith(clientId, second)).status).toBe(200);
  clock.advance(24 * hour - 60_000);
  expect((await tokenWith(clientId, first)).status).toBe(200);
  clock.advance(2 * 60_000);
  try {
    expect(await tokenWith(clientId, first)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await tokenWith(clientId, second)).status).toBe(200);
  } finally {
    clock.advance(-(24 * hour + 60_000));
  }
  const audit = JSON.stringify(await t.db('audit_events'));
  for (const s of [first, second]) expect(audit).not.toContain(s);
  expect((await auditRows('client.rotate_secret')).map((r) => r.subject)).toContain(clientId);
});

test('an application that signs people in: registered with its URIs, which are then edited', async () => {
  const shown = await submit(admin, '/admin/applications/new', {
    name: 'Syntropi',
    app: 'enrollment',
    grant: 'authorization_code',
    redirect_uris: 'https://syntropi.example/callback\r\nhttps://syntropi.example/callback2',
    post_logout_redirect_uris: 'https://syntropi.example/',
    backchannel_logout_uri: '',
    scopes: '',
    ...reason,
  });
  const secret = shownSecret(shown.body);
  const clientId = /client ID <code>([^<]+)<\/code>/.exec(shown.body)![1]!;
  const page = textOf((await admin.request(`${t.url}/admin/applications/${clientId}`)).body);
  expect(page).toContain('Redirect URIs https://syntropi.example/callback https://syntropi.example/callback2 After sign-out https://syntropi.example/');
  const saved = await submit(admin, `/admin/applications/${clientId}/uris`, { redirect_uris: 'https://syntropi.example/cb', post_logout_redirect_uris: '', backchannel_logout_uri: '', ...reason });
  expect(textOf(saved.body)).toContain('Saved.');
  expect(textOf(saved.body)).toContain('Redirect URIs https://syntropi.example/cb After sign-out —');
  expect(saved.body).not.toContain(secret);
});

test('a newly published AUA version is asked at the next sign-in', async () => {
  const { username } = await person();
  const current = await admin.request(`${t.url}/admin/aua`);
  expect(textOf(current.body)).toContain('Current version 2026-01');
  const confirm = await admin.request(`${t.url}/admin/aua/publish`);
  expect(textOf(confirm.body)).toContain('Everyone must accept the new version at their next sign-in');

  const text = 'HHS Acceptable Use Agreement (July 2026)\r\n\r\nYou will protect immunization records and use them only for your work.\r\n\r\nYou will not share your password.';
  const published = await submit(admin, '/admin/aua/publish', { version: '2026-07', text, ...reason });
  expect(textOf(published.body)).toContain('Published. Everyone is asked to accept it at their next sign-in.');
  expect(textOf(published.body)).toContain('Current version 2026-07');
  const again = await submit(admin, '/admin/aua/publish', { version: '2026-07', text, ...reason });
  expect(again.status).toBe(400);
  expect(textOf(again.body)).toContain('version 2026-07 is already published');

  const agent = new HttpAgent(t.url);
  const step = await agent.submitSignIn((await agent.follow(authUrl())).response, username, password);
  expect(textOf(step.response.body)).toContain('HHS Acceptable Use Agreement (July 2026)');
  expect(textOf(step.response.body)).toContain('Version 2026-07');
  expect(step.response.body).toContain('<p>You will not share your password.</p>');
  const form = parseForm(step.response.body, step.response.url);
  const after = await agent.follow(form.action, { form: { ...form.fields, choice: 'agree' } });
  expect(after.leftPortalTo).toMatch(/callback\?code=/);
  const [row] = await auditRows('aua.publish').where({ subject: '2026-07' });
  expect(JSON.parse(row!.details)).toMatchObject({ via: 'admin_console', reasonCode: 'access_change' });
});

/** Each form submitted with its bad fields: a 400 that says what is wrong (and so never a 500). */
async function expectRefusals(refusals: [string, Record<string, string>, string][]) {
  for (const [path, fields, message] of refusals) {
    const res = await submit(admin, path, fields);
    expect([path, message, res.status]).toEqual([path, message, 400]);
    expect(textOf(res.body)).toContain(message);
  }
}

/** Each form posted with a forged CSRF token (and otherwise fine): 403 before anything is read. */
async function expectForgedRefused(posts: [string, Record<string, string>][]) {
  for (const [path, fields] of posts) {
    const res = await admin.request(`${t.url}${path}`, { form: { csrf: 'forged', ...reason, ...fields } });
    expect([path, res.status]).toEqual([path, 403]);
  }
}

async function expectNotFound(paths: string[]) {
  for (const path of paths) expect([path, (await admin.request(`${t.url}${path}`)).status]).toEqual([path, 404]);
}

const countOf = async (table: string) => Number((await t.db(table).count({ n: '*' }).first())!.n);
const lastAuditId = async () => Number((await t.db('audit_events').max({ id: 'id' }).first())!.id);
const auditedSince = async (id: number) => new Set((await t.db('audit_events').where('id', '>', id).select('action')).map((r) => r.action as string));

/** A POST with a body written by hand: repeated fields, oversized bodies. */
async function rawPost(path: string, body: string) {
  return fetch(`${t.url}${path}`, { method: 'POST', headers: { cookie: admin.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body, redirect: 'manual' });
}

test('bad input to the user and organization pages — missing, long or garbage fields, unknown ids, a forged CSRF token — a clear answer, never a 500, nothing changed', async () => {
  const { user } = await person();
  const [orgs, users] = [await countOf('organizations'), await countOf('users')];
  const since = await lastAuditId();
  const org = (await t.portal.services.orgs.findByCode('GCP02'))!;

  await expectRefusals([
    ['/admin/organizations/new', { code: 'NEW01', iis_id: '12345', name: 'Short IIS', ...reason }, 'iis-id: exactly 10 digits'],
    ['/admin/organizations/new', { code: 'NEW01', iis_id: '00000123456', name: 'Long IIS', ...reason }, 'iis-id: exactly 10 digits'],
    ['/admin/organizations/new', { code: 'has space', iis_id: '3000000001', name: 'Bad code', ...reason }, 'code: letters, digits'],
    ['/admin/organizations/new', { code: 'NEW01', iis_id: '1000000002', name: 'Taken IIS ID', ...reason }, 'IIS ID 1000000002 is already used'],
    ['/admin/organizations/new', { code: 'NEW01', iis_id: '3000000001', name: 'x'.repeat(300), ...reason }, 'name: at most 200 characters'],
    ['/admin/organizations/new', { code: 'NEW01', iis_id: '3000000001', name: 'No reason', reason_code: '', reason: '' }, 'Choose a reason from the list.'],
    ['/admin/organizations/new', { code: 'NEW01', iis_id: '3000000001', name: 'Short reason', reason_code: 'other', reason: 'because' }, 'Say why in at least 10 characters'],
    ['/admin/organizations/new', { code: 'NEW01', iis_id: '3000000001', name: 'Bad type', type: 'castle', ...reason }, 'Please correct this'],
    [`/admin/organizations/${org.id}`, { name: '', ...reason }, 'name: required'],
    ['/admin/users/new', { username: 'a b', email: 'ab@example.org', ...reason }, 'username: 3–100 letters'],
    ['/admin/users/new', { username: 'newperson', email: 'not-an-email', ...reason }, 'email: not a valid address'],
    ['/admin/users/new', { username: 'newperson', email: 'np@example.org', member_org: 'NOPE9', member_role: 'view_only', ...reason }, 'unknown organization NOPE9'],
    ['/admin/users/new', { username: 'newperson', email: 'np@example.org', member_org: 'GCP02', member_role: 'emperor', ...reason }, 'role must be one of'],
    ['/admin/users/new', { username: 'newperson', email: 'np@example.org', role: 'root', ...reason }, 'staff role'],
    ['/admin/users/new', { username: (await userById(user.id)).username, email: 'np@example.org', ...reason }, 'is already taken'],
    [`/admin/users/${user.id}/details`, { name: 'Pat', email: 'nope', phone: '', ...reason }, 'email: not a valid address'],
    [`/admin/users/${user.id}/details`, { name: 'Pat', email: 'pat@example.org', phone: 'call me', ...reason }, 'phone: digits'],
    [`/admin/users/${user.id}/memberships`, { org: 'NOPE9', role: 'view_only', ...reason }, 'there is no organization with the code NOPE9'],
    [`/admin/users/${user.id}/memberships`, { org: 'GCP02', role: 'emperor', ...reason }, 'Please correct this'],
    [`/admin/users/${user.id}/role/admin`, { reason_code: 'other', reason: 'ok' }, 'Say why in at least 10 characters'],
    [`/admin/users/${user.id}/disable`, { reason_code: 'nonsense', reason: 'A perfectly fine reason' }, 'Choose a reason from the list.'],
    [`/admin/users/${user.id}/disable`, { reason_code: 'other', reason: 'line one\nline two!' }, 'no line breaks'],
    [`/admin/users/${user.id}/disable`, { ...reason, ticket: '<script>' }, 'A ticket number has at most 40'],
  ]);
  // What was typed is shown again, so the person corrects rather than retypes.
  const kept = await submit(admin, '/admin/organizations/new', { code: 'KEEP1', iis_id: '12', name: 'Kept <Name>', ...reason });
  expect(kept.body).toContain('value="Kept &lt;Name&gt;"');

  await expectNotFound([
    '/admin/users/no-such-id', `/admin/users/${'x'.repeat(300)}`, `/admin/users/${user.id}/role/superuser`, `/admin/users/${user.id}/frobnicate`,
    `/admin/users/${user.id}/memberships/no-such-org/remove`, '/admin/organizations/no-such-id',
  ]);
  expect((await admin.request(`${t.url}/admin/users?field=name&q=z`)).status).toBe(400);
  expect((await admin.request(`${t.url}/admin/organizations?page=-4&prefix=${'q'.repeat(300)}`)).status).toBe(200);

  const csrf = await csrfOf(admin);
  const repeated = await rawPost('/admin/organizations/new', `csrf=${encodeURIComponent(csrf)}&code=REP01&iis_id=3000000002&name=a&name=b&reason_code=other&reason=${encodeURIComponent(reason.reason)}`);
  expect(repeated.status).toBe(400);
  expect(textOf(await repeated.text())).toContain('name: required');
  expect((await rawPost('/admin/organizations/new', `csrf=${encodeURIComponent(csrf)}&name=${'z'.repeat(20_000)}`)).status).toBe(413);

  await expectForgedRefused([
    ['/admin/organizations/new', { code: 'FORGED', iis_id: '3000000003', name: 'Forged Org' }],
    [`/admin/organizations/${org.id}`, { name: 'Forged Name' }],
    ['/admin/users/new', { username: 'forged', email: 'forged@example.org' }],
    [`/admin/users/${user.id}/role/admin`, {}],
    [`/admin/users/${user.id}/disable`, {}],
    [`/admin/users/${user.id}/memberships/${org.id}/remove`, {}],
  ]);
  expect(await userById(user.id)).toMatchObject({ system_role: null, disabled_at: null });
  expect(await t.portal.services.orgs.membershipsOf(user.id)).toEqual([expect.objectContaining({ code: 'GCP02', role: 'full_access_provider' })]);
  expect((await t.portal.services.orgs.findByCode('GCP02'))!.name).toBe('Gulf Coast Pharmacy');
  expect([await countOf('organizations'), await countOf('users')]).toEqual([orgs, users]);
  // Only reads were recorded: the account pages opened.
  expect(await auditedSince(since)).toEqual(new Set(['support.view']));
});

test('bad input to the application pages: a clear answer, never a 500, nothing changed', async () => {
  const machine = await t.directory.createClient({ name: 'Rotate me', grants: ['client_credentials'] });
  const publicApp = await t.directory.createClient({ name: 'Public app', public: true, redirectUris: ['https://public.example/cb'] });
  const clients = await countOf('oidc_clients');
  const since = await lastAuditId();

  await expectRefusals([
    ['/admin/applications/new', { name: 'Bad URI', grant: 'authorization_code', redirect_uris: 'javascript:alert(1)', ...reason }, 'must be http or https'],
    ['/admin/applications/new', { name: 'No URI', grant: 'authorization_code', redirect_uris: '', ...reason }, 'give at least one --redirect-uri'],
    ['/admin/applications/new', { name: 'Machine with URI', grant: 'client_credentials', redirect_uris: 'https://x.example/cb', ...reason }, 'needs --grant authorization_code'],
    ['/admin/applications/new', { name: '', grant: 'authorization_code', redirect_uris: 'https://x.example/cb', ...reason }, 'name: required'],
    ['/admin/applications/new', { name: 'No reason', grant: 'client_credentials', reason_code: '', reason: '' }, 'Choose a reason from the list.'],
    [`/admin/applications/${machine.client_id}/rotate`, { old_secret_works: 'forever', ...reason }, 'choose how long the old secret keeps working'],
    [`/admin/applications/${machine.client_id}/rotate`, { old_secret_works: 'now', reason_code: 'other', reason: 'short' }, 'Say why in at least 10 characters'],
  ]);
  // Only what applies is offered: a public client has no secret, a machine client no URIs.
  expect((await admin.request(`${t.url}/admin/applications/${publicApp.client_id}`)).body).not.toContain('/rotate');
  expect((await admin.request(`${t.url}/admin/applications/${machine.client_id}`)).body).not.toContain('/uris');
  await expectNotFound(['/admin/applications/no-such-client', `/admin/applications/${'y'.repeat(100)}/rotate`, '/admin/applications/no-such-client/uris']);

  await expectForgedRefused([
    ['/admin/applications/new', { name: 'Forged app', grant: 'client_credentials' }],
    [`/admin/applications/${machine.client_id}/rotate`, { old_secret_works: 'now' }],
    [`/admin/applications/${publicApp.client_id}/uris`, { redirect_uris: 'https://evil.example/cb' }],
  ]);
  expect((await tokenWith(machine.client_id, machine.client_secret!)).status).toBe(200);
  expect((await admin.request(`${t.url}/admin/applications/${publicApp.client_id}`)).body).not.toContain('evil.example');
  expect(await countOf('oidc_clients')).toBe(clients);
  expect(await auditedSince(since)).toEqual(new Set());
});

test('bad input to the AUA page: a clear answer, never a 500, nothing published', async () => {
  const before = textOf((await admin.request(`${t.url}/admin/aua`)).body);
  await expectRefusals([
    ['/admin/aua/publish', { version: 'bad version!', text: 'x'.repeat(60), ...reason }, 'version: 1–40 letters'],
    ['/admin/aua/publish', { version: '2027-01', text: 'Too short.', ...reason }, 'text: at least 50 characters'],
    ['/admin/aua/publish', { version: '2027-01', text: 'x'.repeat(60), reason_code: '', reason: '' }, 'Choose a reason from the list.'],
  ]);
  const csrf = await csrfOf(admin);
  expect((await rawPost('/admin/aua/publish', `csrf=${encodeURIComponent(csrf)}&version=big&text=${'z'.repeat(1_100_000)}`)).status).toBe(413);
  await expectForgedRefused([['/admin/aua/publish', { version: 'forged', text: 'f'.repeat(80) }]]);
  expect(textOf((await admin.request(`${t.url}/admin/aua`)).body)).toBe(before);
});
