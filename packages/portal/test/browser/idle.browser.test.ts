import type { Browser, Page } from 'playwright-core';
import { watchCspViolations, answerFirstSignInSteps, launchChromium, startTestPortal, type TestPortal } from '../../src/testing/index.js';

/**
 * The idle warning in a real browser (SPEC §3.7), with the idle time shortened to 15 seconds and
 * the warning to 10: the dialog appears and takes focus, "Stay signed in" keeps the session past
 * its first deadline, and letting the time pass signs the person out.
 */
const password = 'Correct-Horse-9!';

let t: TestPortal;
let browser: Browser | undefined;

beforeAll(async () => {
  t = await startTestPortal({ env: { SESSION_IDLE_MINUTES: '0.25', SESSION_IDLE_WARNING_SECONDS: '10' } });
  await t.directory.createUser({ username: 'ida', name: 'Ida Idle', email: 'ida@example.org', password });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signIn(page: Page) {
  await page.goto(`${t.url}/login`);
  await page.getByLabel('Username').fill('ida');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign In' }).click();
  await answerFirstSignInSteps(page);
  await page.getByText('Welcome, Ida Idle.').waitFor();
}

test('the idle warning appears, "Stay signed in" keeps the session, and letting it pass signs out', async () => {
  const page = await browser!.newPage();
  const cspViolations = watchCspViolations(page);
  await signIn(page);
  const loadedAt = Date.now();

  const dialog = page.getByRole('alertdialog', { name: 'Are you still there?' });
  await dialog.waitFor({ state: 'visible', timeout: 12_000 });
  expect(await dialog.innerText()).toMatch(/you will be signed out in \d+ seconds/);
  // Focus moves into the dialog, onto the safe choice, so a keyboard or screen-reader user can answer.
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('idle-stay');

  await page.keyboard.press('Enter'); // "Stay signed in", from the keyboard
  await dialog.waitFor({ state: 'hidden' });

  // Past the first deadline (15 s after the page loaded), the person is still signed in.
  await page.waitForTimeout(Math.max(0, loadedAt + 17_000 - Date.now()));
  expect(new URL(page.url()).pathname).toBe('/');
  const status = await page.evaluate(() => fetch('/session/status').then((r) => r.json()));
  expect(status.remainingSeconds).toBeGreaterThan(0);

  // Now let it pass: the page signs the person out by itself.
  await page.waitForURL(/\/signed-out\?reason=idle$/, { timeout: 25_000 });
  expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('You have signed out');
  expect(await page.locator('main').innerText()).toContain('because you were inactive');
  await page.goto(`${t.url}/`);
  await expect(page.getByRole('link', { name: 'Sign In' }).isVisible()).resolves.toBe(true);
  expect(cspViolations).toEqual([]);
}, 90_000);
