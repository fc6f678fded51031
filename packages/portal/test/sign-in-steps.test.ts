import * as oidc from 'openid-client';
import { startTestPortal, HttpAgent, parseForm, textOf, type TestPortal, type AgentResponse } from '../src/testing/index.js';
import { createTestClock } from '../src/libraries/clock.js';

/**
 * What a person owes after the password and before anything else (SPEC §3.3–§3.5): a new password
 * when it expired (day 90) or was temporary, the expiry warning (from day 76), the Acceptable Use
 * Agreement (new version, or 365 days), and three security questions.
 */
const password = 'Correct-Horse-9!';
const appUrl = 'http://127.0.0.1:3995';
const day = 24 * 3600_000;
const clock = createTestClock();

let t: TestPortal;
let app: oidc.Configuration;
let n = 0;

beforeAll(async () => {
  t = await startTestPortal({ clock });
  const c = await t.directory.createClient({ name: 'ImmTrac2', redirectUris: [`${appUrl}/callback`] });
  app = await oidc.discovery(new URL(t.url), c.client_id, c.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
});

afterAll(() => t?.close());

/** Opens the app's sign-in in a fresh browser and submits the password; returns the first page after. */
async function passwordStep(username: string, pw = password) {
  const agent = new HttpAgent(t.url);
  const url = oidc.buildAuthorizationUrl(app, { redirect_uri: `${appUrl}/callback`, scope: 'openid', code_challenge: 'g'.repeat(43), code_challenge_method: 'S256' });
  const { response } = await agent.follow(url.href);
  return { agent, after: await agent.submitSignIn(response, username, pw) };
}

async function submit(agent: HttpAgent, page: AgentResponse, fields: Record<string, string>) {
  const form = parseForm(page.body, page.url);
  return agent.follow(form.action, { form: { ...form.fields, ...fields } });
}

const heading = (page: AgentResponse) => /<h1[^>]*>([^<]+)<\/h1>/.exec(page.body)?.[1];

async function newUser(extra: { temporary?: boolean } = {}) {
  const username = `user${++n}`;
  const created = await t.directory.createUser({ username, email: `${username}@example.org`, ...(extra.temporary ? { temporary: true } : { password }) });
  return { username, password: created.temporary_password ?? password };
}

/** Signs in once so the AUA and questions are done; the person is then "ready". */
async function readyUser() {
  const u = await newUser();
  const { agent, after } = await passwordStep(u.username);
  expect((await agent.completeSteps(after)).leftPortalTo).toMatch(/callback\?code=/);
  return u;
}

test('a first sign-in asks for the AUA, then three security questions, then reaches the app', async () => {
  const { username } = await newUser();
  const { agent, after } = await passwordStep(username);
  expect(heading(after.response)).toBe('HHS Acceptable Use Agreement');
  expect(after.response.body).toContain('>I Agree</button>');
  expect(after.response.body).toContain('>Decline</button>');

  const questions = await submit(agent, after.response, { choice: 'agree' });
  expect(heading(questions.response)).toBe('Set Up Your Security Questions');
  const user = (await t.portal.services.users.findByUsername(username))!;
  const acceptance = await t.db('aua_acceptances').where({ user_id: user.id }).first();
  expect(acceptance).toMatchObject({ version: '2026-01', ip: '127.0.0.1' });

  // The same question twice, and an empty answer, are refused with clear messages; nothing stored.
  const bad = await submit(agent, questions.response, { question_0: 'first-pet', answer_0: 'Rex', question_1: 'first-pet', answer_1: 'Rex', question_2: 'first-car', answer_2: ' ' });
  expect(bad.response.status).toBe(400);
  expect(textOf(bad.response.body)).toContain('Choose a different question for each of the three.');
  expect(await t.db('security_answers').where({ user_id: user.id })).toHaveLength(0);

  const done = await submit(agent, bad.response, {
    question_0: 'first-pet', answer_0: '  Rex  ', question_1: 'first-car', answer_1: 'Ford Pinto', question_2: 'favorite-teacher', answer_2: 'Smith',
  });
  expect(done.leftPortalTo).toMatch(/callback\?code=/);
  const stored = await t.db('security_answers').where({ user_id: user.id });
  expect(stored.map((a) => a.question_id).sort()).toEqual(['favorite-teacher', 'first-car', 'first-pet']);
  expect(JSON.stringify(stored)).not.toMatch(/rex|pinto|smith/i); // hashed, never in clear

  // The next sign-in goes straight to the app.
  const again = await passwordStep(username);
  expect(again.after.leftPortalTo).toMatch(/callback\?code=/);
});

test('declining the AUA signs the person out and reaches no app', async () => {
  const { username } = await newUser();
  const { agent, after } = await passwordStep(username);
  const declined = await submit(agent, after.response, { choice: 'decline' });
  expect(declined.leftPortalTo).toBeUndefined();
  expect(heading(declined.response)).toBe('You have signed out');
  // Not a dead end: the way back in is on the page.
  expect(declined.response.body).toContain('<a class="usa-button" href="/login">Sign In</a>');
  expect(await t.db('audit_events').where({ action: 'aua.decline' })).toHaveLength(1);
  // No SSO session was created: the next visit asks for the password again.
  const url = oidc.buildAuthorizationUrl(app, { redirect_uri: `${appUrl}/callback`, scope: 'openid', code_challenge: 'h'.repeat(43), code_challenge_method: 'S256' });
  expect((await agent.follow(url.href)).response.body).toContain('<h1 id="signin-title">Sign In</h1>');
});

test('the AUA is asked again after a new version and after 365 days', async () => {
  const { username } = await readyUser();
  await t.portal.services.aua.publish('2026-02', 'HHS Acceptable Use Agreement\n\nA revised text.');
  let step = await passwordStep(username);
  expect(heading(step.after.response)).toBe('HHS Acceptable Use Agreement');
  expect(textOf(step.after.response.body)).toContain('A revised text.');
  expect((await submit(step.agent, step.after.response, { choice: 'agree' })).leftPortalTo).toMatch(/callback/);

  // (The password is kept fresh so only the AUA's age is in play.)
  const keepPasswordFresh = () => t.db('users').where({ username }).update({ password_changed_at: clock.now() });
  clock.advance(364 * day);
  await keepPasswordFresh();
  step = await passwordStep(username);
  expect(step.after.leftPortalTo).toMatch(/callback/);

  clock.advance(1 * day);
  await keepPasswordFresh();
  step = await passwordStep(username);
  expect(heading(step.after.response)).toBe('HHS Acceptable Use Agreement');
});

test('an AUA form for an older version is not taken as accepting the new one', async () => {
  const { username } = await readyUser();
  await t.portal.services.aua.publish('2026-03', 'HHS Acceptable Use Agreement\n\nThird text.');
  const step = await passwordStep(username);
  const stale = await submit(step.agent, step.after.response, { choice: 'agree', version: '2026-02' });
  expect(stale.response.status).toBe(409);
  expect(stale.leftPortalTo).toBeUndefined();
});

test('the password expiry warning shows from day 76, and at day 90 a new password is required first', async () => {
  const { username } = await readyUser();
  clock.advance(75 * day);
  expect((await passwordStep(username)).after.leftPortalTo).toMatch(/callback/);

  clock.advance(1 * day); // day 76: 14 days left
  let step = await passwordStep(username);
  expect(heading(step.after.response)).toBe('Your Password Expires Soon');
  expect(textOf(step.after.response.body)).toContain('Your password expires in 14 days.');
  expect((await submit(step.agent, step.after.response, { choice: 'later' })).leftPortalTo).toMatch(/callback/);

  clock.advance(14 * day); // day 90
  step = await passwordStep(username);
  expect(heading(step.after.response)).toBe('Change Your Password');
  expect(textOf(step.after.response.body)).toContain('Your password has expired.');
  expect(textOf(step.after.response.body)).toContain('Not one of your last 6 passwords');

  const reused = await submit(step.agent, step.after.response, { new_password: password, confirm_password: password });
  expect(reused.response.status).toBe(400);
  expect(textOf(reused.response.body)).toContain('must not be one of your last 6 passwords');
  const changed = await submit(step.agent, reused.response, { new_password: 'Blue-Heron-Lake-42!', confirm_password: 'Blue-Heron-Lake-42!' });
  expect(changed.leftPortalTo).toMatch(/callback/);
  expect((await passwordStep(username, 'Blue-Heron-Lake-42!')).after.leftPortalTo).toMatch(/callback/);
});

test('"Change Password" on the warning leads to the change, before the AUA', async () => {
  const { username } = await readyUser();
  clock.advance(80 * day);
  await t.portal.services.aua.publish('2026-04', 'HHS Acceptable Use Agreement\n\nFourth text.');
  const step = await passwordStep(username);
  const change = await submit(step.agent, step.after.response, { choice: 'change' });
  expect(heading(change.response)).toBe('Change Your Password');
  const aua = await submit(step.agent, change.response, { new_password: 'Blue-Heron-Lake-42!', confirm_password: 'Blue-Heron-Lake-42!' });
  expect(heading(aua.response)).toBe('HHS Acceptable Use Agreement');
});

test('a temporary password must be changed at once', async () => {
  const { username, password: temporary } = await newUser({ temporary: true });
  const { agent, after } = await passwordStep(username, temporary);
  expect(heading(after.response)).toBe('Change Your Password');
  expect(textOf(after.response.body)).toContain('You signed in with a temporary password.');
  const weak = await submit(agent, after.response, { new_password: 'password', confirm_password: 'password' });
  expect(textOf(weak.response.body)).toContain('This password is too commonly used');
  const aua = await submit(agent, weak.response, { new_password: 'Blue-Heron-Lake-42!', confirm_password: 'Blue-Heron-Lake-42!' });
  expect(heading(aua.response)).toBe('HHS Acceptable Use Agreement');
  expect((await t.portal.services.users.findByUsername(username))!.password_temporary).toBe(false);
});

test('a step form with a forged token or another flow id changes nothing', async () => {
  const { username } = await newUser();
  const { agent, after } = await passwordStep(username);
  const forged = await submit(agent, after.response, { choice: 'agree', csrf: 'forged' });
  expect(forged.response.status).toBe(403);
  const other = await submit(agent, after.response, { choice: 'agree', flow: 'not-the-flow' });
  expect(other.response.status).toBe(410);
  const user = (await t.portal.services.users.findByUsername(username))!;
  expect(await t.db('aua_acceptances').where({ user_id: user.id })).toHaveLength(0);
});

test('My Profile → Change Security Questions needs the current password, then says they were updated', async () => {
  const { username } = await readyUser();
  const agent = new HttpAgent(t.url);
  const login = await agent.follow(`${t.url}/login`);
  const home = await agent.completeSteps(await agent.submitSignIn(login.response, username, password));
  expect(heading(home.response)).toBe('HHS Enterprise Portal');
  expect(textOf(home.response.body)).toContain(`Welcome, ${username}.`);

  const page = await agent.request(`${t.url}/account/security-questions`);
  expect(heading(page)).toBe('Change Security Questions');
  const fields = { question_0: 'first-job-city', answer_0: 'Austin', question_1: 'childhood-hero', answer_1: 'My aunt', question_2: 'first-concert', answer_2: 'The Band' };
  const wrong = await submit(agent, page, { ...fields, current_password: 'not it' });
  expect(wrong.response.status).toBe(400);
  expect(textOf(wrong.response.body)).toContain('Your current password is not correct.');
  const user = (await t.portal.services.users.findByUsername(username))!;
  expect((await t.db('security_answers').where({ user_id: user.id }).pluck('question_id')).sort()).not.toContain('first-concert');

  const ok = await submit(agent, page, { ...fields, current_password: password });
  expect(heading(ok.response)).toBe('Your Security Questions Have Been Updated');
  expect(ok.response.body).toContain('>Close</a>');
  expect((await t.db('security_answers').where({ user_id: user.id }).pluck('question_id')).sort()).toEqual(['childhood-hero', 'first-concert', 'first-job-city']);

  // Not signed in: sent to sign in, nothing shown.
  const stranger = await new HttpAgent(t.url).request(`${t.url}/account/security-questions`);
  expect(stranger.status).toBe(303);
  expect(stranger.location).toBe(`${t.url}/login`);
});
