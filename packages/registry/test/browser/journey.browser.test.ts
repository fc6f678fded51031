import type { Browser } from 'playwright-core';
import { answerFirstSignInSteps, expectHeading, press, watchCspViolations, type TestPortal } from '@portal/portal/testing';
import { startRegistryFixture, type RegistryFixture } from './fixture.js';

/**
 * A provider's morning in Chromium (issue #11): the portal, ImmTrac2 through seed 004's screens, a
 * smart search, the record, a dose added and the forecast moving on, and back to the portal home.
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

test('portal sign-in → ImmTrac2 → I Agree → ImmTrac2 → OK → smart search → record → add a dose → forecast changes → Enterprise Portal', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cspViolations = watchCspViolations(page);

  await page.goto(`${t.url}/`);
  await page.getByRole('link', { name: 'Sign In' }).click();
  await page.getByLabel('Username').fill('pat');
  await page.getByLabel('Password').fill(password);
  await press(page, 'Sign In');
  await answerFirstSignInSteps(page);
  await expectHeading(page, 'HHS Enterprise Portal');

  await page.getByRole('link', { name: 'Open ImmTrac2' }).click();
  await expectHeading(page, 'Confidentiality Statement');
  await press(page, 'I Agree');
  await expectHeading(page, 'Welcome to ImmTrac2');
  await press(page, 'ImmTrac2 for Hill Country Pediatrics');
  await expectHeading(page, 'Pandemic message');
  await press(page, 'OK');
  await expectHeading(page, 'ImmTrac2');
  for (const button of ['Enterprise Portal', 'Forms', 'User Training']) await expect(page.getByRole('link', { name: button, exact: true }).isVisible()).resolves.toBe(true);

  await page.getByRole('navigation', { name: 'Functions' }).getByRole('link', { name: 'Client search' }).click();
  await page.getByRole('link', { name: 'Smart search' }).click();
  await page.getByLabel('Last name').fill('Lopez');
  await page.getByLabel('First name').fill('Bill');
  await press(page, 'Search');
  await expectHeading(page, 'Client immunizations');
  expect(await page.locator('main').innerText()).toContain('Garcia-Lopez, William Jose');
  const mmr = page.locator('table.recommended tr', { hasText: 'MMR' });
  expect(await mmr.innerText()).toContain('Dose 1');

  await page.getByRole('link', { name: 'Add historical immunization' }).click();
  await expectHeading(page, 'Add immunization');
  await page.getByLabel(/^Vaccine/).selectOption('03');
  await page.getByLabel('Date given').fill('11/25/2020');
  await page.getByLabel('Lot number').fill('MMR2020A');
  await press(page, 'Save');
  await expectHeading(page, 'Client immunizations');
  expect(await page.locator('table.immunizations').innerText()).toContain('MMR2020A');
  expect(await mmr.innerText()).toContain('Dose 2');

  await page.getByRole('link', { name: 'Enterprise Portal', exact: true }).click();
  await expectHeading(page, 'HHS Enterprise Portal');
  expect(page.url()).toBe(`${t.url}/`);
  expect(cspViolations).toEqual([]);
  await context.close();
}, 60_000);
