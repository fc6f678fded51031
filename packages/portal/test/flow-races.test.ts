import * as oidc from 'openid-client';
import type { Knex } from 'knex';
import { startPortalWithApp, type PortalWithApp } from '../src/testing/app-fixture.js';
import { HttpAgent, parseForm, textOf, type TestPortal, type AgentResponse } from '../src/testing/index.js';

/**
 * Flows under concurrency (issue #7): every step is a compare-and-set on the flow's state, and
 * every try at a secret is reserved before it is compared. Parallel requests — from one browser,
 * or spread over two portal instances on one PostgreSQL — cannot get more than five compares of an
 * emailed code, and a new password is applied only by the request that is told it won, with all of
 * a reset's consequences.
 */
const password = 'Correct-Horse-9!';
const appUrl = 'http://127.0.0.1:3993';
const onPostgres = /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? '');

let fixture: PortalWithApp;
let t: TestPortal;
let receiver: PortalWithApp['receiver'];
let app: oidc.Configuration;
/** Where requests go: both instances on PostgreSQL, one on SQLite (a single-file database). */
let instances: string[];
let compares = 0;

beforeAll(async () => {
  fixture = await startPortalWithApp({ appUrl });
  ({ t, receiver, app } = fixture);
  instances = [t.url];
  const portals = [t.portal];
  if (onPostgres) {
    const twin = await t.twin();
    instances.push(twin.url);
    portals.push(twin.portal);
  }
  // An instrumented verifier: counts every comparison of an emailed code, on every instance.
  for (const portal of portals) {
    const codes = portal.services.oneTimeCodes;
    const verify = codes.verify.bind(codes);
    codes.verify = (code: string, hash: string) => {
      compares++;
      return verify(code, hash);
    };
  }
});

afterAll(() => fixture?.close());

const authUrl = () =>
  oidc.buildAuthorizationUrl(app, { redirect_uri: `${appUrl}/callback`, scope: 'openid', code_challenge: 'f'.repeat(43), code_challenge_method: 'S256' }).href;

let n = 0;
/** A user who has signed in once (AUA and questions done) and so holds a session. */
async function readyUser(extra: { temporary?: boolean } = {}) {
  const username = `racer${++n}`;
  const email = `${username}@example.org`;
  const created = await t.directory.createUser({ username, email, name: `Racer ${n}`, ...(extra.temporary ? { temporary: true } : { password }) });
  if (!extra.temporary) await new HttpAgent(t.url).signIn(authUrl(), username, password);
  const user = (await t.portal.services.users.findByUsername(username))!;
  return { username, email, user, password: created.temporary_password ?? password };
}

interface Reply {
  status: number;
  text: string;
}

/** Posts `form` as the browser `agent` would, to one instance or the other (round robin). */
async function post(agent: HttpAgent, form: { action: string; fields: Record<string, string> }, fields: Record<string, string>, i: number): Promise<Reply> {
  const base = instances[i % instances.length]!;
  const res = await fetch(new URL(new URL(form.action).pathname, base), {
    method: 'POST',
    headers: { cookie: agent.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ ...form.fields, ...fields }),
    redirect: 'manual',
  });
  return { status: res.status, text: textOf(await res.text()) };
}

async function newestCode(email: string, subject = 'Your HHS Enterprise Portal security code'): Promise<string> {
  await t.mail.waitFor((m) => m.to.includes(email) && m.subject === subject, 5000);
  const mail = t.mail.messages().find((m) => m.to.includes(email) && m.subject === subject)!;
  return /^\s*(\d{6})\s*$/m.exec(mail.text)![1]!;
}

const catalogueOrder = ['What was the name of your first pet?', 'What was the name of the street you lived on as a child?', 'What was the first name of your best friend as a child?'];

/** Forgot Password up to the code page, as a person would: the agent holds the flow cookie. */
async function toCodePage(username: string) {
  const agent = new HttpAgent(t.url);
  let page: AgentResponse = (await agent.follow(`${t.url}/forgot-password`)).response;
  const submit = async (fields: Record<string, string>) => {
    const form = parseForm(page.body, page.url);
    page = (await agent.follow(form.action, { form: { ...form.fields, ...fields } })).response;
  };
  await submit({ username });
  const question = textOf(/<label class="usa-label" for="answer">([^<]+)<\/label>/.exec(page.body)![1]!);
  await submit({ answer: `Answer ${catalogueOrder.indexOf(question) + 1}` });
  await submit({ method: 'email' });
  expect(textOf(page.body)).toContain('Enter Your Security Code');
  return { agent, page, form: parseForm(page.body, page.url) };
}

const count = async (query: Knex.QueryBuilder) => Number(((await query.count({ n: '*' }).first()) as { n: number | string } | undefined)?.n ?? 0);
const historySize = (userId: string) => count(t.db('password_history').where({ user_id: userId }));
const sessionCount = (userId: string) => count(t.db('oidc_payloads').where({ model: 'Session', account_id: userId }));
const otherThan = (code: string) => (code === '000000' ? '111111' : '000000');
const auditCount = (action: string, userId: string) => count(t.db('audit_events').where({ action, subject_user_id: userId }));

test('20 parallel wrong codes get at most 5 compares; the right code afterwards is refused and says to start again', async () => {
  const { username, email, user } = await readyUser();
  const { agent, form } = await toCodePage(username);
  const right = await newestCode(email);

  compares = 0;
  const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => post(agent, form, { code: otherThan(right) }, i)));
  expect(compares).toBeLessThanOrEqual(5);
  expect(replies.filter((r) => r.status === 400)).toHaveLength(4); // tries 1–4 are told the code is wrong
  expect(replies.filter((r) => r.status === 429)).toHaveLength(16); // the fifth and every one after it: no tries left
  expect(replies.every((r) => !r.text.includes('Choose a New Password'))).toBe(true);

  const late = await post(agent, form, { code: right }, 0);
  expect(compares).toBeLessThanOrEqual(5);
  expect(late.status).toBe(429);
  expect(late.text).toContain('Too many unsuccessful attempts: this code no longer works. Start again to get a new code');
  expect(await auditCount('recovery.verified', user.id)).toBe(0);
});

test('the right code sent last of 20 simultaneous guesses is compared only if it is among the first five tries', async () => {
  const { username, email, user } = await readyUser();
  const { agent, form } = await toCodePage(username);
  const right = await newestCode(email);
  compares = 0;
  const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => post(agent, form, { code: i === 19 ? right : otherThan(right) }, i)));
  expect(compares).toBeLessThanOrEqual(5);
  const verified = await auditCount('recovery.verified', user.id);
  const failures = await auditCount('recovery.failure', user.id);
  // Nineteen wrong tries can never all be counted with the right one accepted in the same burst.
  expect(verified + Math.min(failures, 5)).toBeLessThanOrEqual(5);
  expect(replies.filter((r) => r.status === 303)).toHaveLength(verified);
});

test('two parallel "Choose a New Password" submits: one 200, one 409; the winner’s password is the one that works, reset once', async () => {
  const { username, email, user } = await readyUser();
  const { agent, page } = await toCodePage(username);
  let current = page;
  const codeForm = parseForm(current.body, current.url);
  current = (await agent.follow(codeForm.action, { form: { ...codeForm.fields, code: await newestCode(email) } })).response;
  expect(textOf(current.body)).toContain('Choose a New Password');
  const form = parseForm(current.body, current.url);

  const choices = ['Blue-Heron-Lake-42!', 'Red-Fox-Meadow-77!'];
  const historyBefore = await historySize(user.id);
  const replies = await Promise.all(choices.map((pw, i) => post(agent, form, { new_password: pw, confirm_password: pw }, i)));
  expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
  const winner = choices[replies.findIndex((r) => r.status === 200)]!;
  const loser = choices.find((c) => c !== winner)!;
  expect(replies.find((r) => r.status === 200)!.text).toContain('Your Password Has Been Reset');
  expect(replies.find((r) => r.status === 409)!.text).not.toContain('Your Password Has Been Reset');

  await expect(new HttpAgent(t.url).signIn(authUrl(), username, winner)).resolves.toMatch(/callback\?code=/);
  await expect(new HttpAgent(t.url).signIn(authUrl(), username, loser)).rejects.toThrow('The username or password you entered is incorrect');
  expect(await auditCount('password.reset', user.id)).toBe(1);
  expect(await auditCount('password.change', user.id)).toBe(1);
  expect(await historySize(user.id)).toBe(historyBefore + 1);
});

test('bursts of guesses and set-password posts never change the password without a 200, and a change brings all of a reset', async () => {
  const rounds = onPostgres ? 4 : 3;
  for (let round = 0; round < rounds; round++) {
    const { username, email, user } = await readyUser();
    // Locked, and signed in somewhere: a reset must unlock and end that session.
    await t.db('sign_in_counters').insert({ username_key: user.username_key, failures: 6, locked_at: Date.now(), updated_at: Date.now() });
    expect(await sessionCount(user.id)).toBe(1);
    const { agent, form } = await toCodePage(username);
    const right = await newestCode(email);
    const setForm = { action: form.action, fields: { ...form.fields, step: 'set_password' } };
    const chosen = `Burst-Round-${round}-Pass!`;

    const requests = [
      ...Array.from({ length: 8 }, () => (i: number) => post(agent, form, { code: otherThan(right) }, i)),
      (i: number) => post(agent, form, { code: right }, i),
      ...Array.from({ length: 8 }, () => (i: number) => post(agent, setForm, { new_password: chosen, confirm_password: chosen }, i)),
    ].sort(() => Math.random() - 0.5);
    const replies = await Promise.all(requests.map((send, i) => send(i)));

    const after = (await t.portal.services.users.findByUsername(username))!;
    const reset = replies.filter((r) => r.text.includes('Your Password Has Been Reset'));
    if (after.password_hash === user.password_hash) {
      expect(reset).toHaveLength(0);
      expect(await auditCount('password.reset', user.id)).toBe(0);
    } else {
      expect(reset).toHaveLength(1);
      expect(reset[0]!.status).toBe(200);
      expect(await auditCount('password.reset', user.id)).toBe(1);
      expect(await t.db('sign_in_counters').where({ username_key: user.username_key }).first()).toBeUndefined();
      expect(await sessionCount(user.id)).toBe(0);
      expect(await t.db('pending_session_ends').where({ user_id: user.id })).toHaveLength(0);
    }
  }
});

test('the email-change code: at most 5 compares under a burst, and two right codes at once change the address once', async () => {
  const { username, email, user } = await readyUser();
  const agent = new HttpAgent(t.url);
  const login = await agent.follow(`${t.url}/login`);
  await agent.completeSteps(await agent.submitSignIn(login.response, username, password));
  const subject = 'Confirm your new HHS Enterprise Portal email address';
  const request = async (to: string) => {
    const edit = await agent.request(`${t.url}/profile/edit`);
    const form = parseForm(edit.body, edit.url);
    const confirm = (await agent.follow(form.action, { form: { ...form.fields, email: to } })).response;
    expect(textOf(confirm.body)).toContain(`We emailed a security code to ${to}`);
    return { form: parseForm(confirm.body, confirm.url), code: await newestCode(to, subject) };
  };

  const first = await request(`burst-${username}@example.org`);
  compares = 0;
  const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => post(agent, first.form, { code: otherThan(first.code) }, i)));
  expect(compares).toBeLessThanOrEqual(5);
  expect(burst.filter((r) => r.status === 400)).toHaveLength(4);
  const late = await post(agent, first.form, { code: first.code }, 0);
  expect(late.text).not.toContain('Your email address has been changed');
  expect((await t.portal.services.users.findById(user.id))!.email).toBe(email);

  const second = await request(`twice-${username}@example.org`);
  const replies = await Promise.all([0, 1].map((i) => post(agent, second.form, { code: second.code }, i)));
  expect(replies.filter((r) => r.text.includes('Your email address has been changed'))).toHaveLength(1);
  expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
  expect((await t.portal.services.users.findById(user.id))!.email).toBe(`twice-${username}@example.org`);
  expect(await auditCount('profile.email_change', user.id)).toBe(1);
});

test('the sign-in’s new-password step: two parallel submits, one moves on, the other gets 409 and changed nothing', async () => {
  const { username, user, password: temporary } = await readyUser({ temporary: true });
  const agent = new HttpAgent(t.url);
  const start = await agent.follow(authUrl());
  const step = await agent.submitSignIn(start.response, username, temporary);
  expect(textOf(step.response.body)).toContain('You signed in with a temporary password.');
  const form = parseForm(step.response.body, step.response.url);

  const choices = ['Blue-Heron-Lake-42!', 'Red-Fox-Meadow-77!'];
  const replies = await Promise.all(choices.map((pw, i) => post(agent, form, { new_password: pw, confirm_password: pw }, i)));
  expect(replies.map((r) => r.status).sort()).toEqual([303, 409]);
  const winner = choices[replies.findIndex((r) => r.status === 303)]!;
  const loser = choices.find((c) => c !== winner)!;
  expect(await auditCount('password.change', user.id)).toBe(1);
  const after = (await t.portal.services.users.findById(user.id))!;
  expect(after.password_temporary).toBe(false);
  expect(await t.portal.services.passwords.verify(after.password_hash, winner)).toBe(true);
  expect(await t.portal.services.passwords.verify(after.password_hash, loser)).toBe(false);
});

test('a reset whose process stopped before ending the sessions is finished by the sweeper; later sessions are kept', async () => {
  const { username, user } = await readyUser();
  // The commit happened (the durable request is there) but the process died before carrying it out.
  const requestedAt = Date.now() - 2 * 60_000;
  await t.db('oidc_payloads').where({ model: 'Session', account_id: user.id }).update({ created_at: requestedAt - 60_000 });
  await t.db('pending_session_ends').insert({ user_id: user.id, reason: 'password_reset', requested_at: requestedAt, keep_session_id: null });
  // The person has since signed in again: that session began after the reset and must survive.
  await new HttpAgent(t.url).signIn(authUrl(), username, password);
  expect(await sessionCount(user.id)).toBe(2);
  const before = receiver.received.length;

  await t.portal.sweep();
  expect(await sessionCount(user.id)).toBe(1);
  expect(await t.db('pending_session_ends').where({ user_id: user.id })).toHaveLength(0);
  expect((await receiver.waitFor(before + 1)).length).toBeGreaterThan(before);
});
