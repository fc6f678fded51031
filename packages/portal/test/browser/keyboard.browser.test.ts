import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { countingCaptcha, launchChromium, pictureDigits, startTestPortal, answerFirstSignInSteps, watchCspViolations, press, expectHeading, stepTimeoutMs, type TestPortal } from '../../src/testing/index.js';

/**
 * The keyboard and errors (issue #13, WCAG 2.1.1, 2.4.3, 2.4.7, 3.3.1, 4.1.2): a person who uses
 * no mouse gets from the sign-in page through a CAPTCHA, Forgot Password, the Acceptable Use
 * Agreement and the security questions to the portal home and into ImmTrac2, and sees where the
 * focus is at every stop; a page that comes back with a problem takes the focus to what went
 * wrong, marks each field in error and says "Error:" in its title.
 */
const password = 'Correct-Horse-9!';
const newPassword = 'Blue-Heron-Lake-42!';

let t: TestPortal;
let browser: Browser;
/** ImmTrac2 as far as the portal can tell: a relying party that signs in with openid-client. */
let app: Server;
let appUrl: string;

beforeAll(async () => {
  browser = await launchChromium();
  app = createServer();
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  t = await startTestPortal({
    // The home page links ImmTrac2 here, as the start command sets REGISTRY_URL.
    env: { REGISTRY_URL: appUrl },
    // Each picture shows its own digits, so the test reads them off the picture as a person does.
    captchaGenerator: countingCaptcha(70001),
  });
  await t.directory.createOrg({ code: 'PEDS01', iisId: '1000000001', name: 'Hill Country Pediatrics' });
  await t.directory.createUser({ username: 'pat', name: 'Pat Provider', email: 'pat@example.org', password, orgs: ['PEDS01:full_access_provider'] });
  // The registry's registration, as packages/registry's browser fixture makes it.
  const client = await t.directory.createClient({ clientId: 'registry', name: 'ImmTrac2', app: 'registry', redirectUris: [`${appUrl}/callback`], postLogoutRedirectUris: [`${appUrl}/`] });
  const config = await oidc.discovery(new URL(t.url), 'registry', client.client_secret!, undefined, { execute: [oidc.allowInsecureRequests] });
  serveApp(config);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  app?.closeAllConnections();
  await new Promise((resolve) => app?.close(resolve));
  await t?.close();
});

/** /login sends the browser to the portal; /callback redeems the code and greets the person by name. */
function serveApp(config: oidc.Configuration): void {
  const pending = new Map<string, string>();
  app.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', appUrl);
    void (async () => {
      if (url.pathname === '/login') {
        const verifier = oidc.randomPKCECodeVerifier();
        const state = oidc.randomState();
        pending.set(state, verifier);
        const target = oidc.buildAuthorizationUrl(config, {
          redirect_uri: `${appUrl}/callback`,
          scope: 'openid profile',
          state,
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
        });
        return res.writeHead(303, { location: target.href }).end();
      }
      if (url.pathname === '/callback') {
        const state = url.searchParams.get('state') ?? '';
        const tokens = await oidc.authorizationCodeGrant(config, url, { pkceCodeVerifier: pending.get(state), expectedState: state });
        const claims = tokens.claims();
        return res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(`<!doctype html><html lang="en"><title>ImmTrac2</title><h1>ImmTrac2</h1><p>Signed in as ${String(claims?.name ?? claims?.sub)}</p>`);
      }
      res.writeHead(404).end();
    })().catch((err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(err.message));
  });
}

/** What has the focus, as the test reports it and judges it. */
interface FocusStop {
  /** `input#password`, `a "Forgot Password"`: for messages. */
  what: string;
  tag: string;
  id: string;
  /** The link's or button's text, or the field's label. */
  name: string;
  visible: boolean;
  /** outline-style, outline-width and box-shadow while focused. */
  outline: string;
  indicator: boolean;
}

function focusStop(page: Page): Promise<FocusStop> {
  return page.evaluate(() => {
    const el = (document.activeElement ?? document.body) as HTMLElement;
    const tag = el.tagName.toLowerCase();
    const labels = (el as HTMLInputElement).labels;
    const name = (labels?.[0]?.textContent ?? el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    const onScreen = rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0 && rect.top < innerHeight && rect.left < innerWidth;
    const visible = onScreen && el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
    // A visible focus indicator (WCAG 2.4.7; 2.4.13's 2 CSS pixels): an outline at least 2px wide,
    // or a box shadow. Chromium's own `auto 1px` ring is not counted: the portal draws its own.
    const outlineWidth = parseFloat(style.outlineWidth) || 0;
    const indicator = (style.outlineStyle !== 'none' && outlineWidth >= 2) || style.boxShadow !== 'none';
    return {
      what: `${tag}${el.id ? `#${el.id}` : ''}${name && tag !== 'body' ? ` "${name.slice(0, 40)}"` : ''}`,
      tag,
      id: el.id,
      name,
      visible,
      outline: `${style.outlineStyle} ${style.outlineWidth} / box-shadow ${style.boxShadow}`,
      indicator,
    };
  });
}

/**
 * Focus problems of the whole journey (a stop that is not visible or shows no focus indicator),
 * with the page they were on: collected so that one missing style does not hide every later page,
 * and asserted at the end of the test.
 */
let focusProblems: string[] = [];

/**
 * A page's recording player as it looks without the focus. Its buttons live in the browser's own
 * closed shadow root, where no style can be read: the focus ring they draw is seen by comparing
 * pictures of the player, focused and not.
 */
const unfocusedPlayer = new WeakMap<Page, Buffer>();
const playerPicture = (page: Page) => page.locator('audio[controls]').first().screenshot({ animations: 'disabled' });

async function judge(page: Page, stop: FocusStop): Promise<void> {
  const where = `${await headingOf(page)}: ${stop.what}`;
  if (stop.tag === 'body') throw new Error(`${where}: the focus was lost (it is on the page itself)`);
  if (!stop.visible) focusProblems.push(`${where} has the focus but is not visible`);
  if (stop.tag === 'audio') {
    const before = unfocusedPlayer.get(page);
    if (!before) throw new Error(`${where}: no picture of the player without the focus to compare with`);
    if (before.equals(await playerPicture(page))) focusProblems.push(`${where} has the focus but the player looks the same as without it`);
  } else if (!stop.indicator) {
    focusProblems.push(`${where} has the focus but no visible focus indicator (${stop.outline})`);
  }
}

const headingOf = (page: Page) => page.evaluate(() => document.querySelector('h1')?.textContent?.trim() ?? document.title);

/** Tab (or Shift+Tab) until `target` has the focus, judging every stop on the way. */
async function tabTo(page: Page, target: { id: string } | { name: string | RegExp; tag?: string }, options: { back?: boolean } = {}): Promise<FocusStop> {
  const stops: string[] = [];
  const outsidePlayer = await page.evaluate(() => document.querySelector('audio[controls]') !== null && document.activeElement?.tagName !== 'AUDIO');
  if (outsidePlayer) unfocusedPlayer.set(page, await playerPicture(page));
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const stop = await focusStop(page);
    await judge(page, stop);
    stops.push(stop.what);
    const reached =
      'id' in target
        ? stop.id === target.id
        : (typeof target.name === 'string' ? stop.name === target.name : target.name.test(stop.name)) && (!target.tag || stop.tag === target.tag);
    if (reached) return stop;
  }
  throw new Error(`${options.back ? 'Shift+Tab' : 'Tab'} never reached ${JSON.stringify(target)} on "${await headingOf(page)}"; the stops were: ${stops.join(', ')}`);
}

/** Presses `key` where the focus is and waits for the page it leads to. */
async function pressFor(page: Page, key: string): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: stepTimeoutMs });
  await page.keyboard.press(key);
  await navigated;
  await page.waitForLoadState('load');
  // autofocus is applied at the next rendering update after parsing
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/**
 * Where a keyboard starts on a new page (WCAG 2.4.1, 2.4.3): the focus the page gave on its own
 * (autofocus: the first field, or the error summary of a page with problems), or else where the
 * first Tab goes — a "Skip to main content" link, or the first control of the page.
 */
async function expectFirstStop(page: Page): Promise<FocusStop> {
  const given = await focusStop(page);
  const page_ = await page.evaluate(() => {
    const tabbable = (root: ParentNode) =>
      [...root.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), audio[controls], [tabindex]')]
        .filter((el) => el.tabIndex >= 0 && el.checkVisibility());
    const describe = (el: HTMLElement | undefined) => (el ? { id: el.id, text: el.textContent?.trim() ?? '', href: el.getAttribute('href') ?? '' } : undefined);
    const main = document.querySelector('main');
    const first = tabbable(document)[0];
    return {
      first: describe(first),
      firstInMain: describe(main ? tabbable(main)[0] : undefined),
      skipLink: describe(tabbable(document).find((el) => el.tagName === 'A' && /skip to main content/i.test(el.textContent ?? ''))),
      mainId: main?.id ?? '',
      summaryFocused: Boolean(document.activeElement?.closest('[role=alert]')) && document.activeElement !== document.body,
    };
  });
  if (given.tag !== 'body') {
    // Focus placed by the page: on the error summary, or the form's first field. The summary is
    // not a control (tabindex=-1, no Tab reaches it), so it needs no focus ring, only to be seen.
    if (page_.summaryFocused) expect(given.visible).toBe(true);
    else await judge(page, given);
    expect(page_.summaryFocused || (given.id !== '' && given.id === page_.firstInMain?.id)).toBe(true);
    return given;
  }
  await page.keyboard.press('Tab');
  const stop = await focusStop(page);
  await judge(page, stop);
  if (page_.skipLink) {
    // The skip link is the first stop and leads to <main>.
    expect(stop.name).toMatch(/skip to main content/i);
    expect(page_.skipLink.href).toBe(`#${page_.mainId}`);
  } else {
    // TIGHTEN once the chrome's "Skip to main content" link lands (being added to layout.ts and
    // rp-kit/src/views.ts): drop this branch, so that every page must offer the skip link as its
    // first Tab stop. Until then the first Tab may reach the page's first control (the header's
    // "HHS Enterprise Portal" link) — but nothing hidden, out of order or focus-trapping.
    expect({ id: stop.id, name: stop.name }).toEqual({ id: page_.first!.id, name: page_.first!.text });
  }
  return stop;
}

/** The page came back with a problem: what a person using a screen reader or a keyboard meets. */
async function expectErrorState(page: Page, problem: { message: string | RegExp; fields: string[] }): Promise<void> {
  const state = await page.evaluate(() => {
    const summary = document.activeElement?.closest<HTMLElement>('[role=alert], .error-summary');
    const textOf = (ids: string) =>
      ids
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => ({ id, text: document.getElementById(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? null }));
    return {
      title: document.title,
      summary: summary ? { text: summary.textContent?.replace(/\s+/g, ' ').trim() ?? '', visible: summary.checkVisibility() } : null,
      active: document.activeElement?.tagName.toLowerCase(),
      invalid: [...document.querySelectorAll<HTMLElement>('main [aria-invalid="true"]')].map((el) => ({ id: el.id, describedBy: textOf(el.getAttribute('aria-describedby') ?? '') })),
      fields: Object.fromEntries(
        [...document.querySelectorAll<HTMLElement>('main input:not([type=hidden]), main select, main textarea')].map((el) => [
          el.id,
          { invalid: el.getAttribute('aria-invalid'), describedBy: textOf(el.getAttribute('aria-describedby') ?? '') },
        ]),
      ),
    };
  });
  const heading = await headingOf(page);
  // WCAG 3.3.1: the title says so first, for those who hear the title before anything else.
  expect({ heading, title: state.title }).toEqual({ heading, title: expect.stringMatching(/^Error: /) });
  // The focus is on the summary (or inside it), which names the problem.
  expect({ heading, focusIn: state.summary ? 'the error summary' : state.active }).toEqual({ heading, focusIn: 'the error summary' });
  expect(state.summary!.visible).toBe(true);
  expect(state.summary!.text).toMatch(problem.message);
  // Each field in error says so, and is described by an element holding its message.
  for (const id of problem.fields) {
    const field = state.fields[id];
    expect({ heading, id, invalid: field?.invalid }).toEqual({ heading, id, invalid: 'true' });
    expect({ heading, id, describedBy: field!.describedBy.some((d) => d.text !== null && (typeof problem.message === 'string' ? d.text.includes(problem.message) : problem.message.test(d.text))) }).toEqual({
      heading,
      id,
      describedBy: true,
    });
  }
  // And no field is marked invalid without a message to go with it.
  for (const field of state.invalid) expect({ heading, id: field.id, described: field.describedBy.some((d) => Boolean(d.text)) }).toEqual({ heading, id: field.id, described: true });
}


const fieldValue = (page: Page, id: string) => page.evaluate((id) => (document.getElementById(id) as HTMLInputElement | HTMLSelectElement).value, id);

/** The code in the newest mail to `email`, as the person reads it. */
async function newestCode(email: string, after: number): Promise<string> {
  await t.mail.waitFor((m) => m.to.includes(email) && t.mail.messages().filter((n) => n.to.includes(email)).length > after, stepTimeoutMs);
  const newest = t.mail.messages().find((m) => m.to.includes(email))!;
  return /^\s*(\d{6})\s*$/m.exec(newest.text)![1]!;
}

test('keyboard only: sign-in → CAPTCHA → Forgot Password → emailed code → new password → I Agree → security questions → home → ImmTrac2', async () => {
  focusProblems = [];
  const context = await browser.newContext();
  const page = await context.newPage();
  const csp = watchCspViolations(page);
  await page.goto(`${t.url}/`);
  await expectHeading(page, 'HHS Enterprise Portal');

  // The signed-out home: its Sign In link.
  await expectFirstStop(page);
  await tabTo(page, { name: 'Sign In', tag: 'a' });
  await pressFor(page, 'Enter');
  await expectHeading(page, 'Sign In');

  // Sign-in: the first field has the focus. No password at all: the empty field is named.
  expect((await expectFirstStop(page)).id).toBe('username');
  await page.keyboard.type('pat');
  await pressFor(page, 'Enter');
  await expectHeading(page, 'Sign In');
  await expectErrorState(page, { message: 'Enter your username and password.', fields: ['password'] });
  expect((await expectFirstStop(page)).tag).not.toBe('body');

  // Three wrong passwords: each time the focus is on what went wrong, then the CAPTCHA is asked.
  for (let attempt = 1; attempt <= 3; attempt++) {
    expect(await fieldValue(page, 'username')).toBe('pat');
    await tabTo(page, { id: 'password' });
    await page.keyboard.type(`Wrong-Guess-${attempt}!`);
    await pressFor(page, 'Enter');
    await expectHeading(page, 'Sign In');
    await expectErrorState(page, { message: 'The username or password you entered is incorrect.', fields: ['username', 'password'] });
  }
  await page.getByRole('img', { name: /^Security check/ }).waitFor({ state: 'visible', timeout: stepTimeoutMs });

  // The CAPTCHA stage: password, then every alternative on the way to the characters' field.
  await tabTo(page, { id: 'password' });
  await page.keyboard.type('Wrong-Guess-4!');
  await tabTo(page, { id: 'captcha' });
  await page.keyboard.type(await pictureDigits(page));
  await pressFor(page, 'Enter');
  await expectHeading(page, 'Sign In');
  // The characters were right, so only the name and password are in question.
  await expectErrorState(page, { message: 'The username or password you entered is incorrect.', fields: ['username', 'password'] });
  expect(await page.locator('main').innerText()).toContain('After 2 more unsuccessful attempts the account will be locked.');

  // Forgot Password, from the sign-in page.
  await tabTo(page, { name: 'Forgot Password', tag: 'a' });
  await pressFor(page, 'Enter');
  await expectHeading(page, 'Forgot Password');
  expect((await expectFirstStop(page)).id).toBe('username');
  await pressFor(page, 'Enter'); // nothing typed
  await expectErrorState(page, { message: 'Enter your username.', fields: ['username'] });
  await tabTo(page, { id: 'username' });
  await page.keyboard.type('pat');
  await pressFor(page, 'Enter');

  // The first security question (none set up yet: any answer goes on to the email).
  await expectHeading(page, 'Forgot Password');
  expect((await expectFirstStop(page)).id).toBe('answer');
  await pressFor(page, 'Enter');
  await expectErrorState(page, { message: 'Enter your answer.', fields: ['answer'] });
  await tabTo(page, { id: 'answer' });
  await page.keyboard.type('Rex');
  await pressFor(page, 'Enter');

  // How to reset: a fieldset of radios, moved through with the arrow keys.
  await expectHeading(page, 'How do you want to reset your password?');
  await expectFirstStop(page);
  await tabTo(page, { id: 'method_email' });
  await page.keyboard.press('ArrowDown');
  expect((await focusStop(page)).id).toBe('method_questions');
  expect(await page.locator('#method_questions').isChecked()).toBe(true);
  await page.keyboard.press('ArrowUp');
  expect((await focusStop(page)).id).toBe('method_email');
  expect(await page.locator('#method_email').isChecked()).toBe(true);
  await judge(page, await focusStop(page));
  const mailsBefore = t.mail.messages().filter((m) => m.to.includes('pat@example.org')).length;
  await tabTo(page, { name: 'Next', tag: 'button' });
  await pressFor(page, 'Enter');

  // The emailed code: a wrong one first.
  await expectHeading(page, 'Enter Your Security Code');
  expect((await expectFirstStop(page)).id).toBe('code');
  await page.keyboard.type('000000');
  await pressFor(page, 'Enter');
  await expectErrorState(page, { message: /The code you entered is not correct/, fields: ['code'] });
  await tabTo(page, { id: 'code' });
  await page.keyboard.type(await newestCode('pat@example.org', mailsBefore));
  await pressFor(page, 'Enter');

  // A new password: typed differently twice first.
  await expectHeading(page, 'Choose a New Password');
  await expectFirstStop(page);
  await tabTo(page, { id: 'new_password' });
  await page.keyboard.type(newPassword);
  await tabTo(page, { id: 'confirm_password' });
  await page.keyboard.type(`${newPassword}x`);
  await pressFor(page, 'Enter');
  await expectHeading(page, 'Choose a New Password');
  await expectErrorState(page, { message: 'The New Password and Confirm Password entries do not match.', fields: ['confirm_password'] });
  await tabTo(page, { id: 'new_password' });
  await page.keyboard.type(newPassword);
  await page.keyboard.press('Tab');
  expect((await focusStop(page)).id).toBe('confirm_password');
  await page.keyboard.type(newPassword);
  await pressFor(page, 'Enter');

  // Back in the sign-in, already signed in: the Acceptable Use Agreement. Its text scrolls with
  // the arrow keys; past I Agree to Decline and back, and Space agrees.
  await expectHeading(page, /Acceptable Use/);
  await expectFirstStop(page);
  const agreement = await tabTo(page, { name: 'Agreement text' });
  expect(agreement.tag).toBe('div');
  const scrolled = await page.evaluate(() => document.activeElement!.scrollTop);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction((before) => document.activeElement!.scrollTop > before, scrolled, { timeout: stepTimeoutMs });
  await tabTo(page, { name: 'I Agree', tag: 'button' });
  await tabTo(page, { name: 'Decline', tag: 'button' });
  await tabTo(page, { name: 'I Agree', tag: 'button' }, { back: true });
  await pressFor(page, 'Space');

  // Three security questions: each picked with the arrow keys, each a different one.
  await expectHeading(page, 'Set Up Your Security Questions');
  await expectFirstStop(page);
  for (const i of [0, 1, 2]) {
    await tabTo(page, { id: `question_${i}` });
    for (let step = 0; step <= i; step++) await page.keyboard.press('ArrowDown');
    await tabTo(page, { id: `answer_${i}` });
    await page.keyboard.type(`Answer ${i + 1}`);
  }
  const chosen = await Promise.all([0, 1, 2].map((i) => fieldValue(page, `question_${i}`)));
  expect(new Set(chosen).size).toBe(3);
  expect(chosen).not.toContain('');
  await tabTo(page, { name: 'Submit', tag: 'button' });
  await pressFor(page, 'Enter');

  // The portal home, signed in; ImmTrac2 from its list of applications.
  await expectHeading(page, 'HHS Enterprise Portal');
  expect(await page.locator('main').innerText()).toContain('Welcome, Pat Provider.');
  await expectFirstStop(page);
  await tabTo(page, { name: 'Open ImmTrac2', tag: 'a' });
  await pressFor(page, 'Enter');
  await expectHeading(page, 'ImmTrac2');
  expect(await page.locator('body').innerText()).toContain('Signed in as Pat Provider');

  expect(csp).toEqual([]);
  expect(focusProblems).toEqual([]);
  await context.close();
}, 120_000);

/** Signs `username` in, as any test does, past the first sign-in's steps. */
async function signedIn(username: string, pw: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${t.url}/login`);
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(pw);
  await press(page, 'Sign In');
  return page;
}

test("My Profile's Change Password, and a temporary password's Change Your Password: the focus goes to what went wrong, and each field says so", async () => {
  focusProblems = [];
  await t.directory.createUser({ username: 'kim', name: 'Kim Nurse', email: 'kim@example.org', password, orgs: ['PEDS01:full_access_provider'] });
  const page = await signedIn('kim', password);
  const csp = watchCspViolations(page);
  await answerFirstSignInSteps(page);
  await expectHeading(page, 'HHS Enterprise Portal');

  await tabTo(page, { name: 'My Profile', tag: 'a' });
  await pressFor(page, 'Enter');
  await expectHeading(page, 'My Profile');
  await tabTo(page, { name: 'Change Password', tag: 'a' });
  await pressFor(page, 'Enter');
  await expectHeading(page, 'Change Password');

  // No current password.
  await tabTo(page, { id: 'new_password' });
  await page.keyboard.type(newPassword);
  await page.keyboard.press('Tab');
  await page.keyboard.type(newPassword);
  await pressFor(page, 'Enter');
  await expectErrorState(page, { message: 'Enter your current password.', fields: ['current_password'] });
  // A wrong one.
  await tabTo(page, { id: 'current_password' });
  await page.keyboard.type('Not-My-Password-1!');
  await tabTo(page, { id: 'new_password' });
  await page.keyboard.type(newPassword);
  await page.keyboard.press('Tab');
  await page.keyboard.type(newPassword);
  await pressFor(page, 'Enter');
  await expectErrorState(page, { message: 'Your current password is not correct.', fields: ['current_password'] });
  // The right one, and two new passwords that differ.
  await tabTo(page, { id: 'current_password' });
  await page.keyboard.type(password);
  await tabTo(page, { id: 'new_password' });
  await page.keyboard.type(newPassword);
  await page.keyboard.press('Tab');
  await page.keyboard.type(`${newPassword}x`);
  await pressFor(page, 'Enter');
  await expectErrorState(page, { message: 'The New Password and Confirm Password entries do not match.', fields: ['confirm_password'] });
  // A password that breaks the rules: each rule is named, and New Password is the field in error.
  await tabTo(page, { id: 'current_password' });
  await page.keyboard.type(password);
  await tabTo(page, { id: 'new_password' });
  await page.keyboard.type('short');
  await page.keyboard.press('Tab');
  await page.keyboard.type('short');
  await pressFor(page, 'Enter');
  await expectErrorState(page, { message: /characters/, fields: ['new_password'] });
  expect(csp).toEqual([]);
  await page.context().close();

  // A temporary password's first sign-in: the Change Your Password step.
  const created = await t.directory.createUser({ username: 'lee', name: 'Lee Clerk', email: 'lee@example.org', temporary: true, orgs: ['PEDS01:full_access_provider'] });
  const step = await signedIn('lee', created.temporary_password!);
  await expectHeading(step, 'Change Your Password');
  await tabTo(step, { id: 'new_password' });
  await step.keyboard.type(newPassword);
  await step.keyboard.press('Tab');
  await step.keyboard.type(`${newPassword}x`);
  await pressFor(step, 'Enter');
  await expectHeading(step, 'Change Your Password');
  await expectErrorState(step, { message: 'The New Password and Confirm Password entries do not match.', fields: ['confirm_password'] });
  expect(focusProblems).toEqual([]);
  await step.context().close();
}, 60_000);
