import type { Browser, Page } from 'playwright-core';
import { press, watchCspViolations, type TestPortal } from '@portal/portal/testing';
import { startRegistryFixture, type RegistryFixture } from './fixture.js';

/**
 * A person in a real browser locks their account by guessing (SPEC §3.2: three wrong passwords,
 * three more with a CAPTCHA), is sent to Forgot Password, resets with an emailed code (§3.6),
 * chooses a new password against the listed rules (§3.4), finishes the first-sign-in steps (§3.3,
 * §3.5) and lands in ImmTrac2. Afterwards the old password is refused and the new one works.
 */
const oldPassword = 'Correct-Horse-9!';
const newPassword = 'Blue-Heron-Lake-42!';
const captchaText = 'K7PQX';
const wrongCredentials = 'The username or password you entered is incorrect.';
const stepTimeoutMs = 10_000;

let t: TestPortal;
let fixture: RegistryFixture;
let appUrl: string;
let browser: Browser;

beforeAll(async () => {
  fixture = await startRegistryFixture({ password: oldPassword,
    // A known picture, so the test can read the CAPTCHA the way a person reads it off the screen.
    portal: {
      captchaGenerator: () => ({
        svg: `<svg xmlns="http://www.w3.org/2000/svg" width="150" height="50"><text x="10" y="35">${captchaText}</text></svg>`,
        text: captchaText,
      }),
    } });
  ({ t, appUrl, browser } = fixture);
}, 60_000);

afterAll(() => fixture?.close());

/** What the person is looking at, for failure messages: the URL, the heading and any alert. */
async function describe(page: Page): Promise<string> {
  const heading = await page.locator('h1').first().innerText({ timeout: 1000 }).catch(() => '(no heading)');
  const alert = await page.getByRole('alert').first().innerText({ timeout: 200 }).catch(() => '');
  return `${page.url()} showing "${heading}"${alert ? ` with alert "${alert}"` : ''}`;
}

/** Waits until the page's main heading is `name`; fails saying what the page showed instead. */
async function expectHeading(page: Page, name: string): Promise<void> {
  try {
    await page.getByRole('heading', { level: 1, name, exact: true }).waitFor({ state: 'visible', timeout: stepTimeoutMs });
  } catch {
    throw new Error(`expected the heading "${name}", but the browser is at ${await describe(page)}`);
  }
}

/** Waits until the browser is at `url`; fails saying what the page showed instead. */
async function expectUrl(page: Page, url: string): Promise<void> {
  try {
    await page.waitForURL(url, { timeout: stepTimeoutMs });
  } catch {
    throw new Error(`expected to arrive at ${url}, but the browser is at ${await describe(page)}`);
  }
}

async function alertText(page: Page): Promise<string> {
  return page.getByRole('alert').first().innerText({ timeout: stepTimeoutMs });
}

async function signIn(page: Page, password: string, captcha?: string): Promise<void> {
  await page.getByLabel('Username', { exact: true }).fill('pat');
  await page.getByLabel('Password', { exact: true }).fill(password);
  if (captcha !== undefined) await page.getByLabel('Type the characters in the picture', { exact: true }).fill(captcha);
  await press(page, 'Sign In');
}

async function expectCaptchaShown(page: Page): Promise<void> {
  const picture = page.getByRole('img', { name: /^Security check/ });
  await picture.waitFor({ state: 'visible', timeout: stepTimeoutMs });
  // The picture must actually load (not blocked by the CSP, not a broken link): a person has to read it.
  expect(await picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(page.getByLabel('Type the characters in the picture', { exact: true }).isVisible()).resolves.toBe(true);
  // Its alternatives (WCAG 1.1.1): the recording, its download, a new picture.
  await expect(page.locator('audio.captcha-audio[controls]').isVisible()).resolves.toBe(true);
  await expect(page.getByRole('link', { name: 'Download the recording (WAV sound file)' }).isVisible()).resolves.toBe(true);
  await expect(page.getByRole('button', { name: 'Get a new picture', exact: true }).isVisible()).resolves.toBe(true);
}

test('six wrong passwords lock the account; the person resets it by emailed code, finishes signing in, and only the new password works', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cspViolations = watchCspViolations(page);

  // 1. The app sends the person to the portal's Sign In page.
  await page.goto(`${appUrl}/`);
  await expectHeading(page, 'Sign In');
  expect(page.url().startsWith(`${t.url}/interaction/`)).toBe(true);

  // 2. Three wrong passwords: the same generic message each time; the CAPTCHA only after the third.
  for (let attempt = 1; attempt <= 3; attempt++) {
    await signIn(page, `Wrong-Guess-${attempt}!`);
    await expectHeading(page, 'Sign In');
    expect(await alertText(page)).toContain(wrongCredentials);
    expect(await page.getByLabel('Username', { exact: true }).inputValue()).toBe('pat');
    if (attempt < 3) expect(await page.getByRole('img', { name: /^Security check/ }).count()).toBe(0);
  }
  await expectCaptchaShown(page);

  // 3. Three more, with the CAPTCHA typed as read (case does not matter to a person): locked after the sixth.
  for (let attempt = 4; attempt <= 5; attempt++) {
    await signIn(page, `Wrong-Guess-${attempt}!`, captchaText.toLowerCase());
    await expectHeading(page, 'Sign In');
    expect(await alertText(page)).toContain(wrongCredentials);
    await expectCaptchaShown(page);
  }
  await signIn(page, 'Wrong-Guess-6!', captchaText.toLowerCase());
  await expectHeading(page, 'Forgot Password');
  expect(page.url()).toBe(`${t.url}/forgot-password`);
  const lockedNotice = await alertText(page);
  expect(lockedNotice).toContain('Your account is locked');
  expect(lockedNotice).toContain('Customer Support');
  expect(lockedNotice).toContain('800-348-9158');
  expect(await page.getByLabel('Username', { exact: true }).inputValue()).toBe('pat');

  // 4. One security question; pat has none set up yet, so any answer lets the email path go on.
  await press(page, 'Next');
  await expectHeading(page, 'Forgot Password');
  expect(await page.locator('main').innerText()).toContain('Username: pat');
  const question = page.getByLabel(/\?$/);
  expect(await question.count()).toBe(1);
  await question.fill('Anything at all');
  await press(page, 'Next');

  // 5. A code by email: the mail says what it is and when it expires; the code is typed in.
  await expectHeading(page, 'How do you want to reset your password?');
  await page.getByLabel('Email me a one-time security code', { exact: true }).check();
  await press(page, 'Next');
  await expectHeading(page, 'Enter Your Security Code');
  expect(await page.locator('main').innerText()).toContain('valid for 30 minutes');
  const mail = await t.mail.waitFor((m) => m.to.includes('pat@example.org'), stepTimeoutMs);
  expect(mail.subject).toBe('Your HHS Enterprise Portal security code');
  expect(mail.text).toContain('expires');
  const code = /^\s*(\d{6})\s*$/m.exec(mail.text)?.[1];
  expect(code).toMatch(/^\d{6}$/);
  await page.getByLabel('Security code', { exact: true }).fill(code!);
  await press(page, 'Next');

  // 6. A new password, with the rules beside the form: a weak one is refused with the rules it breaks.
  await expectHeading(page, 'Choose a New Password');
  const rules = await page.getByRole('complementary', { name: 'Password rules' }).innerText();
  expect(rules).toContain('At least 8 characters');
  expect(rules).toContain('Not a commonly used password');
  await page.getByLabel('New Password', { exact: true }).fill('password');
  await page.getByLabel('Confirm Password', { exact: true }).fill('password');
  await press(page, 'Submit');
  await expectHeading(page, 'Choose a New Password');
  const problems = await alertText(page);
  expect(problems).toContain('This password is too commonly used');
  expect(problems).toContain('upper-case letter');
  await page.getByLabel('New Password', { exact: true }).fill(newPassword);
  await page.getByLabel('Confirm Password', { exact: true }).fill(newPassword);
  await press(page, 'Submit');

  // 7. Signed in by the reset, the person carries on: the AUA, security questions, then ImmTrac2.
  await expectHeading(page, 'HHS Acceptable Use Agreement');
  expect(await page.getByRole('status').first().innerText()).toContain('Your password has been reset and your account is unlocked.');
  await press(page, 'I Agree');
  await expectHeading(page, 'Set Up Your Security Questions');
  for (const [i, id] of ['first-pet', 'first-car', 'favorite-teacher'].entries()) {
    await page.locator(`#question_${i}`).selectOption(id);
    await page.locator(`#answer_${i}`).fill(`Answer ${i + 1}`);
  }
  await page.getByRole('button', { name: 'Submit', exact: true }).click();
  await expectUrl(page, `${appUrl}/statement`);
  await expectHeading(page, 'Confidentiality Statement');
  expect(cspViolations).toEqual([]);
  await context.close();

  // 8. In a fresh browser: the old password is refused, the new one goes straight into ImmTrac2.
  const fresh = await browser.newContext();
  const again = await fresh.newPage();
  await again.goto(`${appUrl}/`);
  await expectHeading(again, 'Sign In');
  await signIn(again, oldPassword);
  await expectHeading(again, 'Sign In');
  expect(await alertText(again)).toContain(wrongCredentials);
  await again.getByLabel('Username', { exact: true }).fill('pat');
  await again.getByLabel('Password', { exact: true }).fill(newPassword);
  await again.getByRole('button', { name: 'Sign In', exact: true }).click();
  await expectUrl(again, `${appUrl}/statement`);
  await expectHeading(again, 'Confidentiality Statement');
  await fresh.close();
});
