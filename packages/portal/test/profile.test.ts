import * as oidc from 'openid-client';
import { decodeJwt } from 'jose';
import { startTestPortal, startBackchannelReceiver, HttpAgent, parseForm, textOf, type TestPortal, type AgentResponse } from '../src/testing/index.js';
import { createTestClock } from '../src/libraries/clock.js';

/**
 * My Profile (SPEC §3.9) as a person meets it, over real HTTP with real SMTP: details and
 * organizations; name and phone saved at once; a new email used only after the code mailed to it;
 * Change Password with the current password, ending every other session; bad input and missing
 * CSRF refused with nothing written (SPEC §7).
 */
const password = 'Correct-Horse-9!';
const newPassword = 'Another-Batt3ry-Staple!';
const appUrl = 'http://127.0.0.1:3997';
const minute = 60_000;
const clock = createTestClock();

let t: TestPortal;
let receiver: Awaited<ReturnType<typeof startBackchannelReceiver>>;
let app: oidc.Configuration;

beforeAll(async () => {
  receiver = await startBackchannelReceiver();
  t = await startTestPortal({ clock, env: { BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: receiver.url } });
  const c = await t.directory.createClient({ name: 'ImmTrac2', redirectUris: [`${appUrl}/callback`], backchannelLogoutUri: `${receiver.url}/bcl` });
  app = await oidc.discovery(new URL(t.url), c.client_id, c.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
  await t.directory.createOrg({ code: 'HCP', iisId: '0123456789', name: 'Hill Country Pediatrics' });
  await t.directory.createOrg({ code: 'ASD', iisId: '0987654321', name: 'Austin School District' });
});

afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

let n = 0;
async function newUser(extra: { orgs?: string[]; phone?: string } = {}) {
  const username = `profile${++n}`;
  const email = `${username}@example.org`;
  await t.directory.createUser({ username, email, password, name: `Profile Person ${n}`, ...extra });
  return { username, email, name: `Profile Person ${n}` };
}

const heading = (page: AgentResponse) => /<h1[^>]*>([^<]+)<\/h1>/.exec(page.body)?.[1];
const userRow = async (username: string) => (await t.portal.services.users.findByUsername(username))!;

/** A browser signed in to the portal's own pages (the AUA and security questions done on the way). */
async function signedIn(username: string, pw = password) {
  const agent = new HttpAgent(t.url);
  const login = await agent.follow(`${t.url}/login`);
  const home = await agent.completeSteps(await agent.submitSignIn(login.response, username, pw));
  expect(heading(home.response)).toBe('HHS Enterprise Portal');
  return agent;
}

/** Opens a page and submits its form as a person would, changing only `fields`. */
async function fillIn(agent: HttpAgent, path: string, fields: Record<string, string>) {
  const page = await agent.request(`${t.url}${path}`);
  expect(page.status).toBe(200);
  const form = parseForm(page.body, page.url);
  return (await agent.follow(form.action, { form: { ...form.fields, ...fields } })).response;
}

/** The code in the newest confirmation mail to `email`. */
async function codeSentTo(email: string) {
  const mail = await t.mail.waitFor((m) => m.to.includes(email) && m.subject === 'Confirm your new HHS Enterprise Portal email address');
  return /^\s*(\d{6})\s*$/m.exec(mail.text)![1]!;
}
const otherThan = (code: string) => (code === '000000' ? '111111' : '000000');

async function auditActions(userId: string) {
  return t.db('audit_events').where({ subject_user_id: userId }).orderBy('id').select('action', 'details');
}

test('My Profile shows the person, and each of their organizations with role and coordinator status', async () => {
  const u = await newUser({ phone: '512-555-0100', orgs: ['HCP:provider_supervisor:primary', 'ASD:view_only'] });
  const agent = await signedIn(u.username);

  const page = await agent.request(`${t.url}/profile`);
  expect(page.status).toBe(200);
  expect(heading(page)).toBe('My Profile');
  const text = textOf(page.body);
  expect(text).toContain(`Name ${u.name} Username ${u.username} Email ${u.email} Phone 512-555-0100`);
  expect(text).toContain('Organization IIS ID Role Vaccine coordinator');
  expect(text).toContain('Austin School District 0987654321 View Only —');
  expect(text).toContain('Hill Country Pediatrics 0123456789 Provider Supervisor Primary');
  expect(page.body).toContain('<a class="usa-button" href="/profile/edit">Edit Profile</a>');
  expect(page.body).toContain('<a class="usa-button" href="/profile/password">Change Password</a>');
  expect(page.body).toContain('<a class="usa-button" href="/account/security-questions">Change Security Questions</a>');

  // Not signed in: sent to sign in, nothing shown.
  for (const path of ['/profile', '/profile/edit', '/profile/password', '/profile/email']) {
    const stranger = await new HttpAgent(t.url).request(`${t.url}${path}`);
    expect(stranger.status).toBe(303);
    expect(stranger.location).toBe(`${t.url}/login`);
  }
});

test('name and phone are saved at once and audited; an emptied phone is removed', async () => {
  const u = await newUser({ phone: '512-555-0101' });
  const agent = await signedIn(u.username);

  const saved = await fillIn(agent, '/profile/edit', { name: 'Dr. Ana Núñez-O\'Brien', phone: '+1 (512) 555-0199' });
  expect(heading(saved)).toBe('My Profile');
  expect(textOf(saved.body)).toContain('Your profile has been updated.');
  expect(textOf(saved.body)).toContain("Name Dr. Ana Núñez-O'Brien");
  expect(textOf(saved.body)).toContain('Phone +1 (512) 555-0199');
  expect(saved.body).toContain('<span class="who">Dr. Ana Núñez-O&#39;Brien</span>'); // the header too
  const row = await userRow(u.username);
  expect([row.name, row.phone, row.email]).toEqual(["Dr. Ana Núñez-O'Brien", '+1 (512) 555-0199', u.email]);

  await fillIn(agent, '/profile/edit', { phone: '' });
  expect((await userRow(u.username)).phone).toBeNull();
  expect(textOf((await agent.request(`${t.url}/profile`)).body)).toContain('Phone Not given');

  const updates = (await auditActions(row.id)).filter((a) => a.action === 'profile.update').map((a) => JSON.parse(a.details));
  expect(updates).toEqual([{ changed: ['name', 'phone'] }, { changed: ['phone'] }]);
});

test('a new email is not used until the code sent to it is entered; a wrong code is refused; the old address is told', async () => {
  const u = await newUser();
  const agent = await signedIn(u.username);
  const newEmail = `new-${u.username}@example.net`;

  const confirm = await fillIn(agent, '/profile/edit', { email: newEmail });
  expect(heading(confirm)).toBe('Confirm your new email address');
  expect(textOf(confirm.body)).toContain(`We emailed a security code to ${newEmail}`);
  expect(textOf(confirm.body)).toContain('Enter it within 30 minutes. Your email address does not change until you do.');
  expect((await userRow(u.username)).email).toBe(u.email);
  const profile = textOf((await agent.request(`${t.url}/profile`)).body);
  expect(profile).toContain(`Email ${u.email}`);
  expect(profile).toContain(`Your email address will change to ${newEmail} once you enter the code we sent there.`);

  const code = await codeSentTo(newEmail);
  expect(t.mail.messages().filter((m) => m.to.includes(u.email))).toHaveLength(0); // the code goes only to the new address

  const wrong = await fillIn(agent, '/profile/email', { code: otherThan(code) });
  expect(wrong.status).toBe(400);
  expect(textOf(wrong.body)).toContain('The code you entered is not correct.');
  expect((await userRow(u.username)).email).toBe(u.email);

  const done = await fillIn(agent, '/profile/email', { code });
  expect(done.status).toBe(200);
  expect(heading(done)).toBe('Your email address has been changed');
  expect(textOf(done.body)).toContain(`Your email address is now ${newEmail}`);
  const row = await userRow(u.username);
  expect(row.email).toBe(newEmail);
  expect(textOf((await agent.request(`${t.url}/profile`)).body)).toContain(`Email ${newEmail}`);

  const notice = await t.mail.waitFor((m) => m.to.includes(u.email));
  expect(notice.subject).toBe('Your HHS Enterprise Portal email address was changed');
  expect(notice.text).toContain('was changed to n***@example.net');
  expect(notice.text).toContain('If you did not make this change, contact Customer Support at once');
  expect(notice.text).not.toContain(code);
  expect(notice.text).not.toMatch(/\b\d{6}\b/);

  // Single use: the same code a second time changes nothing and says so.
  const again = await agent.follow(`${t.url}/profile/email`, { form: { csrf: parseForm(confirm.body, confirm.url).fields.csrf!, flow: parseForm(confirm.body, confirm.url).fields.flow!, code } });
  expect(again.response.status).toBe(410);
  expect(textOf(again.response.body)).toContain('This code has expired or was replaced by a newer one.');

  const actions = (await auditActions(row.id)).map((a) => a.action);
  expect(actions).toEqual(expect.arrayContaining(['profile.email_change_requested', 'profile.email_change_failure', 'profile.email_change']));
});

test('an expired code is refused at 30 minutes and the email stays as it was', async () => {
  const u = await newUser();
  const agent = await signedIn(u.username);
  const newEmail = `late-${u.username}@example.net`;
  await fillIn(agent, '/profile/edit', { email: newEmail });
  const code = await codeSentTo(newEmail);

  // The person stays active (the SSO session slides) while the code's 30 minutes run out.
  for (const step of [10, 10, 9]) {
    clock.advance(step * minute);
    expect(heading(await agent.request(`${t.url}/profile/email`))).toBe('Confirm your new email address');
  }
  const page = await agent.request(`${t.url}/profile/email`);
  clock.advance(2 * minute);
  const form = parseForm(page.body, page.url);
  const late = (await agent.follow(form.action, { form: { ...form.fields, code } })).response;
  expect(late.status).toBe(410);
  expect(heading(late)).toBe('Your email address was not changed');
  expect(textOf(late.body)).toContain('This code has expired');
  expect((await userRow(u.username)).email).toBe(u.email);
});

test('after the allowed number of wrong codes the change is abandoned, even for the right code', async () => {
  const u = await newUser();
  const agent = await signedIn(u.username);
  const newEmail = `guess-${u.username}@example.net`;
  await fillIn(agent, '/profile/edit', { email: newEmail });
  const code = await codeSentTo(newEmail);
  const page = await agent.request(`${t.url}/profile/email`);
  const form = parseForm(page.body, page.url);

  const tries = t.config.recovery.codeMaxAttempts;
  for (let i = 1; i < tries; i++) {
    const wrong = (await agent.follow(form.action, { form: { ...form.fields, code: otherThan(code) } })).response;
    expect(textOf(wrong.body)).toContain('The code you entered is not correct.');
  }
  const last = (await agent.follow(form.action, { form: { ...form.fields, code: otherThan(code) } })).response;
  expect(last.status).toBe(429);
  expect(textOf(last.body)).toContain('Too many unsuccessful attempts. Your email address was not changed.');
  const right = (await agent.follow(form.action, { form: { ...form.fields, code } })).response;
  expect(right.status).toBe(410);
  expect((await userRow(u.username)).email).toBe(u.email);
});

test('bad input and a missing or forged CSRF token are refused with a clear message, and nothing is written', async () => {
  const u = await newUser({ phone: '512-555-0102' });
  const agent = await signedIn(u.username);
  const before = await userRow(u.username);
  const mailsBefore = t.mail.messages().length;

  const badEmail = await fillIn(agent, '/profile/edit', { name: 'Changed Name', email: 'not-an-address' });
  expect(badEmail.status).toBe(400);
  expect(heading(badEmail)).toBe('Edit Profile');
  expect(textOf(badEmail.body)).toContain('Enter a valid email address, such as name@example.org');
  expect(badEmail.body).toContain('value="not-an-address"'); // what the person typed, to correct

  const longPhone = await fillIn(agent, '/profile/edit', { name: 'Changed Name', phone: '5'.repeat(41) });
  expect(longPhone.status).toBe(400);
  expect(textOf(longPhone.body)).toContain('Enter a phone number of 7 to 40 characters');

  const both = await fillIn(agent, '/profile/edit', { name: '', email: 'x@', phone: 'call me' });
  expect(both.status).toBe(400);
  const problems = [...both.body.matchAll(/<li id="form-error-\d+">([^<]+)<\/li>/g)].map((m) => m[1]);
  expect(problems).toEqual([
    'Enter your name.',
    'Enter a valid email address, such as name@example.org (at most 254 characters).',
    'Enter a phone number of 7 to 40 characters using only digits, spaces and + ( ) . -, or leave it empty.',
  ]);

  const edit = await agent.request(`${t.url}/profile/edit`);
  const { csrf: _csrf, ...withoutCsrf } = parseForm(edit.body, edit.url).fields;
  const missing = await agent.request(`${t.url}/profile`, { form: { ...withoutCsrf, name: 'Changed Name', email: `csrf-${u.email}` } });
  expect(missing.status).toBe(403);
  expect(textOf(missing.body)).toContain('Your form expired or came from another site. Please try again.');
  const forged = await agent.request(`${t.url}/profile`, { form: { ...withoutCsrf, csrf: 'forged', name: 'Changed Name' } });
  expect(forged.status).toBe(403);
  // Another person's valid token is not this person's.
  const other = await signedIn((await newUser()).username);
  const otherToken = parseForm((await other.request(`${t.url}/profile/edit`)).body, t.url).fields.csrf!;
  const crossed = await agent.request(`${t.url}/profile`, { form: { ...withoutCsrf, csrf: otherToken, name: 'Changed Name' } });
  expect(crossed.status).toBe(403);
  const pwNoCsrf = await agent.request(`${t.url}/profile/password`, { form: { current_password: password, new_password: newPassword, confirm_password: newPassword } });
  expect(pwNoCsrf.status).toBe(403);
  expect(textOf(pwNoCsrf.body)).toContain('Your form expired or came from another site.');

  const after = await userRow(u.username);
  expect([after.name, after.email, after.phone, after.password_hash, after.updated_at]).toEqual([before.name, before.email, before.phone, before.password_hash, before.updated_at]);
  expect(await t.db('flows').where({ user_id: before.id, kind: 'email_change' })).toHaveLength(0);
  expect(t.mail.messages().length).toBe(mailsBefore);
  expect((await auditActions(before.id)).map((a) => a.action)).not.toContain('profile.update');
});

test('Change Password refuses a wrong current password (audited, never a lock) and a new one that breaks the rules', async () => {
  const u = await newUser();
  const agent = await signedIn(u.username);
  const before = await userRow(u.username);

  const page = await agent.request(`${t.url}/profile/password`);
  expect(heading(page)).toBe('Change Password');
  expect(textOf(page.body)).toMatch(/Current Password New Password Confirm Password Your password must have: At least 8 characters/i);

  // More wrong guesses than the sign-in lock allows (3 + 3): refused each time, never locked.
  for (let i = 0; i < 7; i++) {
    const wrong = await fillIn(agent, '/profile/password', { current_password: `Wrong-Guess-${i}!`, new_password: newPassword, confirm_password: newPassword });
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.body)).toContain('Your current password is not correct.');
  }
  const broken = await fillIn(agent, '/profile/password', { current_password: password, new_password: `${u.username}-Aa1!xyz`, confirm_password: `${u.username}-Aa1!xyz` });
  expect(broken.status).toBe(400);
  expect(heading(broken)).toBe('Change Password');
  expect(textOf(broken.body)).toContain('Your new password must not contain your username.');
  const reused = await fillIn(agent, '/profile/password', { current_password: password, new_password: password, confirm_password: password });
  expect(reused.status).toBe(400);
  expect(textOf(reused.body)).toContain('Your new password must not be one of your last 6 passwords.');
  expect((await userRow(u.username)).password_hash).toBe(before.password_hash);

  const refusals = (await auditActions(before.id)).filter((a) => a.action === 'password.change_refused').map((a) => JSON.parse(a.details).reason);
  expect(refusals.filter((r) => r === 'wrong_current_password')).toHaveLength(7);
  // Still able to sign in with the password, and without a CAPTCHA.
  const fresh = new HttpAgent(t.url);
  const login = await fresh.follow(`${t.url}/login`);
  const home = await fresh.completeSteps(await fresh.submitSignIn(login.response, u.username, password));
  expect(heading(home.response)).toBe('HHS Enterprise Portal');
});

test('a password change ends the person\'s other sessions (with back-channel logout to the app) and this one continues', async () => {
  const u = await newUser();
  const authUrl = () => oidc.buildAuthorizationUrl(app, { redirect_uri: `${appUrl}/callback`, scope: 'openid', code_challenge: 'p'.repeat(43), code_challenge_method: 'S256' }).href;
  // Two browsers, each signed in to the app through the portal.
  const here = new HttpAgent(t.url);
  expect(await here.signIn(authUrl(), u.username, password)).toMatch(/callback\?code=/);
  const elsewhere = new HttpAgent(t.url);
  expect(await elsewhere.signIn(authUrl(), u.username, password)).toMatch(/callback\?code=/);
  expect(heading(await elsewhere.request(`${t.url}/profile`))).toBe('My Profile');
  const delivered = receiver.received.length;

  const done = await fillIn(here, '/profile/password', { current_password: password, new_password: newPassword, confirm_password: newPassword });
  expect(done.status).toBe(200);
  expect(heading(done)).toBe('Your password has been changed');
  expect(textOf(done.body)).toContain('You were signed out everywhere else you were signed in');

  // This browser carries on; the other is asked to sign in again, and only the new password works.
  expect(heading(await here.request(`${t.url}/profile`))).toBe('My Profile');
  const gone = await elsewhere.request(`${t.url}/profile`);
  expect(gone.status).toBe(303);
  expect(gone.location).toBe(`${t.url}/login`);
  const again = await elsewhere.follow(authUrl());
  expect(again.leftPortalTo).toBeUndefined();
  expect(again.response.body).toContain('name="password"');
  const old = await elsewhere.submitSignIn(again.response, u.username, password);
  expect(old.leftPortalTo).toBeUndefined();
  expect(textOf(old.response.body)).toContain('The username or password you entered is incorrect');

  // The app heard about the other session only.
  const user = await userRow(u.username);
  expect(receiver.received.length).toBe(delivered + 1);
  expect(decodeJwt(receiver.received.at(-1)!.logoutToken).sub).toBe(user.id);

  const actions = (await auditActions(user.id)).map((a) => a.action);
  expect(actions).toEqual(expect.arrayContaining(['password.change', 'sessions.ended']));
  const fresh = await signedIn(u.username, newPassword);
  expect(heading(await fresh.request(`${t.url}/profile`))).toBe('My Profile');
});
