import type { Browser } from 'playwright-core';
import { watchCspViolations, type TestPortal } from '@portal/portal/testing';
import { startRegistryFixture, type RegistryFixture } from './fixture.js';

/**
 * A person in a real browser: opens ImmTrac2, is sent to the Enterprise Portal, signs in with the
 * form's labelled fields, and lands back in ImmTrac2 under their own name.
 */
const password = 'Correct-Horse-9!';

let t: TestPortal;
let fixture: RegistryFixture;
let appUrl: string;
let browser: Browser;

beforeAll(async () => {
  fixture = await startRegistryFixture({ password });
  ({ t, appUrl, browser } = fixture);
}, 60_000);

afterAll(() => fixture?.close());

test('opening ImmTrac2 leads through the portal sign-in and back to ImmTrac2 under the person\'s name, and Sign Out ends both sessions', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cspViolations = watchCspViolations(page);

  await page.goto(`${appUrl}/`);
  expect(page.url().startsWith(`${t.url}/interaction/`)).toBe(true);
  await expect(page.getByRole('heading', { name: 'Sign In' }).isVisible()).resolves.toBe(true);

  await page.getByLabel('Username').fill('pat');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign In' }).click();

  // A first sign-in: the Acceptable Use Agreement, then three security questions (SPEC §3.3, §3.5).
  await expect(page.getByRole('heading', { name: 'HHS Acceptable Use Agreement' }).isVisible()).resolves.toBe(true);
  await page.getByRole('button', { name: 'I Agree' }).click();
  await expect(page.getByRole('heading', { name: 'Set Up Your Security Questions' }).isVisible()).resolves.toBe(true);
  const questions = ['first-pet', 'first-car', 'favorite-teacher'];
  for (const [i, id] of questions.entries()) {
    await page.locator(`#question_${i}`).selectOption(id);
    await page.locator(`#answer_${i}`).fill(`Answer ${i + 1}`);
  }
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.waitForURL(`${appUrl}/`, { timeout: 15_000 });

  await expect(page.getByRole('heading', { name: 'ImmTrac2' }).isVisible()).resolves.toBe(true);
  expect(await page.locator('main').innerText()).toContain('Welcome, Pat Provider.');
  expect(await page.locator('main').innerText()).toContain('Hill Country Pediatrics');
  expect(await page.getByRole('link', { name: 'Enterprise Portal' }).getAttribute('href')).toBe(`${t.url}/`);
  // The app's stylesheet loads under its strict CSP.
  expect(await page.locator('header').evaluate((el) => getComputedStyle(el).display)).toBe('flex');

  // Sign Out is a button posting the session's CSRF token; the app session ends and the portal asks
  // about its own (the redirect there is allowed by the app's CSP form-action).
  await page.getByRole('button', { name: 'Sign Out', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign out of the HHS Enterprise Portal?' }).waitFor({ timeout: 10_000 });
  expect(page.url().startsWith(`${t.url}/session/end`)).toBe(true);
  await page.getByRole('button', { name: 'Sign Out', exact: true }).click();
  // Back in ImmTrac2 nobody is signed in any more: the portal asks for a password again.
  await page.waitForURL((url) => url.href.startsWith(`${t.url}/interaction/`), { timeout: 10_000 });
  await expect(page.getByRole('heading', { name: 'Sign In' }).isVisible()).resolves.toBe(true);
  expect(cspViolations).toEqual([]);
  await context.close();
});
