import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's Chromium for browser tests (ENVIRONMENT.md: playwright-core, never a downloaded browser).
 * Missing, it fails saying what to install: a browser test is never skipped silently.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Collects the Content Security Policy violations a page reports: a test expects none. */
export function watchCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** A first sign-in's steps, as a person does them: "I Agree", then three security questions. */
export async function answerFirstSignInSteps(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'I Agree' }).click();
  for (const [i, id] of ['first-pet', 'first-car', 'favorite-teacher'].entries()) {
    await page.locator(`#question_${i}`).selectOption(id);
    await page.locator(`#answer_${i}`).fill(`Answer ${i + 1}`);
  }
  await page.getByRole('button', { name: 'Submit' }).click();
}

/** How long a browser test waits for one step (a page to load, a heading to show). */
export const stepTimeoutMs = 10_000;

/** Clicks a form's button and waits for the page it leads to (a new document, loaded). */
export async function press(page: Page, button: string): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: stepTimeoutMs });
  await page.getByRole('button', { name: button, exact: true }).click();
  await navigated;
  await page.waitForLoadState('load');
}

/** Waits until the page's main heading is `name`. */
export async function expectHeading(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor({ state: 'visible', timeout: stepTimeoutMs });
}
