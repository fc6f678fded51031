import type { Browser, Page } from 'playwright-core';
import { countingCaptcha, launchChromium, pictureDigits, startTestPortal, answerFirstSignInSteps, watchCspViolations, press, expectHeading, stepTimeoutMs, type TestPortal } from '../../src/testing/index.js';

/**
 * The CAPTCHA page in Chromium (issue #13, WCAG 1.1.1): the picture, a recording of the same
 * characters that the browser can actually load and play under the strict CSP, a download link,
 * instructions tied to the field, and "Get a new picture" — which must not take over Enter.
 */
const password = 'Correct-Horse-9!';

let t: TestPortal;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestPortal({
    // Each picture shows its own digits, so the test reads them off the picture as a person does.
    captchaGenerator: countingCaptcha(50001),
  });
  await t.directory.createUser({ username: 'pat', name: 'Pat Provider', email: 'pat@example.org', password });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signIn(page: Page, pw: string, captcha?: string): Promise<void> {
  await page.getByLabel('Username', { exact: true }).fill('pat');
  await page.getByLabel('Password', { exact: true }).fill(pw);
  if (captcha !== undefined) await page.getByLabel('Type the characters in the picture', { exact: true }).fill(captcha);
  await press(page, 'Sign In');
}


test('the CAPTCHA page offers a playable recording, a download link and a new picture, and Enter still signs in', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const csp = watchCspViolations(page);
  await page.goto(`${t.url}/login`);
  for (let attempt = 1; attempt <= 3; attempt++) await signIn(page, `Wrong-Guess-${attempt}!`);
  await expectHeading(page, 'Sign In');

  // The picture, and the recording as a player a person can reach and use.
  const picture = page.getByRole('img', { name: /^Security check/ });
  await picture.waitFor({ state: 'visible', timeout: stepTimeoutMs });
  const player = page.locator('audio.captcha-audio');
  await player.waitFor({ state: 'visible', timeout: stepTimeoutMs });
  expect(await player.getAttribute('controls')).not.toBeNull();
  expect(await player.getAttribute('aria-label')).toBe('Security check recording');
  // The browser really loads and decodes it (same origin, allowed by the CSP's media-src): a few
  // seconds of sound, not a blocked or broken source.
  const duration = await player.evaluate(
    (audio: HTMLAudioElement) =>
      new Promise<number>((resolve, reject) => {
        audio.addEventListener('loadedmetadata', () => resolve(audio.duration), { once: true });
        audio.addEventListener('error', () => reject(new Error(`audio error ${audio.error?.code}`)), { once: true });
        audio.preload = 'auto';
        audio.load();
      }),
  );
  expect(duration).toBeGreaterThan(5);
  const download = page.getByRole('link', { name: 'Download the recording (WAV sound file)' });
  expect(await download.isVisible()).toBe(true);
  expect(await download.getAttribute('href')).toBe(await player.getAttribute('src'));

  // The field's description names the alternatives (a screen reader reads it with the label).
  const field = page.getByLabel('Type the characters in the picture', { exact: true });
  const description = await field.evaluate((input) =>
    (input.getAttribute('aria-describedby') ?? '').split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' '),
  );
  expect(description).toContain('For your security, type the characters in the picture as well.');
  expect(description).toContain('Cannot read the picture? Play the recording');

  // "Get a new picture": the same page with another picture and recording; the name typed stays.
  const oldText = await pictureDigits(page);
  const oldAudio = await player.getAttribute('src');
  await page.getByLabel('Username', { exact: true }).fill('pat');
  await press(page, 'Get a new picture');
  await expectHeading(page, 'Sign In');
  expect(await pictureDigits(page)).not.toBe(oldText);
  expect(await page.locator('audio.captcha-audio').getAttribute('src')).not.toBe(oldAudio);
  expect(await page.getByLabel('Username', { exact: true }).inputValue()).toBe('pat');
  expect(await page.locator('main').innerText()).toContain('After 3 more unsuccessful attempts the account will be locked.');

  // Enter in the password field is Sign In, not "Get a new picture": with the right answer and a
  // wrong password the person is told the password is wrong, one try fewer.
  await page.getByLabel('Password', { exact: true }).fill('Wrong-Guess-4!');
  await page.getByLabel('Type the characters in the picture', { exact: true }).fill(await pictureDigits(page));
  const navigated = page.waitForEvent('framenavigated', { timeout: stepTimeoutMs });
  await page.getByLabel('Password', { exact: true }).press('Enter');
  await navigated;
  await page.waitForLoadState('load');
  expect(await page.getByRole('alert').first().innerText()).toContain('The username or password you entered is incorrect.');
  expect(await page.locator('main').innerText()).toContain('After 2 more unsuccessful attempts the account will be locked.');

  // The newest picture's answer and the right password: signed in.
  await signIn(page, password, await pictureDigits(page));
  await answerFirstSignInSteps(page);
  await expectHeading(page, 'HHS Enterprise Portal');
  expect(csp).toEqual([]);
  await context.close();
});
