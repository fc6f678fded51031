import * as oidc from 'openid-client';
import { authenticator } from 'otplib';
import { startPortalCluster, clusterPrerequisiteProblem, ClusterBrowser, parseForm, textOf, recordSecurityResult, type PortalCluster, type AgentResponse } from '../../src/testing/index.js';

/**
 * Lockout across instances (issue 14, part 3): two production portal processes behind HAProxy on
 * one database (PostgreSQL in CI's PostgreSQL pass; otherwise one SQLite file both open), and a burst of 50 parallel wrong secrets split between them. Whatever arrives at
 * once, only as many secrets are compared as the rule allows, and afterwards the right one is
 * refused too. Passwords (6 checks, then locked) are proven in ../scale-out.test.ts ("a burst of
 * parallel wrong passwords over both instances checks exactly 6 and locks"); here the two other
 * secrets a guesser could try: the emailed reset code (SPEC §3.6: at most 5 wrong tries) and the
 * authenticator code at sign-in (flows/sign-in/sign-in.ts: the same 3 + 3 as passwords, so 6).
 *
 * A compare is counted from the audit: every compared-and-wrong secret writes one row that names
 * its try (`recovery.failure` with `attempts`, `signin.failure`/`signin.locked` with reason
 * `wrong_code`); refusals without a compare carry another reason (`no_tries_left`, `locked`).
 */
const password = 'Correct-Horse-9!';
const redirectUri = 'http://127.0.0.1:3996/callback';
const burst = 50;

let c: PortalCluster;
let app: oidc.Configuration;

beforeAll(async () => {
  const problem = clusterPrerequisiteProblem();
  if (problem) throw new Error(`The lockout-across-instances test runs the production build: ${problem}`);
  c = await startPortalCluster({ env: { SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000', MFA_REQUIRED_FOR_STAFF: 'false' } });
  const client = await c.directory.createClient({ name: 'ImmTrac2', redirectUris: [redirectUri] });
  app = await oidc.discovery(new URL(c.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
}, 90_000);
afterAll(() => c?.stop());

const userId = async (username: string) => (await c.portal.services.users.findByUsername(username))!.id;
const detailsOf = (rows: { details: string | null }[]) => rows.map((r) => JSON.parse(r.details ?? '{}') as Record<string, unknown>);
const servedBy = (answers: AgentResponse[]) => new Set(answers.map((r) => r.headers.get('x-served-by')));

/** Six-digit codes that are not `right` (nor any of `avoid`): each one a real compare, never a lucky hit. */
function wrongCodes(n: number, avoid: string[]): string[] {
  const codes: string[] = [];
  for (let i = 0; codes.length < n; i++) {
    const code = String(100_000 + i * 7919).slice(-6);
    if (!avoid.includes(code) && !codes.includes(code)) codes.push(code);
  }
  return codes;
}

test(`reset codes: ${burst} parallel wrong codes over both instances compare exactly 5, then even the right code is refused`, async () => {
  const username = 'rhea';
  const email = 'rhea@example.org';
  // No security questions set: the first answer cannot be checked and is not held against her (flows/recovery).
  await c.directory.createUser({ username, email, password });
  const browser = new ClusterBrowser(c.url);
  let page = (await browser.follow(`${c.url}/forgot-password`)).response;
  const submit = async (fields: Record<string, string>) => {
    const form = parseForm(page.body, page.url);
    page = (await browser.follow(form.action, { form: { ...form.fields, ...fields } })).response;
    return page;
  };
  await submit({ username });
  await submit({ answer: 'anything' });
  await submit({ method: 'email' });
  expect(textOf(page.body)).toContain('Enter Your Security Code');
  const mail = await c.mail.waitFor((m) => m.to.includes(email), 10_000);
  const rightCode = /^\s*(\d{6})\s*$/m.exec(mail.text)![1]!;

  const form = parseForm(page.body, page.url);
  const flowCookies = browser.cookieHeader();
  const started = Date.now();
  const answers = await Promise.all(wrongCodes(burst, [rightCode]).map((code) => browser.request(form.action, { form: { ...form.fields, code } })));
  const burstMs = Date.now() - started;
  expect(servedBy(answers)).toEqual(new Set(['p0', 'p1']));
  // Four "not correct, try again" pages; every other answer is the dead end that names no code.
  expect(answers.filter((r) => r.status === 400)).toHaveLength(4);
  expect(answers.filter((r) => r.status !== 400).every((r) => textOf(r.body).includes('Too many unsuccessful attempts: this code no longer works'))).toBe(true);

  const failures = detailsOf(await c.db('audit_events').where({ subject_user_id: await userId(username), action: 'recovery.failure' }).orderBy('id'));
  const compared = failures.filter((d) => typeof d.attempts === 'number');
  expect(compared.map((d) => d.attempts).sort()).toEqual([1, 2, 3, 4, 5]);
  expect(failures.filter((d) => d.reason === 'no_tries_left')).toHaveLength(burst - 5);

  // The right code from the mail, sent with the flow's cookie as it was before the burst (an
  // attacker keeps it; the person's own browser was told to start again): refused by the count, on
  // either instance, with no password form.
  for (const instance of c.instances) {
    const refused = await fetch(form.action.replace(c.url, instance.url), {
      method: 'POST',
      headers: { cookie: flowCookies, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ ...form.fields, code: rightCode }).toString(),
      redirect: 'manual',
    });
    const body = textOf(await refused.text());
    expect(refused.status).toBe(429);
    expect(body).toContain('this code no longer works');
    expect(body).not.toContain('Choose a New Password');
  }
  expect(await c.db('audit_events').where({ subject_user_id: await userId(username), action: 'recovery.verified' })).toHaveLength(0);
  recordSecurityResult({ check: 'lockout across instances: reset codes', figures: { instances: 2, parallel: burst, compared: compared.length, limit: 5, rightCodeAfter: 'refused', burstMs } });
});

test(`authenticator codes at sign-in: ${burst} parallel wrong codes over both instances compare exactly 6 and lock; the right code is then refused`, async () => {
  const username = 'tess';
  await c.directory.createUser({ username, email: 'tess@example.org', password });
  const id = await userId(username);
  // Her phone's key, stored as enrolment would store it (confirmed at step 0: no current step spent).
  const { secret } = c.portal.services.factors.totp.newKey(username);
  await c.portal.services.factors.totp.save(id, secret, 0);
  const codeAt = (offsetMs: number) => authenticator.clone({ epoch: Date.now() + offsetMs }).generate(secret);

  const browser = new ClusterBrowser(c.url);
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(app, { redirect_uri: redirectUri, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  const start = (await browser.follow(url.href)).response;
  const codeStep = (await browser.submitSignIn(start, username, password)).response;
  expect(textOf(codeStep.body)).toContain('Two-Step Verification');
  const uid = new URL(codeStep.url).pathname.split('/')[2]!;

  // From the fourth try a CAPTCHA is owed: every request brings its own solved picture, so what
  // stops the burst is the count, not a missing CAPTCHA.
  const pictures = await Promise.all(Array.from({ length: burst }, () => c.portal.services.captchas.create(`interaction:${uid}`)));
  // Codes of the steps either side of now (and the one after, if the burst crosses a step) are left out.
  const codes = wrongCodes(burst, [-30_000, 0, 30_000, 60_000].map(codeAt));
  const form = parseForm(codeStep.body, codeStep.url);
  const started = Date.now();
  const answers = await Promise.all(codes.map((code, i) => browser.request(form.action, { form: { ...form.fields, code, captcha_id: pictures[i]!.id, captcha: c.captchaText } })));
  const burstMs = Date.now() - started;
  expect(servedBy(answers)).toEqual(new Set(['p0', 'p1']));
  expect(answers.filter((r) => r.status === 401)).toHaveLength(5);
  expect(answers.some((r) => r.status >= 500)).toBe(false);

  const events = detailsOf(await c.db('audit_events').where({ subject_user_id: id }).whereIn('action', ['signin.failure', 'signin.locked']).orderBy('id'));
  const compared = events.filter((d) => d.reason === 'wrong_code');
  expect(compared.map((d) => d.attempt).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  expect((await c.portal.services.signInCounters.find(username))!.locked_at).not.toBeNull();

  // The right code from her phone now, on the page she had, on each instance: the sign-in ended
  // with the lock, so it is not accepted.
  for (const instance of c.instances) {
    const picture = await c.portal.services.captchas.create(`interaction:${uid}`);
    const answer = await browser.at(instance.url).follow(form.action.replace(c.url, instance.url), { form: { ...form.fields, code: codeAt(0), captcha_id: picture.id, captcha: c.captchaText } });
    expect(answer.leftPortalTo).toBeUndefined();
    expect(answer.response.status).toBe(410);
    expect(textOf(answer.response.body)).toContain('This page has expired');
  }
  // And a new sign-in with the right password stops before the code step.
  const again = new ClusterBrowser(c.url);
  const fresh = (await again.follow(oidc.buildAuthorizationUrl(app, { redirect_uri: redirectUri, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }).href)).response;
  const freshUid = new URL(fresh.url).pathname.split('/')[2]!;
  const freshPicture = await c.portal.services.captchas.create(`interaction:${freshUid}`);
  const refused = await again.submitSignIn(fresh, username, password, { captcha_id: freshPicture.id, captcha: c.captchaText });
  expect(refused.leftPortalTo).toBeUndefined();
  expect(textOf(refused.response.body)).toContain('Your account is locked');
  expect(await c.db('audit_events').where({ subject_user_id: id, action: 'signin.success' })).toHaveLength(0);
  recordSecurityResult({ check: 'lockout across instances: TOTP codes', figures: { instances: 2, parallel: burst, compared: compared.length, limit: 6, rightCodeAfter: 'refused', burstMs } });
});
