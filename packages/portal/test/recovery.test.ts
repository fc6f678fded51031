import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startTestPortal, startBackchannelReceiver, HttpAgent, parseForm, textOf, type TestPortal, type AgentResponse } from '../src/testing/index.js';
import { createTestClock } from '../src/libraries/clock.js';

/**
 * Forgot Password (SPEC §3.6) as a person meets it, with real SMTP and an injected clock:
 * codes that expire at 30 minutes, single use, newest only, five tries; once a day; and an
 * unknown username that walks exactly the same pages.
 */
const password = 'Correct-Horse-9!';
const appUrl = 'http://127.0.0.1:3996';
const minute = 60_000;
const clock = createTestClock();

let t: TestPortal;
let receiver: Awaited<ReturnType<typeof startBackchannelReceiver>>;
let app: oidc.Configuration;
let appClientId: string;

beforeAll(async () => {
  receiver = await startBackchannelReceiver();
  t = await startTestPortal({ clock, env: { BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: receiver.url } });
  const c = await t.directory.createClient({ name: 'ImmTrac2', redirectUris: [`${appUrl}/callback`], backchannelLogoutUri: `${receiver.url}/bcl` });
  appClientId = c.client_id;
  app = await oidc.discovery(new URL(t.url), c.client_id, c.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
});

afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

let userCount = 0;
/** A user who has signed in once: AUA accepted and security questions set ("answer 1…3"). */
async function readyUser(): Promise<{ username: string; email: string }> {
  const username = `person${++userCount}`;
  const email = `${username}@example.org`;
  await t.directory.createUser({ username, email, password, name: `Person ${userCount}` });
  await signIn(new HttpAgent(t.url), username, password);
  return { username, email };
}

function authUrl() {
  return oidc.buildAuthorizationUrl(app, { redirect_uri: `${appUrl}/callback`, scope: 'openid', code_challenge: 'f'.repeat(43), code_challenge_method: 'S256' }).href;
}

async function signIn(agent: HttpAgent, username: string, pw: string) {
  return agent.signIn(authUrl(), username, pw);
}

/** One person in the Forgot Password pages. */
class Resetter {
  readonly agent = new HttpAgent(t.url);
  page!: AgentResponse;

  async open(path = '/forgot-password') {
    this.page = (await this.agent.follow(`${t.url}${path}`)).response;
    return this;
  }

  async submit(fields: Record<string, string>) {
    const form = parseForm(this.page.body, this.page.url);
    this.page = (await this.agent.follow(form.action, { form: { ...form.fields, ...fields } })).response;
    return this.page;
  }

  text() {
    return textOf(this.page.body);
  }

  /** The question shown on the page ("What was…?"). */
  question() {
    const label = /<label class="usa-label" for="answer">([^<]+)<\/label>/.exec(this.page.body)?.[1];
    return label === undefined ? undefined : textOf(label); // as read: entities decoded
  }

  /** Username → answer → email method: stops on the code page. */
  async toCodePage(username: string, answer = 'answer 1') {
    await this.open();
    await this.submit({ username });
    await this.submit({ answer: answerFor(this.question()!, answer) });
    await this.submit({ method: 'email' });
    expect(this.text()).toContain('Enter Your Security Code');
    return this;
  }
}

// The agent answers security questions in catalogue order with "answer 1", "answer 2", "answer 3".
const catalogueOrder = ['What was the name of your first pet?', 'What was the name of the street you lived on as a child?', 'What was the first name of your best friend as a child?'];
function answerFor(question: string, fallback: string) {
  const i = catalogueOrder.indexOf(textOf(question));
  return i >= 0 ? `Answer ${i + 1}` : fallback;
}

/** The code in the newest mail to `email`, as the person would type it. */
async function codeFor(email: string): Promise<string> {
  await t.mail.waitFor((m) => m.to.includes(email), 5000);
  const newest = t.mail.messages().find((m) => m.to.includes(email))!;
  return /^\s*(\d{6})\s*$/m.exec(newest.text)![1]!;
}

async function mailCount(email: string) {
  return t.mail.messages().filter((m) => m.to.includes(email)).length;
}

async function waitForMails(email: string, n: number) {
  await t.mail.waitFor(() => t.mail.messages().filter((m) => m.to.includes(email)).length >= n, 5000);
}

test('the emailed code arrives over SMTP, says when it expires, and resets the password', async () => {
  const { username, email } = await readyUser();
  const r = await new Resetter().toCodePage(username);
  await waitForMails(email, 1);
  const mail = t.mail.messages().find((m) => m.to.includes(email))!;
  expect(mail.subject).toBe('Your HHS Enterprise Portal security code');
  expect(mail.text).toMatch(/expires in 30 minutes/);
  const code = /^\s*(\d{6})\s*$/m.exec(mail.text)![1]!;

  await r.submit({ code });
  expect(r.text()).toContain('Choose a New Password');
  expect(r.text()).toContain('Not a commonly used password');
  await r.submit({ new_password: 'Blue-Heron-Lake-42!', confirm_password: 'Blue-Heron-Lake-42!' });
  expect(r.text()).toContain('Your Password Has Been Reset');

  await expect(signIn(new HttpAgent(t.url), username, 'Blue-Heron-Lake-42!')).resolves.toMatch(/callback\?code=/);
  await expect(signIn(new HttpAgent(t.url), username, password)).rejects.toThrow('The username or password you entered is incorrect');
  const actions = (await t.db('audit_events').where({ subject_user_id: (await t.portal.services.users.findByUsername(username))!.id }).pluck('action')) as string[];
  expect(actions).toEqual(expect.arrayContaining(['recovery.code_sent', 'recovery.verified', 'password.change', 'password.reset']));
  expect(JSON.stringify(await t.db('audit_events').select('details'))).not.toContain(code);
});

test('a code works at 29:59 and is refused at 30:01', async () => {
  const { username, email } = await readyUser();
  const r = await new Resetter().toCodePage(username);
  await waitForMails(email, 1);
  const code = await codeFor(email);
  clock.advance(30 * minute - 1000);
  await r.submit({ code });
  expect(r.text()).toContain('Choose a New Password');

  const { username: u2, email: e2 } = await readyUser();
  const late = await new Resetter().toCodePage(u2);
  await waitForMails(e2, 1);
  const code2 = await codeFor(e2);
  clock.advance(30 * minute + 1000);
  await late.submit({ code: code2 });
  expect(late.page.status).toBe(400);
  expect(late.text()).toContain('This code has expired. Request a new code.');
});

test('a used code, an older code and a sixth wrong try are refused', async () => {
  const { username, email } = await readyUser();
  const r = await new Resetter().toCodePage(username);
  await waitForMails(email, 1);
  const first = await codeFor(email);

  // A new code replaces the old one: only the newest works.
  await r.submit({}); // nothing typed
  expect(r.text()).toContain('Enter the security code from the email.');
  const resend = parseForm(r.page.body.slice(r.page.body.indexOf('/forgot-password/resend') - 60), r.page.url);
  r.page = (await r.agent.follow(resend.action, { form: resend.fields })).response;
  expect(r.text()).toContain('We sent a new code. Only the newest code works.');
  await waitForMails(email, 2);
  const second = await codeFor(email);
  expect(second).not.toBe(first);
  if (first !== second) {
    await r.submit({ code: first });
    expect(r.text()).toContain('The code you entered is not correct or is no longer valid.');
  }
  await r.submit({ code: second });
  expect(r.text()).toContain('Choose a New Password');

  // The same code again, in a new flow, is refused: it was used.
  const again = await new Resetter().toCodePage(username);
  await waitForMails(email, 3);
  await again.submit({ code: second });
  expect(again.text()).toContain('not correct or is no longer valid');

  // Five wrong tries end the flow; the sixth is refused even with the right code.
  const { username: u2, email: e2 } = await readyUser();
  const guesser = await new Resetter().toCodePage(u2);
  await waitForMails(e2, 1);
  const right = await codeFor(e2);
  const wrong = right === '000000' ? '111111' : '000000';
  const codeForm = parseForm(guesser.page.body, guesser.page.url);
  for (let i = 1; i <= 4; i++) {
    await guesser.submit({ code: wrong });
    expect(guesser.page.status).toBe(400);
  }
  await guesser.submit({ code: wrong });
  expect(guesser.page.status).toBe(429);
  expect(guesser.text()).toContain('Too many unsuccessful attempts: this code no longer works. Start again to get a new code');
  const sixth = await guesser.agent.request(codeForm.action, { form: { ...codeForm.fields, code: right } });
  expect(sixth.status).toBe(410);
  expect(textOf(sixth.body)).not.toContain('Choose a New Password');
});

test('a second reset within 24 hours is refused naming Customer Support; after 24 hours it is allowed', async () => {
  const { username, email } = await readyUser();
  const reset = async () => {
    const before = await mailCount(email);
    const r = await new Resetter().toCodePage(username);
    await waitForMails(email, before + 1);
    await r.submit({ code: await codeFor(email) });
    return r;
  };
  const first = await reset();
  await first.submit({ new_password: 'Blue-Heron-Lake-42!', confirm_password: 'Blue-Heron-Lake-42!' });
  expect(first.text()).toContain('Your Password Has Been Reset');

  clock.advance(24 * 60 * minute - minute); // 23:59 later
  const second = await reset();
  expect(second.text()).toContain('Password Not Reset');
  expect(second.text()).toContain('A password can be reset once a day.');
  expect(second.text()).toContain('800-348-9158');

  clock.advance(2 * minute); // 24:01 after the first
  const third = await reset();
  expect(third.text()).toContain('Choose a New Password');
});

test('an unknown username walks the same pages, with a stable plausible question, and never gets in', async () => {
  const { username } = await readyUser();
  const walk = async (name: string) => {
    const r = await new Resetter().open();
    const seen: string[] = [];
    const record = () => seen.push(`${r.page.status} ${r.text().replace(name, 'NAME')}`);
    await r.submit({ username: name });
    const question = r.question();
    record();
    await r.submit({ answer: 'wrong answer' });
    record();
    await r.submit({ method: 'email' });
    record();
    await r.submit({ code: '123456' });
    record();
    return { seen, question };
  };
  const known = await walk(username);
  const unknown = await walk('nobody-by-this-name');
  expect(unknown.seen.map((s) => s.replace(unknown.question!, 'Q'))).toEqual(known.seen.map((s) => s.replace(known.question!, 'Q')));
  // The same made-up question every time for the same unknown name.
  expect((await walk('nobody-by-this-name')).question).toBe(unknown.question);
});

test('a wrong first answer is not revealed early, and withholds the code', async () => {
  const { username, email } = await readyUser();
  const before = await mailCount(email);
  const r = await new Resetter().open();
  await r.submit({ username });
  await r.submit({ answer: 'certainly not it' });
  expect(r.text()).toContain('How do you want to reset your password?');
  await r.submit({ method: 'email' });
  expect(r.text()).toContain('If your username and answer match our records');
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await mailCount(email)).toBe(before);
});

test('answering all security questions resets without email', async () => {
  const { username } = await readyUser();
  const r = await new Resetter().open();
  await r.submit({ username });
  await r.submit({ answer: answerFor(r.question()!, '') });
  await r.submit({ method: 'questions' });
  expect(r.text()).toContain('Answer Your Security Questions');
  const labels = [...r.page.body.matchAll(/<label class="usa-label" for="answer_\d">([^<]+)<\/label>/g)].map((m) => textOf(m[1]!));
  expect(labels).toHaveLength(2);
  await r.submit({ answer_0: answerFor(labels[0]!, ''), answer_1: `  ${answerFor(labels[1]!, '').toUpperCase()}  ` });
  expect(r.text()).toContain('Choose a New Password');
});

test('a reset unlocks the account and ends every session, telling the apps by back-channel logout', async () => {
  const { username, email } = await readyUser();
  const user = (await t.portal.services.users.findByUsername(username))!;
  // Signed in to the app in one browser…
  const agent = new HttpAgent(t.url);
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(app, { redirect_uri: `${appUrl}/callback`, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 's' });
  const tokens = await oidc.authorizationCodeGrant(app, new URL(await agent.signIn(url.href, username, password)), { pkceCodeVerifier: verifier, expectedState: 's' });
  // …and locked out in another by six wrong passwords.
  await t.portal.services.signInCounters.reserveAttempt(username, clock.now());
  await t.portal.services.signInCounters.lock(username, clock.now());
  await expect(signIn(new HttpAgent(t.url), username, password)).rejects.toThrow();

  const before = receiver.received.length;
  const r = await new Resetter().toCodePage(username);
  await waitForMails(email, 1);
  await r.submit({ code: await codeFor(email) });
  await r.submit({ new_password: 'Blue-Heron-Lake-42!', confirm_password: 'Blue-Heron-Lake-42!' });
  expect(r.text()).toContain('Your Password Has Been Reset');

  const [delivered] = (await receiver.waitFor(before + 1)).slice(before);
  const { payload } = await jwtVerify(delivered!.logoutToken, createRemoteJWKSet(new URL(`${t.url}/jwks`)), { issuer: t.url, audience: appClientId });
  expect(payload.sub).toBe(user.id);
  await expect(oidc.refreshTokenGrant(app, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  // The old SSO session is gone: the app's next request asks for a password.
  expect((await agent.follow(authUrl())).leftPortalTo).toBeUndefined();
  // And the account is unlocked.
  expect(await t.portal.services.signInCounters.find(username)).toBeUndefined();
  await expect(signIn(new HttpAgent(t.url), username, 'Blue-Heron-Lake-42!')).resolves.toMatch(/callback\?code=/);
});

test('bad input on the Forgot Password forms changes nothing and says what is wrong', async () => {
  const { username } = await readyUser();
  const r = await new Resetter().open();
  const form = parseForm(r.page.body, r.page.url);

  // Missing username.
  await r.submit({ username: '' });
  expect(r.page.status).toBe(400);
  expect(r.text()).toContain('Enter your username.');
  // Overlong username.
  const long = await r.agent.request(form.action, { form: { ...form.fields, username: 'x'.repeat(5000) } });
  expect(long.status).toBe(400);
  expect(textOf(long.body)).toContain('The request was not understood.');
  // Wrong CSRF token.
  const forged = await r.agent.request(form.action, { form: { ...form.fields, csrf: 'forged', username } });
  expect(forged.status).toBe(403);
  // A flow id that is not this browser's.
  const other = await new Resetter().open();
  const stolen = await r.agent.request(form.action, { form: { ...parseForm(other.page.body, other.page.url).fields, username } });
  expect(stolen.status).toBe(410);
  expect(textOf(stolen.body)).toContain('This page has expired. Please start again.');

  // A replayed step: the identify form submitted again after moving on.
  const fresh = await new Resetter().open();
  const identify = parseForm(fresh.page.body, fresh.page.url);
  await fresh.submit({ username });
  const replay = await fresh.agent.request(identify.action, { form: { ...identify.fields, username: 'someone-else' } });
  expect(replay.status).toBe(409);
  expect(textOf(replay.body)).toContain('This step was already completed.');
  expect(textOf(replay.body)).toContain(`Username: ${username}`);

  // An expired flow (over an hour).
  const slow = await new Resetter().open();
  clock.advance(61 * minute);
  await slow.submit({ username });
  expect(slow.page.status).toBe(410);
  expect(slow.text()).toContain('This page has expired.');

  // A bad new password: every broken rule named; nothing stored.
  const { username: u2, email: e2 } = await readyUser();
  const p = await new Resetter().toCodePage(u2);
  await waitForMails(e2, 1);
  await p.submit({ code: await codeFor(e2) });
  const hashBefore = (await t.portal.services.users.findByUsername(u2))!.password_hash;
  await p.submit({ new_password: `${u2}abc`, confirm_password: `${u2}abc` });
  expect(p.page.status).toBe(400);
  expect(p.text()).toContain('must contain an upper-case letter');
  expect(p.text()).toContain('must not contain your username');
  await p.submit({ new_password: 'Blue-Heron-Lake-42!', confirm_password: 'Blue-Heron-Lake-43!' });
  expect(p.text()).toContain('do not match');
  await p.submit({ new_password: password, confirm_password: password });
  expect(p.text()).toContain('must not be one of your last 6 passwords');
  expect((await t.portal.services.users.findByUsername(u2))!.password_hash).toBe(hashBefore);
});
