import * as oidc from 'openid-client';
import { startPortalWithApp, type PortalWithApp } from '../src/testing/app-fixture.js';
import { HttpAgent, parseForm, textOf, type TestPortal, type AgentResponse } from '../src/testing/index.js';
import { createTestClock } from '../src/libraries/clock.js';

/**
 * The help desk console (SPEC §3.10, issue #8) as the desk and the people it helps see it, over
 * real HTTP with real SMTP: find, status card, caller verification, and every action — each with
 * a confirmation and a reason, audited, told to the account holder — and the hard rule that the
 * desk never acts on staff or on itself, whatever id the request carries.
 */
const password = 'Correct-Horse-9!';
const appUrl = 'http://127.0.0.1:3991';
const hour = 3600_000;
const clock = createTestClock();

let fixture: PortalWithApp;
let t: TestPortal;
let receiver: PortalWithApp['receiver'];
let app: oidc.Configuration;
let desk: HttpAgent;
const reason = { reason_code: 'caller_verified_phone', reason: 'Caller verified by first pet answer', ticket: 'INC-1042' };

beforeAll(async () => {
  fixture = await startPortalWithApp({ clock, appUrl });
  ({ t, receiver, app } = fixture);
  await t.directory.createOrg({ code: 'HCP01', iisId: '0000012345', name: 'Hill Country Pediatrics' });
  await t.directory.createUser({ username: 'desk1', name: 'Dana Desk', email: 'desk1@example.org', password, role: 'helpdesk' });
  await t.directory.createUser({ username: 'desk2', name: 'Drew Desk', email: 'desk2@example.org', password, role: 'helpdesk' });
  await t.directory.createUser({ username: 'admin1', name: 'Ada Admin', email: 'admin1@example.org', password, role: 'admin' });
  desk = await portalSignIn('desk1');
});

afterAll(() => fixture?.close());

const authUrl = () =>
  oidc.buildAuthorizationUrl(app, { redirect_uri: `${appUrl}/callback`, scope: 'openid', code_challenge: 'f'.repeat(43), code_challenge_method: 'S256' }).href;

const portalSignIn = (username: string, pw = password) => new HttpAgent(t.url).signInToPortal(username, pw);

let n = 0;
async function person(extra: { name?: string } = {}) {
  const username = `caller${++n}`;
  const email = `${username}@example.org`;
  await t.directory.createUser({ username, email, password, name: extra.name ?? `Casey Caller ${n}`, orgs: ['HCP01:full_access_provider'] });
  await new HttpAgent(t.url).signIn(authUrl(), username, password); // AUA, questions ("answer 1…3"), a session
  const user = (await t.portal.services.users.findByUsername(username))!;
  return { username, email, user };
}

async function lockOut(username: string) {
  for (let i = 0; i < 6; i++) await t.portal.services.signInCounters.reserveAttempt(username, clock.now());
  await t.portal.services.signInCounters.lock(username, clock.now());
}

/** The confirmation page of an action, then its form submitted with `fields`. */
async function act(agent: HttpAgent, userId: string, action: string, fields: Record<string, string> = reason): Promise<AgentResponse> {
  const confirm = await agent.request(`${t.url}/helpdesk/users/${userId}/${action}`);
  expect(confirm.status).toBe(200);
  const form = parseForm(confirm.body, confirm.url);
  return (await agent.follow(form.action, { form: { ...form.fields, ...fields } })).response;
}

const audits = (action: string, userId: string) => t.db('audit_events').where({ action, subject_user_id: userId }).orderBy('id');
const mailTo = (email: string) => t.mail.messages().filter((m) => m.to.includes(email));

test('search by name prefix, exact username, email and organization, paged; each search is audited', async () => {
  const { username, user } = await person({ name: 'Zelda Quintero' });
  const byName = await desk.request(`${t.url}/helpdesk?field=name&q=zelda`);
  expect(byName.status).toBe(200);
  expect(textOf(byName.body)).toContain(username);
  const exact = await desk.request(`${t.url}/helpdesk?field=username&q=${username.slice(0, -1)}`);
  expect(textOf(exact.body)).toContain('No user matches');
  expect(textOf((await desk.request(`${t.url}/helpdesk?field=username&q=${username.toUpperCase()}`)).body)).toContain(username);
  expect(textOf((await desk.request(`${t.url}/helpdesk?field=email&q=${username}@`)).body)).toContain(username);
  expect(textOf((await desk.request(`${t.url}/helpdesk?field=org&q=hcp`)).body)).toContain(username);
  const tooShort = await desk.request(`${t.url}/helpdesk?field=name&q=z`);
  expect(tooShort.status).toBe(400);
  expect(textOf(tooShort.body)).toContain('Enter at least 2 characters');
  const searches = await t.db('audit_events').where({ action: 'support.search' });
  expect(searches.length).toBeGreaterThanOrEqual(5);
  expect(JSON.parse(searches[0]!.details)).toMatchObject({ field: 'name', text: 'zelda', via: 'helpdesk_console' });
  expect(user.id).toBeDefined();
});

test('the status card says what the desk needs and nothing secret; opening it is audited', async () => {
  const { user } = await person();
  await lockOut(user.username);
  const card = await desk.request(`${t.url}/helpdesk/users/${user.id}`);
  const text = textOf(card.body);
  expect(text).toContain('Locked since');
  expect(text).toMatch(/Password Changed .* \(0 days ago\); expires/);
  expect(text).toContain('Security questions Set');
  expect(text).toContain('Acceptable Use Agreement Version 2026-01, accepted');
  expect(text).toMatch(/Open sessions 1 — ImmTrac2/);
  expect(text).toContain('Hill Country Pediatrics HCP01 0000012345');
  expect(text).toContain('Self-service reset today Not used');
  expect(card.body).not.toMatch(/\$argon2/);
  expect(card.body).not.toContain('Answer 1');
  expect(await audits('support.view', user.id)).toHaveLength(1);
});

test('caller verification answers only "matches" or "does not match", is limited per account, and never records what was typed', async () => {
  const { user, email } = await person();
  const card = await desk.request(`${t.url}/helpdesk/users/${user.id}`);
  const form = parseForm(card.body, card.url);
  const verify = (fields: Record<string, string>) => desk.request(form.action, { form: { csrf: form.fields.csrf!, ...fields } });

  expect(textOf((await verify({ method: 'question', question: 'first-pet', answer: 'answer 1' })).body)).toContain('Matches.');
  expect(textOf((await verify({ method: 'question', question: 'first-pet', answer: 'Rex' })).body)).toContain('Does not match.');
  expect(textOf((await verify({ method: 'email', email: email.toUpperCase() })).body)).toContain('Matches.');
  const wrongEmail = await verify({ method: 'email', email: 'someone@else.org' });
  expect(textOf(wrongEmail.body)).toContain('Does not match.');
  expect(wrongEmail.body).not.toContain(email.replace('@', '&#64;'));
  const fifth = await verify({ method: 'email', email: 'x@y.org' });
  expect(textOf(fifth.body)).toContain('Does not match.');
  const sixth = await verify({ method: 'email', email });
  expect(sixth.status).toBe(429);
  expect(textOf(sixth.body)).toContain('Too many verification attempts');

  const rows = await audits('support.verify_caller', user.id);
  expect(rows.map((r) => JSON.parse(r.details).result)).toEqual(['match', 'no_match', 'match', 'no_match', 'no_match']);
  const all = JSON.stringify(await t.db('audit_events').where({ subject_user_id: user.id }));
  for (const typed of ['answer 1', 'Rex', 'someone@else.org', 'x@y.org']) expect(all).not.toContain(typed);
});

test('unlock needs a reason, is audited with who, whom, why and from where, and the person is told', async () => {
  const { user, username, email } = await person();
  await lockOut(username);
  const before = mailTo(email).length;

  const refused = await act(desk, user.id, 'unlock', { reason_code: '', reason: 'short' });
  expect(refused.status).toBe(400);
  expect(textOf(refused.body)).toContain('Choose a reason from the list.');
  const noText = await act(desk, user.id, 'unlock', { reason_code: 'locked_out', reason: 'short' });
  expect(textOf(noText.body)).toContain('Say why in at least 10 characters');
  expect((await t.portal.services.signInCounters.find(username))?.locked_at).not.toBeNull();

  const done = await act(desk, user.id, 'unlock');
  expect(textOf(done.body)).toContain('Unlocked. The person has been told by email.');
  expect(await t.portal.services.signInCounters.find(username)).toBeUndefined();
  const [row] = await audits('support.unlock', user.id);
  const deskUser = (await t.portal.services.users.findByUsername('desk1'))!;
  expect(row).toMatchObject({ actor_user_id: deskUser.id, subject_user_id: user.id, ip: '127.0.0.1' });
  expect(JSON.parse(row!.details)).toMatchObject({ reasonCode: 'caller_verified_phone', reason: 'Caller verified by first pet answer', ticket: 'INC-1042', wasLocked: true, via: 'helpdesk_console' });
  const notice = await t.mail.waitFor((m) => m.to.includes(email) && m.subject.startsWith('Customer Support'));
  expect(notice.text).toMatch(/Customer Support unlocked your account at \d+:\d\d [AP]M/);
  expect(mailTo(email).length).toBe(before + 1);
  await expect(new HttpAgent(t.url).signIn(authUrl(), username, password)).resolves.toMatch(/callback\?code=/);
});

test('a desk that chose Spanish reads the card, the confirmation, the refusal and the done message in Spanish', async () => {
  const { user, username } = await person();
  await lockOut(username);
  const spanish = await portalSignIn('desk2');
  const card = await spanish.request(`${t.url}/helpdesk/users/${user.id}?lang=es`);
  expect(card.status).toBe(200);
  const text = textOf(card.body);
  expect(text).toContain('Verificar a la persona que llama');
  expect(text).toMatch(/Bloqueada desde el \d+ \S+ \d{4}, \d+:\d\d [ap]\.\s?m\./);
  expect(text).toContain('Hill Country Pediatrics HCP01 0000012345 Proveedor con acceso completo');
  expect(text).not.toContain('Sign-in lock');

  const refused = await act(spanish, user.id, 'unlock', { reason_code: '', reason: 'short' });
  expect(textOf(refused.body)).toContain('¿Desbloquear esta cuenta?');
  expect(textOf(refused.body)).toContain('Elija un motivo de la lista.');
  const done = await act(spanish, user.id, 'unlock');
  expect(textOf(done.body)).toContain('Se desbloqueó la cuenta. Se le avisó a la persona por correo electrónico.');
  expect(textOf(done.body)).toContain('Inició sesión');
});

test('the desk cannot act on an administrator, another help-desk user or itself — also with an edited target id', async () => {
  const admin = (await t.portal.services.users.findByUsername('admin1'))!;
  const colleague = (await t.portal.services.users.findByUsername('desk2'))!;
  const self = (await t.portal.services.users.findByUsername('desk1'))!;
  const { user: someone } = await person();
  // A real form for someone the desk may help, replayed against staff ids.
  const confirm = await desk.request(`${t.url}/helpdesk/users/${someone.id}/temporary-password`);
  const form = parseForm(confirm.body, confirm.url);
  for (const target of [admin, colleague, self]) {
    expect((await desk.request(`${t.url}/helpdesk/users/${target.id}/unlock`)).status).toBe(403);
    for (const action of ['unlock', 'temporary-password', 'disable', 'end-sessions', 'reset-code']) {
      const edited = await desk.request(`${t.url}/helpdesk/users/${target.id}/${action}`, { form: { ...form.fields, ...reason } });
      expect(edited.status).toBe(403);
    }
    const card = await desk.request(`${t.url}/helpdesk/users/${target.id}`);
    expect(card.body).not.toContain(`/helpdesk/users/${target.id}/disable`);
    const after = (await t.portal.services.users.findById(target.id))!;
    expect([after.password_hash, after.disabled_at]).toEqual([target.password_hash, null]);
  }
  expect(textOf((await desk.request(`${t.url}/helpdesk/users/${admin.id}/unlock`)).body)).toContain('The help desk cannot act on administrators or help-desk staff.');
  expect(textOf((await desk.request(`${t.url}/helpdesk/users/${self.id}/unlock`)).body)).toContain('You cannot do this to your own account here.');
});

test('people without a staff role get 403; a forged CSRF token changes nothing', async () => {
  const { username, user } = await person();
  const plain = await portalSignIn(username);
  const page = await plain.request(`${t.url}/helpdesk`);
  expect(page.status).toBe(403);
  expect(textOf(page.body)).toContain('Your role does not allow this.');
  expect((await plain.request(`${t.url}/helpdesk/users/${user.id}`)).status).toBe(403);

  await lockOut(username);
  const forged = await desk.request(`${t.url}/helpdesk/users/${user.id}/unlock`, { form: { csrf: 'forged', ...reason } });
  expect(forged.status).toBe(403);
  expect((await t.portal.services.signInCounters.find(username))?.locked_at).not.toBeNull();
  expect(await audits('support.unlock', user.id)).toHaveLength(0);
});

test('a temporary password is shown once, must be changed at sign-in, and stops working after 72 hours unused', async () => {
  const { user, username, email } = await person();
  const shown = await act(desk, user.id, 'temporary-password');
  expect(shown.headers.get('cache-control')).toBe('no-store');
  const temporary = /<code>([^<]+)<\/code>/.exec(shown.body)![1]!;
  expect(textOf(shown.body)).toContain('It is shown only now.');
  // The old session ended; the old password no longer works.
  expect(Number((await t.db('oidc_payloads').where({ model: 'Session', account_id: user.id }).count({ n: '*' }).first())!.n)).toBe(0);
  await expect(new HttpAgent(t.url).signIn(authUrl(), username, password)).rejects.toThrow('incorrect');

  // Used: it must be changed at once.
  const agent = new HttpAgent(t.url);
  const start = await agent.follow(authUrl());
  const step = await agent.submitSignIn(start.response, username, temporary);
  expect(textOf(step.response.body)).toContain('You signed in with a temporary password.');
  const form = parseForm(step.response.body, step.response.url);
  const next = await agent.follow(form.action, { form: { ...form.fields, new_password: 'Blue-Heron-Lake-42!', confirm_password: 'Blue-Heron-Lake-42!' } });
  expect(next.leftPortalTo).toMatch(/callback\?code=/);
  expect(JSON.stringify(await t.db('audit_events').where({ subject_user_id: user.id }))).not.toContain(temporary);
  expect(mailTo(email).some((m) => m.text.includes(temporary))).toBe(false);

  // Another, left unused for 72 hours: refused with a clear message.
  const { user: u2, username: n2 } = await person();
  const second = /<code>([^<]+)<\/code>/.exec((await act(desk, u2.id, 'temporary-password')).body)![1]!;
  clock.advance(72 * hour + 1000);
  const late = new HttpAgent(t.url);
  const lateStart = await late.follow(authUrl());
  const refused = await late.submitSignIn(lateStart.response, n2, second);
  expect(textOf(refused.response.body)).toContain('Your temporary password has expired');
  clock.advance(-(72 * hour + 1000));
});

test('a reset code goes only to the person’s email; its link leads to a new password, and the desk never sees the code', async () => {
  const { user, username, email } = await person();
  const done = await act(desk, user.id, 'reset-code');
  expect(textOf(done.body)).toContain('A reset code was emailed to the address on file.');
  const mail = await t.mail.waitFor((m) => m.to.includes(email) && m.subject === 'Your HHS Enterprise Portal security code');
  const code = /^\s*(\d{6})\s*$/m.exec(mail.text)![1]!;
  expect(done.body).not.toContain(code);
  const link = /(http:\/\/\S+\/forgot-password\/continue\?flow=\S+)/.exec(mail.text)![1]!;

  const personAgent = new HttpAgent(t.url);
  const page = (await personAgent.follow(link)).response;
  expect(textOf(page.body)).toContain('Enter Your Security Code');
  const codeForm = parseForm(page.body, page.url);
  const next = (await personAgent.follow(codeForm.action, { form: { ...codeForm.fields, code } })).response;
  expect(textOf(next.body)).toContain('Choose a New Password');
  const setForm = parseForm(next.body, next.url);
  const reset = (await personAgent.follow(setForm.action, { form: { ...setForm.fields, new_password: 'Red-Fox-Meadow-77!', confirm_password: 'Red-Fox-Meadow-77!' } })).response;
  expect(textOf(reset.body)).toContain('Your Password Has Been Reset');
  await expect(new HttpAgent(t.url).signIn(authUrl(), username, 'Red-Fox-Meadow-77!')).resolves.toMatch(/callback\?code=/);
  expect(JSON.stringify(await t.db('audit_events'))).not.toContain(code);
});

test('the once-a-day limit can be lifted by the desk', async () => {
  const { user, email } = await person();
  await t.db('users').where({ id: user.id }).update({ password_reset_at: clock.now() - hour });
  expect(textOf((await desk.request(`${t.url}/helpdesk/users/${user.id}`)).body)).toContain('Self-service reset today Used');
  const done = await act(desk, user.id, 'clear-reset-limit');
  expect(textOf(done.body)).toContain('The person may reset their password again today.');
  expect((await t.portal.services.users.findById(user.id))!.password_reset_at).toBeNull();
  await t.mail.waitFor((m) => m.to.includes(email) && m.text.includes('allowed you to reset your password again today'));
});

test('disabling ends every session (back-channel logout) and refuses refresh tokens; re-enabling lets the person in again', async () => {
  const { user, username } = await person();
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(app, { redirect_uri: `${appUrl}/callback`, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  const callback = await new HttpAgent(t.url).signIn(url.href, username, password);
  const tokens = await oidc.authorizationCodeGrant(app, new URL(callback), { pkceCodeVerifier: verifier });
  const before = receiver.received.length;

  const done = await act(desk, user.id, 'disable', { reason_code: 'suspected_compromise', reason: 'Caller reports a stolen laptop' });
  expect(textOf(done.body)).toContain('Disabled and signed out everywhere.');
  expect((await receiver.waitFor(before + 1)).length).toBeGreaterThan(before);
  await expect(oidc.refreshTokenGrant(app, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  await expect(new HttpAgent(t.url).signIn(authUrl(), username, password)).rejects.toThrow('incorrect');

  await act(desk, user.id, 'enable', { reason_code: 'access_change', reason: 'Investigation closed, laptop recovered' });
  await expect(new HttpAgent(t.url).signIn(authUrl(), username, password)).resolves.toMatch(/callback\?code=/);
});

test('bad input to the console: unknown ids and actions, overlong fields — a clear answer, never a 500, nothing changed', async () => {
  const { user } = await person();
  expect((await desk.request(`${t.url}/helpdesk/users/no-such-id`)).status).toBe(404);
  expect((await desk.request(`${t.url}/helpdesk/users/${'x'.repeat(300)}`)).status).toBe(404);
  expect((await desk.request(`${t.url}/helpdesk/users/${user.id}/frobnicate`)).status).toBe(404);
  const confirm = await desk.request(`${t.url}/helpdesk/users/${user.id}/disable`);
  const form = parseForm(confirm.body, confirm.url);
  const long = await desk.request(form.action, { form: { ...form.fields, reason_code: 'other', reason: 'x'.repeat(700) } });
  expect(long.status).toBe(400);
  const weird = await desk.request(form.action, { form: { ...form.fields, reason_code: 'other', reason: 'line one\nline two!', ticket: '<script>' } });
  expect(weird.status).toBe(400);
  expect((await t.portal.services.users.findById(user.id))!.disabled_at).toBeNull();
  const badSearch = await desk.request(`${t.url}/helpdesk?field=name&q=${'y'.repeat(150)}`);
  expect(badSearch.status).toBe(400);
});
