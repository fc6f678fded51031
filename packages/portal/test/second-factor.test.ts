import * as oidc from 'openid-client';
import { authenticator } from 'otplib';
import { createTestClock } from '../src/libraries/clock.js';
import { aal1, aal2 } from '../src/libraries/assurance.js';
import { HttpAgent, parseForm, startTestPortal, textOf, type AgentResponse, type TestPortal } from '../src/testing/index.js';

/**
 * Two-step verification with an authenticator app (issue #10), as a person with a phone, an
 * attacker with a stolen password, and an openid-client relying party see it. The clock is the
 * test's, so "the code shown now" and "a code from a minute ago" are exact.
 */
const password = 'Correct-Horse-9!';
const appUrl = 'http://127.0.0.1:3996';
const captchaText = 'K7PQX';
const clock = createTestClock();

let t: TestPortal;
let app: oidc.Configuration;

beforeAll(async () => {
  t = await startTestPortal({ clock, env: { MFA_REQUIRED_FOR_STAFF: 'true' }, captchaGenerator: () => ({ svg: '<svg xmlns="http://www.w3.org/2000/svg"/>', text: captchaText }) });
  await t.directory.createOrg({ code: 'PEDS01', iisId: '0000012345', name: 'Hill Country Pediatrics' });
  for (const username of ['pat', 'rae', 'sol', 'tam', 'uma', 'vic']) {
    await t.directory.createUser({ username, email: `${username}@example.org`, name: username.toUpperCase(), password, orgs: ['PEDS01:full_access_provider'] });
  }
  await t.directory.createUser({ username: 'desk', email: 'desk@example.org', password, role: 'helpdesk' });
  const c = await t.directory.createClient({ name: 'ImmTrac2', redirectUris: [`${appUrl}/callback`] });
  app = await oidc.discovery(new URL(t.url), c.client_id, c.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
});
afterAll(() => t?.close());

/** The code an authenticator app shows `offsetMs` from now. */
const codeFor = (secret: string, offsetMs = 0) => authenticator.clone({ epoch: clock.now() + offsetMs }).generate(secret);
/** A whole 30-second step later: the next code is a new one. */
const nextStep = () => clock.advance(30_000);

const keyOn = (page: AgentResponse) => /<code class="key" aria-label="Key">([A-Z2-7 ]+)<\/code>/.exec(page.body)![1]!.replace(/ /g, '');
const codesOn = (page: AgentResponse) => [...page.body.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1]!);
const isCodeStep = (page: AgentResponse) => page.body.includes('Two-Step Verification') && page.body.includes('name="code"');

async function authorize(agent: HttpAgent, extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(app, { redirect_uri: `${appUrl}/callback`, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra });
  return { verifier, start: await agent.follow(url.href) };
}

async function submitForm(agent: HttpAgent, page: AgentResponse, fields: Record<string, string>) {
  const form = parseForm(page.body, page.url);
  return agent.follow(form.action, { form: { ...form.fields, ...fields } });
}

/** Turns on two-step verification from My Profile, as the person does; returns the key and the recovery codes. */
async function enrolFromProfile(username: string): Promise<{ secret: string; codes: string[]; agent: HttpAgent }> {
  const agent = await new HttpAgent(t.url).signInToPortal(username, password);
  const status = await agent.follow(`${t.url}/profile/two-step`);
  expect(textOf(status.response.body)).toContain('Two-step verification is off');
  const offer = await submitForm(agent, status.response, {});
  const secret = keyOn(offer.response);
  expect(offer.response.body).toMatch(/<img class="qr" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
  const done = await submitForm(agent, offer.response, { code: codeFor(secret) });
  const codes = codesOn(done.response);
  expect(codes).toHaveLength(10);
  nextStep(); // the enrolment spent this step's code
  return { secret, codes, agent };
}

/** Password, then the code step: the page after the password. */
async function passwordStep(username: string, agent = new HttpAgent(t.url), extra: Record<string, string> = {}) {
  const { verifier, start } = await authorize(agent, extra);
  const after = await agent.submitSignIn(start.response, username, password);
  return { agent, verifier, page: after.response };
}

test('enrol from My Profile: QR code and key, a first code, ten recovery codes; then every sign-in asks for a code and the ID token says so', async () => {
  const { secret } = await enrolFromProfile('pat');
  const mail = await t.mail.waitFor((m) => m.to.includes('pat@example.org') && m.subject.includes('Two-step verification'));
  expect(mail.text).toContain('An authenticator app was set up');
  expect(mail.text).not.toContain(secret);

  const { agent, verifier, page } = await passwordStep('pat');
  expect(isCodeStep(page)).toBe(true);
  const done = await submitForm(agent, page, { code: codeFor(secret) });
  expect(done.leftPortalTo).toMatch(/code=/);
  const tokens = await oidc.authorizationCodeGrant(app, new URL(done.leftPortalTo!), { pkceCodeVerifier: verifier });
  expect(tokens.claims()).toMatchObject({ amr: ['pwd', 'otp'], acr: aal2 });
});

test('a code is good once, for its own step and the ones either side: a replayed code and a code from two steps ago are refused', async () => {
  const { secret } = await enrolFromProfile('rae');
  const first = await passwordStep('rae');
  const code = codeFor(secret);
  expect((await submitForm(first.agent, first.page, { code })).leftPortalTo).toMatch(/code=/);

  // The same code again, from another browser within its 30 seconds: refused.
  const replay = await passwordStep('rae');
  const replayed = await submitForm(replay.agent, replay.page, { code });
  expect(replayed.leftPortalTo).toBeUndefined();
  expect(replayed.response.status).toBe(401);
  expect(textOf(replayed.response.body)).toContain('That code is not correct');

  // Three steps on: the code of two steps ago (never used) is too old.
  nextStep();
  nextStep();
  nextStep();
  const late = await submitForm(replay.agent, replayed.response, { code: codeFor(secret, -60_000) });
  expect(late.leftPortalTo).toBeUndefined();
  expect(textOf(late.response.body)).toContain('That code is not correct');
  // One step behind (a phone a little slow) still works.
  const slow = await submitForm(replay.agent, late.response, { code: codeFor(secret, -30_000) });
  expect(slow.leftPortalTo).toMatch(/code=/);
  nextStep();
});

test('a recovery code works once, with or without its dash, in any case', async () => {
  const { codes } = await enrolFromProfile('sol');
  const first = await passwordStep('sol');
  expect((await submitForm(first.agent, first.page, { code: codes[0]!.toUpperCase().replace('-', '') })).leftPortalTo).toMatch(/code=/);
  const again = await passwordStep('sol');
  const refused = await submitForm(again.agent, again.page, { code: codes[0]! });
  expect(refused.leftPortalTo).toBeUndefined();
  expect(textOf(refused.response.body)).toContain('That code is not correct');
  const card = await t.portal.support.statusCard({ kind: 'operator' }, (await t.portal.services.users.findByUsername('sol'))!.id, {});
  expect(card.secondFactor).toMatchObject({ recoveryCodesLeft: 9 });
});

test('wrong codes count in the 3 + 3 lockout with wrong passwords: a right password does not reset it; the 4th try needs the CAPTCHA, the 6th locks', async () => {
  const { secret } = await enrolFromProfile('tam');
  // Two wrong passwords first.
  const agent = new HttpAgent(t.url);
  let { start } = await authorize(agent);
  let page = start.response;
  for (let i = 0; i < 2; i++) page = (await agent.submitSignIn(page, 'tam', 'wrong-password')).response;
  // The right password: the code step, and the count stands at two.
  page = (await agent.submitSignIn(page, 'tam', password)).response;
  expect(isCodeStep(page)).toBe(true);
  page = (await submitForm(agent, page, { code: '000000' })).response; // third failure
  expect(page.status).toBe(401);
  expect(page.body).toContain('name="captcha_id"');
  expect(textOf(page.body)).toContain('After 3 more unsuccessful attempts the account will be locked.');

  // "Get a new picture" on the code step (issue #13): the flow's own token, a new CAPTCHA, the old
  // one withdrawn (its recording gone), no try counted.
  const oldCaptcha = parseForm(page.body, page.url).fields.captcha_id!;
  const renew = parseForm(page.body.slice(page.body.indexOf('<form id="captcha-renew"')), page.url);
  expect(renew.fields).toEqual({ csrf: parseForm(page.body, page.url).fields.csrf, flow: parseForm(page.body, page.url).fields.flow, captcha_id: oldCaptcha });
  page = (await agent.follow(renew.action, { form: renew.fields })).response;
  expect(page.status).toBe(200);
  expect(isCodeStep(page)).toBe(true);
  expect(parseForm(page.body, page.url).fields.captcha_id).not.toBe(oldCaptcha);
  expect(textOf(page.body)).toContain('After 3 more unsuccessful attempts the account will be locked.');
  const uid = new URL(page.url).pathname.split('/')[2]!;
  const audioOf = (id: string) => fetch(`${t.url}/interaction/${uid}/captcha/${id}/audio`, { headers: { cookie: agent.cookieHeader() } });
  expect((await audioOf(parseForm(page.body, page.url).fields.captcha_id!)).status).toBe(200);
  expect((await audioOf(oldCaptcha)).status).toBe(404);
  expect(await t.db('sign_in_counters').where({ username_key: 'tam' }).first()).toMatchObject({ failures: 3 });

  // Without the CAPTCHA a right code is refused (and counted); with it, wrong codes go on counting.
  page = (await submitForm(agent, page, { code: codeFor(secret) })).response;
  expect(page.status).toBe(401);
  expect(textOf(page.body)).toContain('the security check was not completed');
  page = (await submitForm(agent, page, { code: '111111', captcha: captchaText.toLowerCase() })).response;
  expect(page.status).toBe(401);
  const locked = await submitForm(agent, page, { code: '222222', captcha: captchaText.toLowerCase() });
  expect(locked.response.status).toBe(200);
  expect(locked.response.url).toMatch(/\/forgot-password$/);
  expect(textOf(locked.response.body)).toContain('Your account is locked');

  // Locked means locked: the right password and a right code no longer get in.
  nextStep();
  ({ start } = await authorize(new HttpAgent(t.url)));
  const after = await new HttpAgent(t.url).submitSignIn(start.response, 'tam', password);
  expect(after.leftPortalTo).toBeUndefined();
  const counter = await t.db('sign_in_counters').where({ username_key: 'tam' }).first();
  expect(counter).toMatchObject({ failures: 6 });
  expect(counter.locked_at).not.toBeNull();
});

test('a help-desk account without a factor is sent to set one up and cannot reach the console until it has', async () => {
  const agent = new HttpAgent(t.url);
  const login = await agent.follow(`${t.url}/login`);
  const after = await agent.completeSteps(await agent.submitSignIn(login.response, 'desk', password));
  expect(textOf(after.response.body)).toContain('Your role requires two-step verification. Set up an authenticator app to continue.');
  // Walking away from the step: no session, no console.
  const console1 = await agent.request(`${t.url}/helpdesk`);
  expect(console1.status).toBe(303);
  expect(console1.headers.get('location')).toBe('/login');

  const secret = keyOn(after.response);
  const wrong = await submitForm(agent, after.response, { code: '123456' });
  expect(wrong.response.status).toBe(400);
  expect(textOf(wrong.response.body)).toContain('That code does not match');
  const codes = await submitForm(agent, wrong.response, { code: codeFor(secret) });
  expect(codesOn(codes.response)).toHaveLength(10);
  await agent.completeSteps(await submitForm(agent, codes.response, {}));
  expect((await agent.request(`${t.url}/helpdesk`)).status).toBe(200);
  nextStep();
});

test('a staff session signed in with a password alone is refused by the console library itself', async () => {
  const { consoleActor } = await import('../src/libraries/administration/actors.js');
  const desk = (await t.portal.services.users.findByUsername('desk'))!;
  expect(() => consoleActor(desk, { acr: aal1 }, { requiredForStaff: true }, ['helpdesk', 'admin'])).toThrow(expect.objectContaining({ code: 'mfa.staff_required', status: 403 }));
  expect(consoleActor(desk, { acr: aal2 }, { requiredForStaff: true }, ['helpdesk', 'admin'])).toMatchObject({ kind: 'person', role: 'helpdesk' });
});

test('an app asking acr_values=AAL2 of someone signed in with a password alone gets a step-up, not a new password', async () => {
  const agent = new HttpAgent(t.url);
  const plain = await authorize(agent);
  const first = await agent.completeSteps(await agent.submitSignIn(plain.start.response, 'uma', password));
  const tokens = await oidc.authorizationCodeGrant(app, new URL(first.leftPortalTo!), { pkceCodeVerifier: plain.verifier });
  expect(tokens.claims()).toMatchObject({ amr: ['pwd'], acr: aal1 });

  // The same browser, an app that wants more: asked to set up an app (uma has none), no password.
  const stepUp = await authorize(agent, { acr_values: aal2 });
  expect(stepUp.start.response.body).not.toContain('name="password"');
  const secret = keyOn(stepUp.start.response);
  const codes = await submitForm(agent, stepUp.start.response, { code: codeFor(secret) });
  const done = await submitForm(agent, codes.response, {});
  const stronger = await oidc.authorizationCodeGrant(app, new URL(done.leftPortalTo!), { pkceCodeVerifier: stepUp.verifier });
  expect(stronger.claims()).toMatchObject({ amr: ['pwd', 'otp'], acr: aal2 });
  nextStep();
});

test('My Profile turns it off only with the password and a current code; the help desk removes it with a reason, never seeing it', async () => {
  const { secret, agent } = await enrolFromProfile('vic');
  const status = await agent.follow(`${t.url}/profile/two-step`);
  expect(textOf(status.response.body)).toContain('Two-step verification is on');
  const removeForm = (body: string) => body.slice(body.indexOf('action="/profile/two-step/remove"') - 30);
  const refused = await submitForm(agent, { ...status.response, body: removeForm(status.response.body) }, { current_password: password, code: '000000' });
  expect(refused.response.status).toBe(400);
  expect(textOf(refused.response.body)).toContain('the password or the code is not correct');
  const off = await submitForm(agent, { ...status.response, body: removeForm(status.response.body) }, { current_password: password, code: codeFor(secret) });
  expect(textOf(off.response.body)).toContain('Two-step verification is off');
  nextStep();

  // Enrolled again; the help desk removes it (a lost phone). The card says what is set up, not the key.
  await enrolFromProfile('vic');
  const vic = (await t.portal.services.users.findByUsername('vic'))!;
  const desk = { kind: 'operator' } as const;
  const before = await t.portal.support.statusCard(desk, vic.id, {});
  expect(before.secondFactor.totp).not.toBeNull();
  expect(JSON.stringify(before)).not.toContain(secret);
  await expect(t.portal.support.removeSecondFactor(desk, vic.id, { code: 'other', text: 'lost phone', ticket: 'T-1' }, {})).resolves.toEqual({ removed: true });
  const mail = await t.mail.waitFor((m) => m.to.includes('vic@example.org') && m.text.includes('removed two-step verification'));
  expect(mail.subject).toContain('Customer Support');
  const next = await passwordStep('vic');
  expect(next.page.status).toBe(303);
  expect(isCodeStep(next.page)).toBe(false);
});
