import * as oidc from 'openid-client';
import { startPortalCluster, clusterPrerequisiteProblem, ClusterBrowser, parseForm, textOf, recordSecurityResult, type PortalCluster, type AgentResponse, type CaughtMail } from '../../src/testing/index.js';

/**
 * Crash safety (issue 14, part 4): a harness that loops CRASH_LOOPS times (3 by default) — load,
 * `kill -9` of the production portal process, restart, check. Every other round kills at a random
 * moment; the others right after a Forgot Password reset commits, the moment its promise to end
 * the person's sessions is stored and not yet kept (watched in the database). The load is what
 * people, the help desk and relying parties do at once: sign-ins, Forgot Password with the emailed
 * code, email changes, the help desk's unlock and temporary password (admin API), refresh-token
 * rotation. After each restart:
 *
 * - no account is half-changed: the stored password is the newest in its history and every
 *   password change has its history row; a help-desk unlock either cleared the lock and is
 *   audited, or did neither; a reset code that was used either led to the new password or still
 *   lets the person set one; a confirmed email change is in the account and its audit, or nowhere;
 * - the audit chain verifies;
 * - every session that was live before the kill is still live, except those a committed reset
 *   ended — and those are gone, even when the process died before ending them;
 * - no refresh token is both rotated and still valid.
 *
 * One instance behind the cluster's HAProxy: the process killed is the only one, so nothing but
 * the database carries what happened across the crash.
 */
const loops = Number(process.env.CRASH_LOOPS ?? 3);
const password = 'Correct-Horse-9!';
const redirectUri = 'http://127.0.0.1:3996/callback';
const resource = () => `${c.url}/api/admin/v1`;
const reason = { code: 'caller_verified_phone', text: 'Caller verified by phone (crash harness)', ticket: 'INC-14' };

let c: PortalCluster;
let app: oidc.Configuration;
let desk: { client_id: string; client_secret?: string | undefined };
let running = false;
let killedAt = 0;
/** Requests to the portal the test process has open right now (counted by the fetch installed in beforeAll). */
let inFlight = 0;
const plainFetch = globalThis.fetch;

/** What a load loop saw go wrong: before the kill that is a failure of its own, after it the crash. */
const loadErrors: { at: number; what: string }[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const textAt = (page: AgentResponse) => textOf(page.body);

/** The newest mail matching `predicate` not handed out before; gives up when the load stops. */
const handedOut = new Set<string>();
const mailKey = (m: CaughtMail) => `${m.to.join(',')}\n${m.text}`;
async function mailFor(predicate: (m: CaughtMail) => boolean): Promise<CaughtMail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mail = c.mail.messages().find((m) => predicate(m) && !handedOut.has(mailKey(m)));
    if (mail) {
      handedOut.add(mailKey(mail));
      return mail;
    }
    if (!running) throw new Error('stopped');
    if (Date.now() > deadline) throw new Error('no mail within 10 s');
    await sleep(20);
  }
}
const codeIn = (mail: CaughtMail) => /^\s*(\d{6})\s*$/m.exec(mail.text)![1]!;

async function submit(browser: ClusterBrowser, page: AgentResponse, fields: Record<string, string>, expectText: string): Promise<AgentResponse> {
  const form = parseForm(page.body, page.url);
  const next = (await browser.follow(form.action, { form: { ...form.fields, ...fields } })).response;
  if (!textAt(next).includes(expectText)) throw new Error(`expected "${expectText}" (status ${next.status}): ${textAt(next).slice(0, 200)}`);
  return next;
}

function authorizationUrl(extra: Record<string, string> = {}) {
  return oidc.buildAuthorizationUrl(app, { redirect_uri: redirectUri, scope: 'openid', code_challenge: 'c'.repeat(43), code_challenge_method: 'S256', ...extra }).href;
}

/** The portal's home says who is signed in: the session is live. */
async function isSignedIn(browser: ClusterBrowser) {
  return textAt(await browser.request(`${c.url}/`)).includes('Welcome,');
}

/** A browser signed in to the portal's own pages, or an error (the balancer's 503 is no sign-in). */
async function portalSession(username: string, pw: string): Promise<ClusterBrowser> {
  const browser = await new ClusterBrowser(c.url).signInToPortal(username, pw);
  if (!(await isSignedIn(browser))) throw new Error(`${username} did not reach the portal home`);
  return browser;
}

let passwordSerial = 0;
const freshPassword = () => `Blue-Heron-${++passwordSerial}-Lake!`;

// --- The people and programs of the load ------------------------------------------------------

/** Signs in and out of an app over and over; every finished sign-in is a live session afterwards. */
interface Signer {
  username: string;
}

interface Resetter {
  username: string;
  email: string;
  /** The password the person believes is theirs. */
  password: string;
  /** A reset under way once its code has arrived: where the person stands if the portal dies now. */
  underway?: { browser: ClusterBrowser; flowId: string; code: string; page: AgentResponse; typing?: string };
  /** A session signed in with the old password before this reset (SPEC §3.6: the reset ends it). */
  session?: ClusterBrowser;
  /** Whether the reset since that sign-in finished (and so must have ended it). */
  sessionOwedEnd?: boolean;
  resets: number;
}

interface EmailChanger {
  username: string;
  browser: ClusterBrowser;
  /** The address the account has, as far as the person was told. */
  email: string;
  /** A code was typed for this address and the answer has not come back. */
  confirming?: string;
  changes: number;
}

interface DeskTarget {
  username: string;
  id: string;
  /** The audit row id when the test last locked the account; the help desk acts after it. */
  lockMark?: number;
  actions: number;
}

interface Refresher {
  username: string;
  /** Every refresh token the app received, oldest first. */
  received: string[];
  /** Sent and not answered when the load stopped. */
  sent?: string;
  refreshes: number;
}

const signers: Signer[] = ['sign0', 'sign1', 'sign2'].map((username) => ({ username }));
const resetters: Resetter[] = ['reset0', 'reset1', 'reset2'].map((username) => ({ username, email: `${username}@example.org`, password, resets: 0 }));
const emailers: EmailChanger[] = [];
const deskTargets: DeskTarget[] = [];
const refreshers: Refresher[] = [];
/** Browsers whose sign-in finished before the kill, of people nobody signs out. */
let liveSessions: { username: string; browser: ClusterBrowser }[] = [];
let mailSerial = 0;

async function signInOnce(s: Signer) {
  const browser = new ClusterBrowser(c.url);
  await browser.signIn(authorizationUrl(), s.username, password);
  // The newest few per person are checked after the kill: enough to cover sign-ins just before it.
  liveSessions.push({ username: s.username, browser });
  const mine = liveSessions.filter((l) => l.username === s.username);
  if (mine.length > 3) liveSessions.splice(liveSessions.indexOf(mine[0]!), 1);
}

// HttpAgent's first sign-in answers the first three questions of the catalogue "answer 1" to "answer 3".
const catalogueOrder = ['What was the name of your first pet?', 'What was the name of the street you lived on as a child?', 'What was the first name of your best friend as a child?'];
const answerTo = (page: AgentResponse) => {
  const question = textOf(/<label class="usa-label" for="answer">([^<]+)<\/label>/.exec(page.body)?.[1] ?? '');
  return `answer ${catalogueOrder.indexOf(question) + 1}`;
};

async function resetOnce(r: Resetter) {
  r.session = await portalSession(r.username, r.password);
  r.sessionOwedEnd = false;
  const browser = new ClusterBrowser(c.url);
  let page = (await browser.follow(`${c.url}/forgot-password?restart=1`)).response;
  page = await submit(browser, page, { username: r.username }, '?'); // a question
  page = await submit(browser, page, { answer: answerTo(page) }, 'How do you want to reset your password?');
  page = await submit(browser, page, { method: 'email' }, 'Enter Your Security Code');
  const code = codeIn(await mailFor((m) => m.to.includes(r.email) && m.subject === 'Your HHS Enterprise Portal security code'));
  r.underway = { browser, flowId: parseForm(page.body, page.url).fields.flow!, code, page };
  r.underway.page = await submit(browser, page, { code }, 'Choose a New Password');
  await finishReset(r);
}

async function finishReset(r: Resetter) {
  const at = r.underway!;
  const typing = freshPassword();
  at.typing = typing;
  await submit(at.browser, at.page, { new_password: typing, confirm_password: typing }, 'Your Password Has Been Reset');
  r.password = typing;
  r.underway = undefined;
  r.sessionOwedEnd = true;
  r.resets++;
}

async function changeEmailOnce(e: EmailChanger) {
  const newEmail = `${e.username}.${++mailSerial}@example.org`;
  const edit = await e.browser.request(`${c.url}/profile/edit`);
  await submit(e.browser, edit, { email: newEmail }, 'Confirm your new email address');
  const code = codeIn(await mailFor((m) => m.to.includes(newEmail)));
  const confirm = await e.browser.request(`${c.url}/profile/email`);
  e.confirming = newEmail;
  await submit(e.browser, confirm, { code }, 'Your email address has been changed');
  e.email = newEmail;
  e.confirming = undefined;
  e.changes++;
}

let deskToken = '';
async function deskAction(target: DeskTarget, action: 'unlock' | 'temporary-password') {
  // Locked as six wrong passwords would lock it, in the test process (not the load under test).
  const services = c.portal.services;
  for (let i = 0; i < 6; i++) await services.signInCounters.reserveAttempt(target.username, Date.now());
  await services.signInCounters.lock(target.username, Date.now());
  target.lockMark = Number((await c.db('audit_events').max({ id: 'id' }).first())!.id ?? 0);
  const res = await fetch(`${resource()}/users/${target.id}/${action}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${deskToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason }),
  });
  if (res.status !== 200) throw new Error(`help desk ${action}: ${res.status}`);
  await res.body?.cancel();
  target.actions++;
}

async function refreshOnce(r: Refresher) {
  const current = r.received.at(-1)!;
  r.sent = current;
  const tokens = await oidc.refreshTokenGrant(app, current);
  r.received.push(tokens.refresh_token!);
  r.sent = undefined;
  r.refreshes++;
}

/** One person's loop: the same action again until the load stops; an error before the kill is recorded. */
async function loop(what: string, once: () => Promise<void>) {
  while (running) {
    try {
      await once();
    } catch (err) {
      if (running) loadErrors.push({ at: Date.now(), what: `${what}: ${(err as Error).message}` });
      return;
    }
  }
}

// --- The checks after each restart --------------------------------------------------------------

let checksPassed = 0;
function check(what: string, ok: boolean, detail?: unknown) {
  // Thrown with the invariant's name, so a failure says which promise broke and where.
  if (!ok) throw new Error(`crash-safety check failed: ${what}${detail === undefined ? '' : `: ${JSON.stringify(detail)}`}`);
  checksPassed++;
}

const count = async (query: Promise<{ n: number | string }[]>) => Number((await query)[0]!.n);

async function checkAccounts() {
  const users = await c.db('users').select('id', 'username', 'email', 'password_hash');
  for (const user of users) {
    const history = await c.db('password_history').where({ user_id: user.id }).orderBy('created_at', 'desc').orderBy('id', 'desc').select('password_hash');
    const changes = await count(c.db('audit_events').where({ subject_user_id: user.id }).whereIn('action', ['password.change', 'support.temporary_password']).count({ n: '*' }));
    check(`${user.username}: the stored password is the newest in its history`, history[0]?.password_hash === user.password_hash);
    check(`${user.username}: every password change has its history row and its audit`, history.length === changes + 1, { history: history.length, changes });
    const resetsDone = await count(c.db('flows').where({ kind: 'recovery', state: 'done', user_id: user.id }).count({ n: '*' }));
    const resetsAudited = await count(c.db('audit_events').where({ subject_user_id: user.id, action: 'password.reset' }).count({ n: '*' }));
    check(`${user.username}: every finished reset changed the password and is audited`, resetsDone === resetsAudited, { resetsDone, resetsAudited });
    const emailFlows = await c.db('flows').where({ kind: 'email_change', state: 'done', user_id: user.id }).orderBy('updated_at', 'desc').select('data');
    const emailAudits = await count(c.db('audit_events').where({ subject_user_id: user.id, action: 'profile.email_change' }).count({ n: '*' }));
    check(`${user.username}: every confirmed email change is in the account and in the audit`, emailFlows.length === emailAudits && (emailFlows.length === 0 || JSON.parse(emailFlows[0].data).newEmail === user.email), {
      flows: emailFlows.length,
      emailAudits,
    });
  }

  for (const e of emailers) {
    const email = (await c.portal.services.users.findByUsername(e.username))!.email;
    // A confirmation in flight at the kill may have committed or not; nothing else may have.
    check(`${e.username}: the account's email is the one the person confirmed`, email === e.email || email === e.confirming, { email, confirmed: e.email, confirming: e.confirming });
    e.email = email;
    e.confirming = undefined;
  }

  for (const t of deskTargets) {
    if (t.lockMark === undefined) continue;
    const locked = (await c.portal.services.signInCounters.find(t.username)) !== undefined;
    const cleared = await count(c.db('audit_events').where({ subject_user_id: t.id }).where('id', '>', t.lockMark).whereIn('action', ['support.unlock', 'support.temporary_password']).count({ n: '*' }));
    check(`${t.username}: a help-desk unlock cleared the lock and the failures and is audited, or did neither`, locked === (cleared === 0), { locked, cleared });
    // Unlocked for the next round either way.
    await c.portal.services.signInCounters.clear(t.username);
    t.lockMark = undefined;
  }
}

/** A used reset code never strands the person: the new-password page still works after the crash. */
async function checkResets() {
  const { passwords, users } = c.portal.services;
  for (const r of resetters) {
    const at = r.underway;
    if (at) {
      const flow = await c.db('flows').where({ id: at.flowId }).first();
      if (flow.state === 'done') {
        // The new password was written and the answer lost with the process: the one typed is the password now.
        check(`${r.username}: a reset that finished had a new password typed`, at.typing !== undefined);
        r.password = at.typing!;
        r.underway = undefined;
        r.sessionOwedEnd = true;
      } else {
        // The person opens Forgot Password again in the same browser: a code that was spent has
        // led to the new-password step, one that was not still works. Either way they get there.
        const page = (await at.browser.follow(`${c.url}/forgot-password`)).response;
        const spent = flow.state === 'set_password';
        check(`${r.username}: after the crash the reset waits at the code or the new password`, spent || flow.state === 'enter_code', flow.state);
        at.page = spent ? page : await submit(at.browser, page, { code: at.code }, 'Choose a New Password');
        check(`${r.username}: after the crash the person is asked for the new password`, textAt(at.page).includes('Choose a New Password'));
        await finishReset(r);
      }
    }
    const user = (await users.findByUsername(r.username))!;
    check(`${r.username}: the password the person set is the account's password`, await passwords.verify(user.password_hash, r.password));
    if (r.session) {
      // A reset that committed ended the old session, even if the process died before it said so;
      // one that did not commit left it alone (a session live before the kill).
      const live = await isSignedIn(r.session);
      check(`${r.username}: ${r.sessionOwedEnd ? 'a committed reset ended the session signed in before it' : 'a session live before the kill is live after it'}`, live === !r.sessionOwedEnd, { live });
      r.session = undefined;
    }
  }
}

async function checkSessions() {
  for (const { username, browser } of liveSessions) check(`${username}: a session live before the kill is live after it`, await isSignedIn(browser));
}

async function introspect(token: string): Promise<boolean> {
  return (await oidc.tokenIntrospection(app, token)).active;
}

async function checkRefreshTokens() {
  let rotatedButValid = 0;
  const rotated = await c.db('oidc_payloads').where({ model: 'RefreshToken' }).whereNotNull('consumed_at').pluck('id');
  for (const id of rotated as string[]) if (await introspect(id)) rotatedButValid++;
  check('no rotated (consumed) refresh token is still valid', rotatedButValid === 0, { rotatedButValid, of: rotated.length });
  const stored = new Set((await c.db('oidc_payloads').where({ model: 'RefreshToken' }).pluck('id')) as string[]);
  // Otherwise the check above would pass for want of finding anything.
  check('the refresh tokens the apps received are the stored ones', refreshers.every((r) => r.received.every((t) => stored.has(t))));
  let broken = 0;
  for (const r of refreshers) {
    const [latest, ...older] = [...r.received].reverse();
    for (const token of older) check(`${r.username}: a refresh token the app saw replaced is refused`, !(await introspect(token)));
    if (r.sent === undefined) {
      check(`${r.username}: the newest refresh token the app holds still works`, await introspect(latest!));
    } else if (!(await introspect(latest!))) {
      // Refused: only because it was rotated when the process died (the successor never reached
      // the app, which signs in again) — a token that was not rotated must still work.
      const row = await c.db('oidc_payloads').where({ model: 'RefreshToken', id: latest }).first();
      check(`${r.username}: a refresh token in flight at the kill is refused only if it was rotated`, row?.consumed_at != null, { consumed: row?.consumed_at ?? null });
      broken++;
    }
  }
  return broken;
}

// --- The harness --------------------------------------------------------------------------------

beforeAll(async () => {
  const problem = clusterPrerequisiteProblem();
  if (problem) throw new Error(`The crash-safety harness runs the production build: ${problem}`);
  globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
    const counted = String(args[0] instanceof Request ? args[0].url : args[0]).startsWith(c?.url ?? '\0');
    if (counted) inFlight++;
    try {
      return await plainFetch(...args);
    } finally {
      if (counted) inFlight--;
    }
  };
  c = await startPortalCluster({
    instances: 1,
    env: { SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000', PASSWORD_RESET_INTERVAL_HOURS: '0', MFA_REQUIRED_FOR_STAFF: 'false' },
  });
  const client = await c.directory.createClient({ name: 'ImmTrac2', redirectUris: [redirectUri] });
  app = await oidc.discovery(new URL(c.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
  desk = await c.directory.createClient({ name: 'Help desk tool', grants: ['client_credentials'], scopes: ['helpdesk:unlock', 'helpdesk:reset'] });

  for (const username of [...signers.map((s) => s.username), ...resetters.map((r) => r.username), 'mail0', 'mail1', 'desk0', 'desk1', 'ref0', 'ref1', 'hold0', 'hold1']) {
    await c.directory.createUser({ username, email: `${username}@example.org`, password });
  }
  // First sign-ins (AUA, security questions) done once, so the load is the same every round.
  await Promise.all([...signers, ...resetters].map((s) => new ClusterBrowser(c.url).signIn(authorizationUrl(), s.username, password)));
  for (const username of ['mail0', 'mail1']) {
    const browser = await portalSession(username, password);
    emailers.push({ username, browser, email: `${username}@example.org`, changes: 0 });
    liveSessions.push({ username, browser });
  }
  for (const username of ['desk0', 'desk1']) deskTargets.push({ username, id: (await c.portal.services.users.findByUsername(username))!.id, actions: 0 });
  for (const username of ['hold0', 'hold1']) liveSessions.push({ username, browser: await portalSession(username, password) });
}, 90_000);

afterAll(async () => {
  globalThis.fetch = plainFetch;
  await c?.stop();
});

test(`kill -9 under load, ${loops} times (at random, and right after a reset commits): nothing half-changed, the audit verifies, sessions live or ended as owed, no rotated refresh token valid`, async () => {
  const rounds: { moment: string; killAfterMs: number; inFlight: number; owedAtKill: number }[] = [];
  let brokenChains = 0;
  const started = Date.now();
  const completed = () => ({
    resets: resetters.reduce((n, r) => n + r.resets, 0),
    emailChanges: emailers.reduce((n, e) => n + e.changes, 0),
    deskActions: deskTargets.reduce((n, t) => n + t.actions, 0),
    sessionsChecked: liveSessions.length,
  });
  const everyKindRan = () => Object.values(completed()).every((n) => n > 0);
  // A kill at a random moment may come before a slow action finished even once (two loaded cores);
  // up to three more rounds then, so the proof covers every kind of action, not just the quick ones.
  for (let round = 0; round < loops || (round < loops + 3 && !everyKindRan()); round++) {
    // Refresh chains begin each round with a fresh sign-in (the session is a live one too).
    refreshers.length = 0;
    for (const username of ['ref0', 'ref1']) {
      const verifier = oidc.randomPKCECodeVerifier();
      const browser = new ClusterBrowser(c.url);
      const callback = await browser.signIn(oidc.buildAuthorizationUrl(app, { redirect_uri: redirectUri, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }).href, username, password);
      const tokens = await oidc.authorizationCodeGrant(app, new URL(callback), { pkceCodeVerifier: verifier });
      refreshers.push({ username, received: [tokens.refresh_token!], refreshes: 0 });
      liveSessions.push({ username, browser });
    }
    const got = await plainFetch(`${c.url}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${desk.client_id}:${desk.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: resource(), scope: 'helpdesk:unlock helpdesk:reset' }),
    });
    deskToken = ((await got.json()) as { access_token: string }).access_token;

    running = true;
    const loadStarted = Date.now();
    const load = Promise.all([
      ...signers.map((s) => loop(`sign-in ${s.username}`, () => signInOnce(s))),
      ...resetters.map((r) => loop(`reset ${r.username}`, () => resetOnce(r))),
      ...emailers.map((e) => loop(`email change ${e.username}`, () => changeEmailOnce(e))),
      ...deskTargets.map((t, i) => loop(`help desk ${t.username}`, () => deskAction(t, (t.actions + i) % 2 === 0 ? 'unlock' : 'temporary-password'))),
      ...refreshers.map((r) => loop(`refresh ${r.username}`, () => refreshOnce(r))),
    ]);
    // Every other round at a random moment (early, mid first requests, to late, several rounds of
    // every action in); the others right after a Forgot Password reset commits — the moment its
    // promise to end the sessions is stored and not yet kept — watched from the database.
    let moment: 'random' | 'after commit' | 'no commit seen' = round % 2 === 0 ? 'random' : 'after commit';
    const owedByResets = () => count(c.db('pending_session_ends').where({ reason: 'password_reset' }).count({ n: '*' }));
    const owed = await owedByResets();
    if (moment === 'random') await sleep(300 + Math.floor(Math.random() * 2200));
    else {
      const deadline = Date.now() + 8000;
      while ((await owedByResets()) <= owed) {
        if (Date.now() > deadline) {
          moment = 'no commit seen';
          break;
        }
        await sleep(1);
      }
    }
    const killAfterMs = Date.now() - loadStarted;
    const atKill = inFlight;
    killedAt = Date.now();
    const exit = await c.kill(0, 'SIGKILL');
    running = false;
    // Session endings committed and not carried out when the process died: the restart must keep them.
    const owedAtKill = await count(c.db('pending_session_ends').count({ n: '*' }));
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    await load;
    const before = loadErrors.filter((e) => e.at < killedAt);
    expect(before).toEqual([]);
    loadErrors.length = 0;
    rounds.push({ moment, killAfterMs, inFlight: atKill, owedAtKill });

    await c.restart(0);
    await checkResets();
    await checkAccounts();
    const verified = await c.portal.services.audit.verify();
    check('the audit chain verifies', verified.ok === true, verified);
    await checkSessions();
    brokenChains += await checkRefreshTokens();
  }

  // The operator's own verifier, from the production build, agrees at the end.
  const cli = await c.cli(['audit:verify', '--json']);
  expect({ code: cli.code, ok: (JSON.parse(cli.stdout) as { ok: boolean }).ok }).toEqual({ code: 0, ok: true });
  // The load really ran: every kind of action completed somewhere in the rounds.
  const done = completed();
  expect(done).toEqual({ resets: expect.any(Number), emailChanges: expect.any(Number), deskActions: expect.any(Number), sessionsChecked: expect.any(Number) });
  expect(Object.entries(done).filter(([, n]) => n === 0)).toEqual([]);
  recordSecurityResult({
    check: 'crash safety: kill -9 under load',
    figures: {
      loops,
      kills: rounds.length,
      inFlightAtKill: rounds.map((r) => r.inFlight).join('/'),
      killAfterMs: rounds.map((r) => r.killAfterMs).join('/'),
      killedAfterCommit: rounds.filter((r) => r.moment === 'after commit').length,
      sessionEndsOwedAtKill: rounds.map((r) => r.owedAtKill).join('/'),
      checksPassed,
      ...done,
      brokenRefreshChains: brokenChains,
      seconds: Math.round((Date.now() - started) / 1000),
    },
  });
}, 180_000);
