import type { Browser, Page } from 'playwright-core';
import { watchCspViolations, answerFirstSignInSteps, type TestPortal } from '@portal/portal/testing';
import { startRegistryFixture, type RegistryFixture } from './fixture.js';

/**
 * The idle warning in a real browser (SPEC §3.7), with ImmTrac2's idle time cut to 12 seconds and
 * the warning to 8: "Are you still there?" opens with "Stay signed in" focused and focus kept
 * inside; "Stay signed in" and Escape both keep the session past its original end; left alone,
 * the page ends on "You were signed out because you were inactive".
 */
const password = 'Correct-Horse-9!';
const idleMinutes = 0.2; // 12 seconds
const idleWarningSeconds = 8;
const idleMs = idleMinutes * 60_000;

let t: TestPortal;
let fixture: RegistryFixture;
let appUrl: string;
let browser: Browser;

beforeAll(async () => {
  fixture = await startRegistryFixture({ password: password, app: { idleMinutes, idleWarningSeconds } });
  ({ t, appUrl, browser } = fixture);
}, 60_000);

afterAll(() => fixture?.close());

async function signIn(page: Page): Promise<void> {
  await page.goto(`${appUrl}/`);
  await page.getByLabel('Username').fill('pat');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign In' }).click();
  // A first sign-in: the Acceptable Use Agreement, then three security questions (SPEC §3.3, §3.5).
  await answerFirstSignInSteps(page);
  await page.waitForURL(`${appUrl}/statement`, { timeout: 15_000 });
}

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim());
const remainingSeconds = (page: Page) =>
  page.evaluate(async () => ((await (await fetch('/session/status', { cache: 'no-store' })).json()) as { remainingSeconds: number }).remainingSeconds);

test('the idle warning offers "Stay signed in", keeps the session past its end when taken, and otherwise signs the person out', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cspViolations = watchCspViolations(page);
  await signIn(page);
  const originalEnd = Date.now() + idleMs; // the home page just slid the session
  await expect(page.getByRole('heading', { name: 'Confidentiality Statement' }).isVisible()).resolves.toBe(true);

  // The warning opens idleWarningSeconds before the end, as a modal that takes the focus.
  const dialog = page.getByRole('alertdialog', { name: 'Are you still there?' });
  await dialog.waitFor({ state: 'visible', timeout: idleMs });
  expect(originalEnd - Date.now()).toBeGreaterThan(3_000);
  expect(await dialog.innerText()).toMatch(/you will be signed out of ImmTrac2 in \d seconds because you have been inactive/);
  expect(await focusedText(page)).toBe('Stay signed in');
  // Focus stays inside the dialog, and the page behind it is inert.
  await page.keyboard.press('Tab');
  expect(await focusedText(page)).toBe('Sign Out now');
  await page.keyboard.press('Tab');
  expect(await focusedText(page)).toBe('Stay signed in');
  await page.keyboard.press('Shift+Tab');
  expect(await focusedText(page)).toBe('Sign Out now');
  expect(await page.locator('main').getAttribute('inert')).toBe('');

  await page.getByRole('button', { name: 'Stay signed in' }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 2_000 });
  expect(await page.locator('main').getAttribute('inert')).toBeNull();

  // The next warning; Escape means "I am here" too.
  await dialog.waitFor({ state: 'visible', timeout: idleMs });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', timeout: 2_000 });

  // Past the original end the session is alive (asked without counting as activity).
  await page.waitForTimeout(Math.max(0, originalEnd + 1_000 - Date.now()));
  expect(await remainingSeconds(page)).toBeGreaterThan(0);
  expect(page.url()).toBe(`${appUrl}/statement`);

  // Left alone this time: the page goes to the app's idle end, which ends the session and says why.
  await page.waitForURL(`${appUrl}/session/idle`, { timeout: idleMs + 3_000 });
  await expect(page.getByRole('heading', { level: 1, name: 'You were signed out' }).isVisible()).resolves.toBe(true);
  expect(await page.locator('main').innerText()).toContain('You were signed out because you were inactive for more than 12 seconds.');
  expect(await remainingSeconds(page)).toBe(0);
  await expect(page.getByRole('button', { name: 'Sign Out', exact: true }).count()).resolves.toBe(0);

  // "Sign In" goes back through the portal, whose own session is still live: no password asked.
  await page.getByRole('link', { name: 'Sign In' }).click();
  await page.waitForURL(`${appUrl}/statement`, { timeout: 10_000 });
  expect(await page.locator('main').innerText()).toContain('I Agree');
  expect(cspViolations).toEqual([]);
  await context.close();
}, 45_000);
