import type { Browser, Page } from 'playwright-core';
import { migrateRpKit } from '@portal/rp-kit';
import { answerFirstSignInSteps, createAppHosts, expectHeading, launchChromium, press, startTestPortal, stepTimeoutMs, watchCspViolations, type TestPortal } from '@portal/portal/testing';
import { createApp as createRegistry, prepareRegistry } from '@portal/registry';
import { createApp as createEnrollment, prepareEnrollment } from '@portal/enrollment';
import { createApp as createOrdering } from '../../src/app.js';
import { prepareOrdering } from '../../src/prepare.js';

/**
 * A vaccine coordinator's round in Chromium (issue #12): one sign-in at the portal, ImmTrac2,
 * Syntropi and VAOS opened from the portal home, an order placed and a wasted dose reported in
 * VAOS, and Sign Out ending every session.
 */
const password = 'Correct-Horse-9!';
let t: TestPortal;
let browser: Browser;
const urls: Record<'registry' | 'enrollment' | 'ordering', string> = { registry: '', enrollment: '', ordering: '' };

const hosts = createAppHosts({ prepare: migrateRpKit });
const listen = () => hosts.listen();
const appDb = () => hosts.database();

beforeAll(async () => {
  const apps = { registry: await listen(), enrollment: await listen(), ordering: await listen() };
  for (const key of Object.keys(apps) as (keyof typeof apps)[]) urls[key] = apps[key].url;
  browser = await launchChromium();
  // The portal home links each app at its address, as the start command sets them.
  t = await startTestPortal({
    env: { REGISTRY_URL: urls.registry, ENROLLMENT_URL: urls.enrollment, ORDERING_URL: urls.ordering, BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: Object.values(urls).join(',') },
  });
  await t.directory.createOrg({ code: 'PEDS01', iisId: '1000000001', name: 'Hill Country Pediatrics' });
  await t.directory.createUser({ username: 'carmen', name: 'Carmen Coordinator', email: 'carmen@example.org', password, orgs: ['PEDS01:full_access_provider:primary'] });
  const register = (clientId: 'registry' | 'enrollment' | 'ordering', name: string, extra: Record<string, unknown> = {}) =>
    t.directory.createClient({ clientId, name, app: clientId, redirectUris: [`${urls[clientId]}/callback`], postLogoutRedirectUris: [`${urls[clientId]}/`], backchannelLogoutUri: `${urls[clientId]}/backchannel-logout`, ...extra });
  const registry = await register('registry', 'ImmTrac2', { scopes: ['org:members'] });
  const enrollment = await register('enrollment', 'Syntropi');
  const ordering = await register('ordering', 'VAOS');
  const quiet = () => {};
  const registryDb = await appDb();
  await prepareRegistry(registryDb, { demoData: false });
  apps.registry.server.on('request', createRegistry({ issuerUrl: t.url, clientId: 'registry', clientSecret: registry.client_secret!, baseUrl: urls.registry, db: registryDb, log: quiet }));
  const enrollmentDb = await appDb();
  await prepareEnrollment(enrollmentDb, { demoData: false });
  apps.enrollment.server.on('request', createEnrollment({ issuerUrl: t.url, clientId: 'enrollment', clientSecret: enrollment.client_secret!, baseUrl: urls.enrollment, db: enrollmentDb, log: quiet }));
  const orderingDb = await appDb();
  await prepareOrdering(orderingDb, { demoData: true }); // lots on hand at Hill Country Pediatrics
  apps.ordering.server.on('request', createOrdering({ issuerUrl: t.url, clientId: 'ordering', clientSecret: ordering.client_secret!, baseUrl: urls.ordering, db: orderingDb, log: quiet }));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await hosts.closeServers();
  await t?.close();
  await hosts.dropDatabases();
});

async function backToPortal(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Enterprise Portal', exact: true }).first().click();
  await expectHeading(page, 'HHS Enterprise Portal');
}

test('one sign-in opens ImmTrac2, Syntropi and VAOS; an order and a wasted dose in VAOS; Sign Out ends every session', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cspViolations = watchCspViolations(page);

  await page.goto(`${t.url}/`);
  await page.getByRole('link', { name: 'Sign In' }).click();
  await page.getByLabel('Username').fill('carmen');
  await page.getByLabel('Password').fill(password);
  await press(page, 'Sign In');
  await answerFirstSignInSteps(page);
  await expectHeading(page, 'HHS Enterprise Portal');

  // ImmTrac2, through seed 004's screens, without a second password.
  await page.getByRole('link', { name: 'Open ImmTrac2' }).click();
  await expectHeading(page, 'Confidentiality Statement');
  await press(page, 'I Agree');
  await press(page, 'ImmTrac2 for Hill Country Pediatrics');
  await press(page, 'OK');
  await expectHeading(page, 'ImmTrac2');
  await backToPortal(page);

  await page.getByRole('link', { name: 'Open Syntropi' }).click();
  await expectHeading(page, 'Syntropi');
  await backToPortal(page);

  await page.getByRole('link', { name: 'Open VAOS' }).click();
  await expectHeading(page, 'VAOS');
  const menu = page.getByRole('navigation', { name: 'VAOS' });
  await menu.getByRole('link', { name: 'New order' }).click();
  await expectHeading(page, 'New order for Hill Country Pediatrics');
  await page.getByLabel(/^M-M-R II/).fill('2');
  await press(page, 'Submit order');
  await expectHeading(page, /^Order \d+$/);
  expect(await page.locator('main').innerText()).toContain('Submitted');

  await menu.getByRole('link', { name: 'Report wasted doses' }).click();
  await expectHeading(page, 'Report wasted doses for Hill Country Pediatrics');
  const lot = page.getByLabel(/^Lot/);
  const mmrLot = await lot.locator('option', { hasText: 'MMR2024A' }).getAttribute('value');
  await lot.selectOption(mmrLot!);
  await page.getByLabel(/^Reason/).selectOption({ index: 1 });
  await page.getByLabel(/^Number of doses wasted/).fill('1');
  await press(page, 'Report wasted doses');
  await page.getByText('The wasted doses were taken off your inventory.').waitFor({ timeout: stepTimeoutMs });
  await menu.getByRole('link', { name: 'Inventory' }).click();
  expect(await page.locator('main').innerText()).toMatch(/MMR2024A[\s\S]*39/); // 40 on hand, 1 wasted

  // Sign Out in VAOS ends the portal session; back-channel logout ends ImmTrac2's and Syntropi's.
  await page.getByRole('button', { name: 'Sign Out', exact: true }).first().click();
  // No second question at the portal (the app asked): back at VAOS's "You have signed out".
  await expectHeading(page, 'You have signed out');
  expect(page.url().startsWith(`${urls.ordering}/`)).toBe(true);
  await page.getByRole('link', { name: 'Go to the Enterprise Portal' }).waitFor({ timeout: stepTimeoutMs });
  for (const app of [urls.registry, urls.enrollment, urls.ordering]) {
    await page.goto(`${app}/`);
    await page.waitForURL((url) => url.href.startsWith(`${t.url}/`), { timeout: stepTimeoutMs });
    await expectHeading(page, 'Sign In');
  }
  expect(cspViolations).toEqual([]);
  await context.close();
}, 90_000);
