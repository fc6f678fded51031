import * as oidc from 'openid-client';
import { startTestPortal, HttpAgent, parseForm, textOf, type TestPortal, type AgentResponse } from '../src/testing/index.js';

/**
 * The CAPTCHA's alternatives (issue #13, WCAG 1.1.1) as a person and a guesser meet them: a
 * recording of the same characters, checked exactly like the picture and used once; and "Get a
 * new picture", which withdraws the old one without costing a try.
 */
const password = 'Correct-Horse-9!';
const appUrl = 'http://127.0.0.1:3996';

// Every CAPTCHA has its own answer, drawn into its picture: the test reads it off the picture the
// way a person would (the recording says the same, which only a listener can check; the unit
// test in libraries/captcha.test.ts checks that the recording is made from the same record).
let answers = 0;
let nextAnswer: string | undefined;
const generator = () => {
  const text = nextAnswer ?? String(40000 + ++answers);
  return { svg: `<svg xmlns="http://www.w3.org/2000/svg" width="150" height="50"><text x="10" y="35">${text}</text></svg>`, text };
};

let t: TestPortal;
let config: oidc.Configuration;
const logLines: string[] = [];

beforeAll(async () => {
  t = await startTestPortal({ captchaGenerator: generator, logSink: (line) => logLines.push(line) });
  for (const username of ['ida', 'jon', 'kim', 'lee', 'max', 'ned', 'ola']) await t.directory.createUser({ username, email: `${username}@example.org`, password });
  const c = await t.directory.createClient({ name: 'ImmTrac2', redirectUris: [`${appUrl}/callback`] });
  config = await oidc.discovery(new URL(t.url), c.client_id, c.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
});

afterAll(() => t?.close());

async function signInPage(agent = new HttpAgent(t.url)) {
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: `${appUrl}/callback`, scope: 'openid', code_challenge: 'e'.repeat(43), code_challenge_method: 'S256' });
  const { response } = await agent.follow(url.href);
  return { agent, page: response, uid: new URL(response.url).pathname.split('/')[2]! };
}

/** What a person sees of the CAPTCHA on a page: its id, the characters in the picture, the recording's address. */
function captchaOn(page: AgentResponse) {
  const id = parseForm(page.body, page.url).fields.captcha_id;
  const picture = /<img class="captcha" src="data:image\/svg\+xml;base64,([^"]+)"/.exec(page.body)?.[1];
  const answer = picture ? /<text[^>]*>([^<]+)<\/text>/.exec(Buffer.from(picture, 'base64').toString())?.[1] : undefined;
  const audio = /<audio class="captcha-audio" controls preload="none" src="([^"]+)"/.exec(page.body)?.[1];
  const download = /<a href="([^"]+)" download="security-check.wav">Download the recording/.exec(page.body)?.[1];
  return { id, answer, audioUrl: audio && new URL(audio, t.url).href, download };
}

/** "Get a new picture": the small form the button belongs to. */
function renewForm(page: AgentResponse) {
  const start = page.body.indexOf('<form id="captcha-renew"');
  if (start < 0) throw new Error('no new-picture form on the page');
  return parseForm(page.body.slice(start), page.url);
}

/** Three wrong passwords: the page now shows the CAPTCHA. */
async function atCaptchaStage(username: string) {
  const s = await signInPage();
  let page = s.page;
  for (let i = 0; i < 3; i++) page = (await s.agent.submitSignIn(page, username, 'wrong')).response;
  expect(captchaOn(page).answer).toBeDefined();
  return { ...s, page };
}

const failures = async (username: string) => (await t.portal.services.signInCounters.find(username))?.failures ?? 0;
const userId = async (username: string) => (await t.portal.services.users.findByUsername(username))!.id;
const lastSignInEvent = async (username: string) => {
  const row = await t.db('audit_events').where({ subject_user_id: await userId(username) }).whereIn('action', ['signin.failure', 'signin.locked', 'signin.success']).orderBy('id', 'desc').first();
  return { action: row.action as string, ...JSON.parse(row.details ?? '{}') };
};

/** A WAV file's format and length, read from its header as a player would. */
function wavInfo(body: Buffer) {
  return {
    riff: body.toString('ascii', 0, 4),
    wave: body.toString('ascii', 8, 12),
    pcm: body.readUInt16LE(20),
    channels: body.readUInt16LE(22),
    sampleRate: body.readUInt32LE(24),
    bits: body.readUInt16LE(34),
    dataBytes: body.readUInt32LE(40),
    sizesAgree: body.readUInt32LE(4) === body.length - 8 && body.readUInt32LE(40) === body.length - 44,
  };
}

async function fetchAudio(agent: HttpAgent, url: string) {
  const res = await fetch(url, { headers: { cookie: agent.cookieHeader(), accept: '*/*' } });
  return { status: res.status, type: res.headers.get('content-type'), cacheControl: res.headers.get('cache-control'), body: Buffer.from(await res.arrayBuffer()) };
}

test('the recording is a real WAV of the same CAPTCHA, not stored by any cache, and its answer works once', async () => {
  const { agent, page } = await atCaptchaStage('ida');
  const shown = captchaOn(page);
  expect(shown.audioUrl).toBe(`${t.url}/interaction/${new URL(page.url).pathname.split('/')[2]}/captcha/${shown.id}/audio`);
  expect(shown.download).toBe(new URL(shown.audioUrl!).pathname);
  // The answer is never in the address: only the CAPTCHA's random id.
  expect(shown.audioUrl).not.toContain(shown.answer);

  const audio = await fetchAudio(agent, shown.audioUrl!);
  expect(audio.status).toBe(200);
  expect(audio.type).toBe('audio/wav');
  expect(audio.cacheControl).toBe('no-store');
  const info = wavInfo(audio.body);
  expect(info).toMatchObject({ riff: 'RIFF', wave: 'WAVE', pcm: 1, channels: 1, bits: 16, sizesAgree: true });
  // Five characters said twice with pauses: several seconds of sound, not an empty file.
  expect(info.dataBytes / 2 / info.sampleRate).toBeGreaterThan(5);
  // Played again (a second Play, the player's range request): the same sound, and still unused.
  expect((await fetchAudio(agent, shown.audioUrl!)).body.equals(audio.body)).toBe(true);

  // The answer heard, with the spaces a listener may type, and a wrong password: the CAPTCHA
  // passes and the password is checked (and wrong) — the answer was accepted.
  const heard = shown.answer!.split('').join(' ');
  const wrongPassword = await agent.submitSignIn(page, 'ida', 'wrong-again', { captcha: heard });
  expect(wrongPassword.response.status).toBe(401);
  expect(await lastSignInEvent('ida')).toMatchObject({ action: 'signin.failure', reason: 'wrong_password', attempt: 4 });

  // Once only: the same CAPTCHA and answer again are refused without a password check, and its
  // recording is gone.
  const replay = await agent.submitSignIn(page, 'ida', password, { captcha: heard });
  expect(replay.leftPortalTo).toBeUndefined();
  expect(await lastSignInEvent('ida')).toMatchObject({ action: 'signin.failure', reason: 'captcha_wrong', attempt: 5 });
  expect((await fetchAudio(agent, shown.audioUrl!)).status).toBe(404);

  // The newest CAPTCHA's answer and the right password: signed in.
  const fresh = captchaOn(replay.response);
  const ok = await agent.completeSteps(await agent.submitSignIn(replay.response, 'ida', password, { captcha: fresh.answer! }));
  expect(ok.leftPortalTo).toMatch(/\/callback\?code=/);
});

test('a wrong answer after listening counts exactly like a wrong answer to the picture, up to the lock', async () => {
  // Two people at the same stage: one listens before answering wrongly, one only looks.
  const trace = async (username: string, listen: boolean) => {
    const s = await atCaptchaStage(username);
    let page = s.page;
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      if (listen) expect((await fetchAudio(s.agent, captchaOn(page).audioUrl!)).status).toBe(200);
      const r = await s.agent.submitSignIn(page, username, password, { captcha: '00000' });
      seen.push(`${r.response.status} ${new URL(r.response.url).pathname.replace(/\/interaction\/[^/]+/, '/interaction/UID')} ${textOf(r.response.body)}`);
      seen.push(JSON.stringify({ ...(await lastSignInEvent(username)), failures: await failures(username) }));
      page = r.response;
    }
    return seen;
  };
  const listened = await trace('jon', true);
  expect(listened).toEqual(await trace('kim', false));
  // The third wrong answer is the 6th failure: locked, sent to Forgot Password.
  expect(listened[4]).toMatch(/^200 \/forgot-password .*Your account is locked/);
  expect(JSON.parse(listened[5]!)).toMatchObject({ action: 'signin.locked', reason: 'captcha_wrong', attempt: 6 });
});

test('"Get a new picture" withdraws the old CAPTCHA, shows a new one, and costs no try', async () => {
  const { agent, page } = await atCaptchaStage('lee');
  const old = captchaOn(page);
  const form = renewForm(page);
  expect(form.action).toBe(`${new URL(page.url).origin}/interaction/${new URL(page.url).pathname.split('/')[2]}/captcha/new`);
  expect(form.fields).toEqual({ csrf: expect.any(String), username: 'lee', captcha_id: old.id });

  // Without the page's CSRF token: refused, and the old CAPTCHA still stands.
  const forged = await agent.follow(form.action, { form: { ...form.fields, csrf: 'forged' } });
  expect(forged.response.status).toBe(403);
  expect((await fetchAudio(agent, old.audioUrl!)).status).toBe(200);

  const renewed = (await agent.follow(form.action, { form: form.fields })).response;
  expect(renewed.status).toBe(200);
  expect(textOf(renewed.body)).toContain('After 3 more unsuccessful attempts the account will be locked.');
  expect(parseForm(renewed.body, renewed.url).fields.username).toBe('lee'); // the name typed stays
  const fresh = captchaOn(renewed);
  expect(fresh.id).not.toBe(old.id);
  expect(fresh.answer).not.toBe(old.answer);
  expect(await failures('lee')).toBe(3); // no try counted
  const audited = await t.db('audit_events').where({ subject_user_id: await userId('lee'), action: 'signin.captcha_renewed' });
  expect(audited.map((e) => JSON.parse(e.details))).toEqual([{ withdrawn: true }]);

  // The old one is withdrawn: its recording is gone and its right answer no longer works (that
  // try is a failure like any wrong CAPTCHA, and the password is not checked).
  expect((await fetchAudio(agent, old.audioUrl!)).status).toBe(404);
  const stale = await agent.submitSignIn(renewed, 'lee', password, { captcha_id: old.id!, captcha: old.answer! });
  expect(stale.leftPortalTo).toBeUndefined();
  expect(await lastSignInEvent('lee')).toMatchObject({ reason: 'captcha_wrong', attempt: 4 });

  // The new picture's answer works.
  const now = captchaOn(stale.response);
  const ok = await agent.completeSteps(await agent.submitSignIn(stale.response, 'lee', password, { captcha: now.answer! }));
  expect(ok.leftPortalTo).toMatch(/\/callback\?code=/);
});

test('the recording is refused with a clear 404 for an unknown id, another interaction, or another browser', async () => {
  const a = await atCaptchaStage('max');
  const shown = captchaOn(a.page);
  const b = await signInPage(); // another sign-in, in another browser

  const notThere = async (agent: HttpAgent, url: string) => {
    const res = await fetchAudio(agent, url);
    expect(res.status).toBe(404);
    expect(res.cacheControl).toBe('no-store');
    expect(res.type).toMatch(/^text\/html/);
    expect(textOf(res.body.toString())).toContain('This security check recording is not available');
  };
  await notThere(a.agent, `${t.url}/interaction/${a.uid}/captcha/${'x'.repeat(24)}/audio`); // unknown id
  await notThere(a.agent, `${t.url}/interaction/${a.uid}/captcha/${encodeURIComponent('../../etc')}/audio`); // not an id at all
  await notThere(b.agent, `${t.url}/interaction/${b.uid}/captcha/${shown.id}/audio`); // A's CAPTCHA under B's sign-in
  await notThere(b.agent, shown.audioUrl!); // A's address from B's browser (no cookie for A's interaction)
  // Still A's, unused, for A.
  expect((await fetchAudio(a.agent, shown.audioUrl!)).status).toBe(200);
});

test('the answer is in no address, log line or audit row; the database keeps it only hashed and sealed', async () => {
  nextAnswer = 'QZ7WX9';
  try {
    const { agent, page } = await atCaptchaStage('ned');
    const shown = captchaOn(page);
    expect(shown.answer).toBe('QZ7WX9');
    const row = await t.db('captchas').where({ id: shown.id }).first();
    expect(row.answer_sealed).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toMatch(/QZ7WX9/i);
    await fetchAudio(agent, shown.audioUrl!);
    await agent.follow(renewForm(page).action, { form: renewForm(page).fields });
    await agent.submitSignIn(page, 'ned', 'wrong', { captcha: 'qz7wx9' });
  } finally {
    nextAnswer = undefined;
  }
  const audit = await t.db('audit_events').select();
  expect(JSON.stringify(audit)).not.toMatch(/QZ7WX9/i);
  expect(logLines.length).toBeGreaterThan(0);
  expect(logLines.filter((line) => /QZ7WX9/i.test(line))).toEqual([]);
});

test('without espeak-ng the CAPTCHA still works as a picture, offers no recording, and says so once in the log', async () => {
  const lines: string[] = [];
  const bare = await startTestPortal({ captchaGenerator: generator, env: { ESPEAK_PATH: '/nonexistent/espeak-ng' }, logSink: (line) => lines.push(line) });
  try {
    await bare.directory.createUser({ username: 'ola', email: 'ola@example.org', password });
    const agent = new HttpAgent(bare.url);
    let page = (await agent.follow(`${bare.url}/login`)).response;
    for (let i = 0; i < 4; i++) page = (await agent.submitSignIn(page, 'ola', 'wrong', i === 3 ? { captcha: captchaOn(page).answer! } : {})).response;
    const shown = captchaOn(page);
    expect(shown.answer).toBeDefined();
    expect(shown.audioUrl).toBeUndefined();
    expect(page.body).not.toContain('<audio');
    expect(textOf(page.body)).toContain('Cannot read the picture? Get a new picture; that does not count as a try.');
    expect(textOf(page.body)).toContain('Get a new picture');
    const uid = new URL(page.url).pathname.split('/')[2];
    expect((await fetchAudio(agent, `${bare.url}/interaction/${uid}/captcha/${shown.id}/audio`)).status).toBe(404);
    const ok = await agent.completeSteps(await agent.submitSignIn(page, 'ola', password, { captcha: shown.answer! }));
    expect(ok.response.url).toBe(`${bare.url}/`);
    expect(textOf(ok.response.body)).toContain('Sign Out');
    expect(lines.filter((line) => line.includes('CAPTCHA audio unavailable'))).toHaveLength(1);
  } finally {
    await bare.close();
  }
});
