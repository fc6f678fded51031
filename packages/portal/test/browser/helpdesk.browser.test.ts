import type { Browser, Page } from 'playwright-core';
import { launchChromium, startTestPortal, answerFirstSignInSteps, watchCspViolations, press, expectHeading, stepTimeoutMs, type TestPortal } from '../../src/testing/index.js';

/**
 * A help-desk shift in a real browser (issue #8): a provider locks their account with six wrong
 * passwords and calls; the desk finds them by name, checks the caller's answer to a security
 * question (only "Matches." is shown), unlocks with a reason, and the provider signs in. The
 * audit row says who, whom, when, why and from where; the provider was told by email.
 */
const password = 'Correct-Horse-9!';
const captchaText = 'K7PQX';

let t: TestPortal;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestPortal({
    captchaGenerator: () => ({ svg: `<svg xmlns="http://www.w3.org/2000/svg" width="150" height="50"><text x="10" y="35">${captchaText}</text></svg>`, text: captchaText }),
  });
  await t.directory.createOrg({ code: 'PEDS01', iisId: '0000012345', name: 'Hill Country Pediatrics' });
  await t.directory.createUser({ username: 'pat', name: 'Pat Provider', email: 'pat@example.org', password, orgs: ['PEDS01:full_access_provider'] });
  await t.directory.createUser({ username: 'dana', name: 'Dana Desk', email: 'dana@example.org', password, role: 'helpdesk' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signIn(page: Page, username: string, pw: string, captcha?: string): Promise<void> {
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(pw);
  if (captcha !== undefined) await page.getByLabel('Type the characters in the picture', { exact: true }).fill(captcha);
  await press(page, 'Sign In');
}

test('a locked-out provider calls; the desk finds, verifies and unlocks them with a reason; they sign in', async () => {
  // Pat's first sign-in (AUA, security questions), then Pat signs out.
  const patContext = await browser.newContext();
  const pat = await patContext.newPage();
  const patCsp = watchCspViolations(pat);
  await pat.goto(`${t.url}/login`);
  await signIn(pat, 'pat', password);
  await answerFirstSignInSteps(pat);
  await expectHeading(pat, 'HHS Enterprise Portal');
  await press(pat, 'Sign Out');

  // Six wrong passwords (three more with the CAPTCHA): locked, sent to Forgot Password.
  await pat.goto(`${t.url}/login`);
  for (let attempt = 1; attempt <= 6; attempt++) await signIn(pat, 'pat', `Wrong-Guess-${attempt}!`, attempt > 3 ? captchaText : undefined);
  await expectHeading(pat, 'Forgot Password');
  expect(await pat.getByRole('alert').first().innerText()).toContain('Your account is locked');

  // The desk signs in; the portal home offers the Help Desk.
  const deskContext = await browser.newContext();
  const desk = await deskContext.newPage();
  const deskCsp = watchCspViolations(desk);
  await desk.goto(`${t.url}/login`);
  await signIn(desk, 'dana', password);
  await answerFirstSignInSteps(desk);
  await expectHeading(desk, 'HHS Enterprise Portal');
  const navigated = desk.waitForURL(`${t.url}/helpdesk`, { timeout: stepTimeoutMs });
  await desk.getByRole('link', { name: 'Help Desk' }).click();
  await navigated;
  await expectHeading(desk, 'Help Desk');

  // Found by name; the status card says locked, with the questions set.
  await desk.getByLabel('Find a user by').selectOption('name');
  await desk.getByLabel('Search for').fill('pat pro');
  await press(desk, 'Search');
  const toCard = desk.waitForURL(/\/helpdesk\/users\//, { timeout: stepTimeoutMs });
  await desk.getByRole('link', { name: 'pat', exact: true }).click();
  await toCard;
  await expectHeading(desk, /Pat Provider/);
  const card = await desk.locator('main').innerText();
  expect(card).toContain('Locked since');
  expect(card).toMatch(/Security questions\s+Set/);
  expect(card).toContain('0000012345');

  // "What was the name of your first pet?" — the caller says "answer 1"; the desk sees only the verdict.
  await desk.getByLabel('Question').selectOption('first-pet');
  await desk.getByLabel("Caller's answer").fill('answer 1');
  await press(desk, 'Check answer');
  await desk.getByText('Matches.', { exact: true }).waitFor({ timeout: stepTimeoutMs });

  // Unlock: a confirmation with the reason, then back on the card.
  await desk.getByRole('link', { name: 'Unlock' }).click();
  await expectHeading(desk, 'Unlock this account?');
  await desk.getByLabel('Reason', { exact: true }).selectOption('caller_verified_phone');
  await desk.getByLabel('Say why (at least 10 characters)').fill('Caller verified by first pet answer');
  await desk.getByLabel('Ticket number (optional)').fill('INC-2001');
  await press(desk, 'Unlock');
  await desk.getByText('Unlocked. The person has been told by email.').waitFor({ timeout: stepTimeoutMs });
  expect(await desk.locator('main').innerText()).toContain('Not locked');

  // Pat signs in with the right password.
  await pat.goto(`${t.url}/login`);
  await signIn(pat, 'pat', password);
  await expectHeading(pat, 'HHS Enterprise Portal');

  // Who, whom, when, why, from where.
  const patId = (await t.portal.services.users.findByUsername('pat'))!.id;
  const danaId = (await t.portal.services.users.findByUsername('dana'))!.id;
  const row = await t.db('audit_events').where({ action: 'support.unlock', subject_user_id: patId }).first();
  expect(row).toMatchObject({ actor_user_id: danaId, subject_user_id: patId, ip: '127.0.0.1' });
  expect(Number(row.at)).toBeGreaterThan(Date.now() - 60_000);
  expect(JSON.parse(row.details)).toMatchObject({ reasonCode: 'caller_verified_phone', reason: 'Caller verified by first pet answer', ticket: 'INC-2001', wasLocked: true });
  expect(row.user_agent).toContain('Chrome');
  const notice = await t.mail.waitFor((m) => m.to.includes('pat@example.org') && m.text.includes('Customer Support unlocked your account'), stepTimeoutMs);
  expect(notice.subject).toBe('Customer Support made a change to your HHS Enterprise Portal account');
  expect([...patCsp, ...deskCsp]).toEqual([]);
  await patContext.close();
  await deskContext.close();
});
