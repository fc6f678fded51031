import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { aal2 } from '../../src/libraries/assurance.js';
import { launchChromium, answerFirstSignInSteps, watchCspViolations, press, expectHeading, stepTimeoutMs } from '../../src/testing/index.js';
import { startPortalWithApp, type PortalWithApp } from '../../src/testing/app-fixture.js';

/**
 * Passkeys in Chromium (issue #10), with its virtual authenticator (the DevTools protocol's WebAuthn
 * domain: CTAP2, built in, resident keys, user verification that always succeeds) standing in for
 * a laptop's fingerprint reader. A person adds one from My Profile, signs out, and signs in with it
 * and no password — the app (openid-client) sees amr ["hwk", "user"] and AAL2; a removed passkey no
 * longer signs anyone in, though the device still offers it; and one person's passkey is refused
 * at another person's second step, even when the page's script is made to offer it.
 * The portal runs at http://localhost:port: browsers refuse WebAuthn on an IP address.
 */
const password = 'Correct-Horse-9!';

let f: PortalWithApp;
let browser: Browser;
/** The app's redirect URI answers (the app itself does not run): the browser's last hop lands somewhere real. */
let appServer: Server;
let appUrl: string;
/** Every callback URL the app received, newest last. */
const callbacks: string[] = [];
/** Every page's Content Security Policy violations: none expected. */
const csp: string[][] = [];

beforeAll(async () => {
  browser = await launchChromium();
  appServer = createServer((req, res) => {
    callbacks.push(new URL(req.url ?? '/', appUrl).href);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>ImmTrac2</title><h1>ImmTrac2</h1>');
  });
  await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}`;
  f = await startPortalWithApp({ hostname: 'localhost', appUrl });
  await f.t.directory.createOrg({ code: 'PEDS01', iisId: '0000012345', name: 'Hill Country Pediatrics' });
  await f.t.directory.createUser({ username: 'pat', name: 'Pat Provider', email: 'pat@example.org', password, orgs: ['PEDS01:full_access_provider'] });
  await f.t.directory.createUser({ username: 'rae', name: 'Rae Registrar', email: 'rae@example.org', password, orgs: ['PEDS01:full_access_provider'] });
}, 60_000);

afterAll(async () => {
  expect(csp.flat()).toEqual([]);
  await browser?.close();
  await f?.close();
  await new Promise((resolve) => appServer?.close(resolve));
});

interface Device {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  authenticatorId: string;
}

/** A browser with a platform authenticator of its own (Chromium's virtual one). */
async function device(): Promise<Device> {
  const context = await browser.newContext();
  const page = await context.newPage();
  csp.push(watchCspViolations(page));
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { context, page, cdp, authenticatorId };
}

const credentialsOn = async (d: Device) => (await d.cdp.send('WebAuthn.getCredentials', { authenticatorId: d.authenticatorId })).credentials;

async function signInWithPassword(page: Page, username: string): Promise<void> {
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await press(page, 'Sign In');
}

/** My Profile → Two-Step Verification → Add a Passkey, named. */
async function addPasskey(page: Page, name: string): Promise<void> {
  await page.goto(`${f.t.url}/profile`);
  await page.getByRole('link', { name: 'Two-Step Verification' }).click();
  await expectHeading(page, 'Two-Step Verification');
  await page.getByLabel('Name for the new passkey').fill(name);
  await press(page, 'Add a Passkey');
  await page.getByText(`Passkey "${name}" added.`).waitFor({ timeout: stepTimeoutMs });
}

/** The app's sign-in request (PKCE), opened in the browser; the verifier for the code exchange. */
async function openApp(page: Page): Promise<string> {
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(f.app, { redirect_uri: `${appUrl}/callback`, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  await page.goto(url.href);
  return verifier;
}

/** What the app learns from the code the browser brought back. */
async function claimsAtApp(d: Device, verifier: string) {
  await d.page.waitForURL(`${appUrl}/**`, { timeout: stepTimeoutMs });
  const tokens = await oidc.authorizationCodeGrant(f.app, new URL(d.page.url()), { pkceCodeVerifier: verifier });
  return tokens.claims()!;
}

const userId = async (username: string) => (await f.t.portal.services.users.findByUsername(username))!.id;

let pat: Device;

test('register from My Profile, sign out, then sign in with the passkey and no password: the app sees amr hwk+user and AAL2', async () => {
  pat = await device();
  await pat.page.goto(`${f.t.url}/login`);
  await signInWithPassword(pat.page, 'pat');
  await answerFirstSignInSteps(pat.page);
  await expectHeading(pat.page, 'HHS Enterprise Portal');
  await addPasskey(pat.page, 'Work laptop');
  expect(await pat.page.locator('table.passkeys').innerText()).toContain('Work laptop');

  // The device keeps a discoverable credential for this portal's host, for pat's user handle.
  const [credential, ...more] = await credentialsOn(pat);
  expect(more).toEqual([]);
  expect(credential).toMatchObject({ isResidentCredential: true, rpId: 'localhost', userHandle: Buffer.from(await userId('pat')).toString('base64') });

  await press(pat.page, 'Sign Out');
  const verifier = await openApp(pat.page);
  await expectHeading(pat.page, 'Sign In');
  await pat.page.getByRole('button', { name: 'Sign In with a Passkey' }).click();
  const claims = await claimsAtApp(pat, verifier);
  expect(claims).toMatchObject({ sub: await userId('pat'), amr: ['hwk', 'user'], acr: aal2 });
  expect((await credentialsOn(pat))[0]!.signCount).toBeGreaterThan(credential!.signCount);
});

test('a removed passkey no longer works, though the device still offers it', async () => {
  // Still signed in to the portal with the passkey alone (the app's sign-in was a portal session too); removed with the password.
  await pat.page.goto(`${f.t.url}/`);
  await expectHeading(pat.page, 'HHS Enterprise Portal');
  await pat.page.goto(`${f.t.url}/profile/two-step`);
  await pat.page.getByLabel('Passkey to remove').selectOption({ label: 'Work laptop' });
  await pat.page.getByLabel('Your password', { exact: true }).fill(password);
  await press(pat.page, 'Remove Passkey');
  await pat.page.getByText('Passkey "Work laptop" removed.').waitFor({ timeout: stepTimeoutMs });
  await press(pat.page, 'Sign Out');

  await pat.page.goto(`${f.t.url}/login`);
  const answer = pat.page.waitForResponse((r) => r.url().endsWith('/passkey') && r.request().method() === 'POST', { timeout: stepTimeoutMs });
  await pat.page.getByRole('button', { name: 'Sign In with a Passkey' }).click();
  expect((await answer).status()).toBe(401);
  await expectHeading(pat.page, 'Sign In');
  expect(await pat.page.getByRole('alert').first().innerText()).toContain('That passkey was not accepted');
  expect(await credentialsOn(pat)).toHaveLength(1); // the device still has it; the portal does not
  await pat.page.goto(`${f.t.url}/profile`);
  await expectHeading(pat.page, 'Sign In'); // nobody is signed in
  const refused = await f.t.db('audit_events').where({ action: 'signin.failure' }).whereNull('subject_user_id').orderBy('seq', 'desc').first();
  expect(JSON.parse(refused.details)).toMatchObject({ reason: 'passkey_unknown_credential' });
  await pat.context.close();
});

test("a passkey of another user is refused: pat's passkey at rae's second step, even when the page is made to offer it", async () => {
  // Rae adds a passkey on her own device; pat (whose old one is gone) adds one on a new device.
  const rae = await device();
  await rae.page.goto(`${f.t.url}/login`);
  await signInWithPassword(rae.page, 'rae');
  await answerFirstSignInSteps(rae.page);
  await expectHeading(rae.page, 'HHS Enterprise Portal');
  await addPasskey(rae.page, 'Rae phone');
  await press(rae.page, 'Sign Out');
  const patAgain = await device();
  await patAgain.page.goto(`${f.t.url}/login`);
  await signInWithPassword(patAgain.page, 'pat');
  await expectHeading(patAgain.page, 'HHS Enterprise Portal');
  await addPasskey(patAgain.page, 'Pat laptop');
  await press(patAgain.page, 'Sign Out');

  // On pat's device, rae's password (stolen), then the second step. The options name only rae's
  // passkeys, so an honest browser would not even offer pat's: the test strips that list.
  const page = patAgain.page;
  await page.route('**/step/passkey/options', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { options: { allowCredentials?: unknown[] } };
    expect(body.options.allowCredentials).toHaveLength(1);
    delete body.options.allowCredentials;
    await route.fulfill({ response, json: body });
  });
  await openApp(page);
  await signInWithPassword(page, 'rae');
  await expectHeading(page, 'Two-Step Verification');
  const answer = page.waitForResponse((r) => /\/interaction\/[^/]+\/step$/.test(r.url()) && r.request().method() === 'POST', { timeout: stepTimeoutMs });
  await page.getByRole('button', { name: 'Use a Passkey' }).click();
  expect((await answer).status()).toBe(401);
  await expectHeading(page, 'Two-Step Verification');
  expect(await page.getByRole('alert').first().innerText()).toContain('That passkey was not accepted');
  expect(page.url()).not.toContain(appUrl);
  expect(callbacks.filter((c) => c.includes('code='))).toHaveLength(1); // pat's, from the first test: none since
  const refused = await f.t.db('audit_events').where({ action: 'signin.failure', subject_user_id: await userId('rae') }).orderBy('seq', 'desc').first();
  expect(JSON.parse(refused.details)).toMatchObject({ reason: 'passkey_other_user', step: 'second_factor' });

  // Rae on her own device: password, then her passkey — two factors, as the app sees it.
  const verifier = await openApp(rae.page);
  await signInWithPassword(rae.page, 'rae');
  await expectHeading(rae.page, 'Two-Step Verification');
  await rae.page.getByRole('button', { name: 'Use a Passkey' }).click();
  expect(await claimsAtApp(rae, verifier)).toMatchObject({ sub: await userId('rae'), amr: ['pwd', 'hwk'], acr: aal2 });
  await rae.context.close();
  await patAgain.context.close();
});
