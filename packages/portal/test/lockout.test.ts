import * as oidc from 'openid-client';
import { startTestPortal, HttpAgent, parseForm, textOf, type TestPortal, type AgentResponse } from '../src/testing/index.js';

/**
 * The 3 + 3 rule (SPEC §3.2) as a person and as an attacker meet it: three wrong passwords, then a
 * CAPTCHA on every try, then locked after three more — counted per username in the database.
 */
const password = 'Correct-Horse-9!';
const appUrl = 'http://127.0.0.1:3997';
const captchaText = 'K7PQX';

let t: TestPortal;
let config: oidc.Configuration;

beforeAll(async () => {
  // A CAPTCHA whose answer the test knows (the person reads it off the picture).
  t = await startTestPortal({ captchaGenerator: () => ({ svg: '<svg xmlns="http://www.w3.org/2000/svg"/>', text: captchaText }) });
  for (const username of ['lou', 'ann', 'ben', 'cyd', 'dee', 'eve']) {
    await t.directory.createUser({ username, email: `${username}@example.org`, password });
  }
  const c = await t.directory.createClient({ name: 'ImmTrac2', redirectUris: [`${appUrl}/callback`] });
  config = await oidc.discovery(new URL(t.url), c.client_id, c.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
});

afterAll(() => t?.close());

async function signInPage(agent = new HttpAgent(t.url)) {
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: `${appUrl}/callback`, scope: 'openid', code_challenge: 'e'.repeat(43), code_challenge_method: 'S256' });
  const { response } = await agent.follow(url.href);
  return { agent, page: response };
}

/** Submits the form on `page` as a person would, typing the CAPTCHA when one is shown. */
async function submit(agent: HttpAgent, page: AgentResponse, username: string, pw: string, captcha: 'type' | 'skip' | string = 'type') {
  const shown = page.body.includes('name="captcha_id"');
  const overrides: Record<string, string> = {};
  if (shown && captcha !== 'skip') overrides.captcha = captcha === 'type' ? captchaText.toLowerCase() : captcha;
  return agent.submitSignIn(page, username, pw, overrides);
}

const hasCaptcha = (r: AgentResponse) => /<img class="captcha" src="data:image\/svg\+xml;base64,/.test(r.body) && r.body.includes('Type the characters in the picture');

test('three wrong passwords bring a CAPTCHA; the 4th try without it is refused; the 6th failure locks', async () => {
  let { agent, page } = await signInPage();
  for (let i = 1; i <= 3; i++) {
    page = (await submit(agent, page, 'lou', 'wrong-one')).response;
    expect(page.status).toBe(401);
    expect(hasCaptcha(page)).toBe(i === 3);
  }
  expect(textOf(page.body)).toContain('After 3 more unsuccessful attempts the account will be locked.');

  // 4th attempt, right password but no CAPTCHA: refused, counted, a new picture.
  const firstPicture = parseForm(page.body, page.url).fields.captcha_id;
  const noCaptcha = await submit(agent, page, 'lou', password, 'skip');
  expect(noCaptcha.leftPortalTo).toBeUndefined();
  expect(noCaptcha.response.status).toBe(401);
  expect(textOf(noCaptcha.response.body)).toContain('Type the characters you see in the picture');
  page = noCaptcha.response;
  expect(parseForm(page.body, page.url).fields.captcha_id).not.toBe(firstPicture);

  // 5th: right CAPTCHA, wrong password. 6th: same → locked, sent to Forgot Password.
  page = (await submit(agent, page, 'lou', 'wrong-two')).response;
  expect(page.status).toBe(401);
  const locked = await submit(agent, page, 'lou', 'wrong-three');
  expect(locked.response.status).toBe(200);
  expect(locked.response.url).toBe(`${t.url}/forgot-password`);
  expect(locked.response.body).toContain('value="lou"'); // the username carries over, in the flow, not the URL
  expect(textOf(locked.response.body)).toContain('Your account is locked');
  expect(textOf(locked.response.body)).toContain('800-348-9158');

  // 7th: the right password and the right CAPTCHA are still refused.
  const fresh = await signInPage();
  let p = (await submit(fresh.agent, fresh.page, 'lou', password)).response; // no picture on a fresh page → counted, refused
  expect(textOf(p.body)).toContain('Your account is locked');
  const again = await signInPage();
  p = (await again.agent.submitSignIn(again.page, 'lou', password, { captcha_id: 'any', captcha: captchaText })).response;
  expect(textOf(p.body)).toContain('Your account is locked');

  const events = await t.db('audit_events').where({ subject_user_id: (await t.portal.services.users.findByUsername('lou'))!.id }).orderBy('id');
  expect(events.map((e) => e.action)).toEqual(['user.create', 'signin.failure', 'signin.failure', 'signin.failure', 'signin.failure', 'signin.failure', 'signin.locked', 'signin.locked', 'signin.locked']);
});

test('a wrong CAPTCHA is a failure and never checks the password', async () => {
  let { agent, page } = await signInPage();
  for (let i = 0; i < 3; i++) page = (await submit(agent, page, 'ann', 'wrong')).response;
  const wrongPicture = await submit(agent, page, 'ann', password, 'WRONG');
  expect(wrongPicture.leftPortalTo).toBeUndefined();
  expect(wrongPicture.response.status).toBe(401);
  const last = await t.db('audit_events').where({ action: 'signin.failure' }).orderBy('id', 'desc').first();
  expect(JSON.parse(last.details)).toEqual({ reason: 'captcha_wrong', attempt: 4 });

  // A CAPTCHA answer works once: replaying the same picture id is refused.
  page = wrongPicture.response;
  const form = parseForm(page.body, page.url);
  const ok = await agent.completeSteps(await agent.follow(form.action, { form: { ...form.fields, username: 'ann', password, captcha: captchaText } }));
  expect(ok.leftPortalTo).toMatch(/\/callback\?code=/);
});

test('a wrong or missing CAPTCHA on the last allowed try locks, known or unknown name, even with the right password', async () => {
  // What a guesser sees from tries 4–6 when the picture is wrong or skipped: the same pages for a
  // real account and a made-up name, the 6th one the lock (SPEC §3.2: it counts as a failure).
  const trace = async (username: string) => {
    let { agent, page } = await signInPage();
    for (let i = 0; i < 3; i++) page = (await submit(agent, page, username, 'wrong')).response;
    const seen: string[] = [];
    for (const captcha of ['WRONG', 'skip', 'WRONG']) {
      const r = await submit(agent, page, username, password, captcha);
      seen.push(`${r.response.status} ${new URL(r.response.url).pathname.replace(/\/interaction\/[^/]+/, '/interaction/UID')} ${textOf(r.response.body)}`);
      page = r.response;
    }
    return { seen, last: page };
  };
  const known = await trace('eve');
  expect(known.last.url).toBe(`${t.url}/forgot-password`);
  expect(textOf(known.last.body)).toContain('Your account is locked');
  expect((await t.portal.services.signInCounters.find('eve'))!.locked_at).not.toBeNull();
  const unknown = await trace('no-such-eve');
  expect(unknown.seen).toEqual(known.seen);
  expect((await t.portal.services.signInCounters.find('no-such-eve'))!.locked_at).not.toBeNull();

  // The right password was sent three times and never checked; the 6th failure is the lock.
  const eve = (await t.portal.services.users.findByUsername('eve'))!;
  const events = await t.db('audit_events').where({ subject_user_id: eve.id }).whereIn('action', ['signin.failure', 'signin.locked']).orderBy('id');
  expect(events.map((e) => [e.action, JSON.parse(e.details).reason, JSON.parse(e.details).attempt])).toEqual([
    ['signin.failure', 'wrong_password', 1],
    ['signin.failure', 'wrong_password', 2],
    ['signin.failure', 'wrong_password', 3],
    ['signin.failure', 'captcha_wrong', 4],
    ['signin.failure', 'captcha_missing', 5],
    ['signin.locked', 'captcha_wrong', 6],
  ]);

  // Locked: the right password with the right CAPTCHA is refused too.
  const fresh = await signInPage();
  const after = await fresh.agent.submitSignIn(fresh.page, 'eve', password, { captcha_id: (await t.portal.services.captchas.create(`interaction:${new URL(fresh.page.url).pathname.split('/')[2]}`)).id, captcha: captchaText });
  expect(textOf(after.response.body)).toContain('Your account is locked');
});

test('a success resets the count', async () => {
  let { agent, page } = await signInPage();
  for (let i = 0; i < 2; i++) page = (await submit(agent, page, 'ben', 'wrong')).response;
  expect((await agent.completeSteps(await submit(agent, page, 'ben', password))).leftPortalTo).toMatch(/\/callback\?code=/);

  ({ agent, page } = await signInPage());
  for (let i = 1; i <= 3; i++) {
    page = (await submit(agent, page, 'ben', 'wrong')).response;
    expect(hasCaptcha(page)).toBe(i === 3);
  }
});

test('unknown usernames meet exactly the same rule, status and messages', async () => {
  const trace = async (username: string) => {
    let { agent, page } = await signInPage();
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await submit(agent, page, username, 'wrong');
      const where = new URL(r.response.url).pathname.replace(/\/interaction\/[^/]+/, '/interaction/UID');
      seen.push(`${r.response.status} ${hasCaptcha(r.response)} ${where} ${textOf(r.response.body)}`);
      page = r.response;
    }
    return seen;
  };
  expect(await trace('no-such-person')).toEqual(await trace('cyd'));
});

test('50 parallel wrong guesses check at most 6 passwords and lock the account', async () => {
  const { agent, page } = await signInPage();
  const uid = new URL(page.url).pathname.split('/')[2]!;
  const form = parseForm(page.body, page.url);
  // Every guess brings a valid CAPTCHA of its own, the strongest attacker there is.
  const pictures = await Promise.all(Array.from({ length: 50 }, () => t.portal.services.captchas.create(`interaction:${uid}`)));
  const results = await Promise.all(
    pictures.map((c, i) => agent.request(form.action, { form: { ...form.fields, username: 'dee', password: `guess-${i}`, captcha_id: c.id, captcha: captchaText } })),
  );
  expect(results.every((r) => r.status === 401 || (r.status === 303 && r.location === `${t.url}/forgot-password`))).toBe(true);

  const user = (await t.portal.services.users.findByUsername('dee'))!;
  const events = await t.db('audit_events').where({ subject_user_id: user.id }).whereIn('action', ['signin.failure', 'signin.locked']);
  const checked = events.filter((e) => JSON.parse(e.details).reason === 'wrong_password');
  expect(checked).toHaveLength(6);
  expect(events).toHaveLength(50);
  expect((await t.portal.services.signInCounters.find('dee'))!.locked_at).not.toBeNull();

  // Locked means locked, until the help desk (or a reset) unlocks.
  const fresh = await signInPage();
  expect(textOf((await fresh.agent.submitSignIn(fresh.page, 'dee', password)).response.body)).toContain('Your account is locked');
  const dee = (await t.portal.services.users.findByUsername('dee'))!;
  await t.portal.support.unlock({ kind: 'operator' }, dee.id, { code: 'locked_out', text: 'Caller verified by phone' }, {});
  const after = await signInPage();
  expect((await after.agent.completeSteps(await after.agent.submitSignIn(after.page, 'dee', password))).leftPortalTo).toMatch(/\/callback\?code=/);
});
