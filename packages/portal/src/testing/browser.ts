import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { catalogueStrings, type Locale } from '@portal/common';
import type { CaptchaGenerator } from '../libraries/captcha.js';

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

/**
 * A CAPTCHA whose pictures each show their own digits as plain SVG text, counting up from `first`,
 * so a browser test reads the answer off the picture as a person would (`pictureDigits`) and a
 * new picture differs from the old one.
 */
export function countingCaptcha(first: number): CaptchaGenerator {
  let next = first;
  return () => {
    const text = String(next++);
    return { svg: `<svg xmlns="http://www.w3.org/2000/svg" width="150" height="50"><text x="10" y="35">${text}</text></svg>`, text };
  };
}

/** The digits a `countingCaptcha` picture on the page shows; `alt` names the picture (its alternative text, in the page's language). */
export async function pictureDigits(page: Page, alt: RegExp = /^Security check/): Promise<string> {
  const src = await page.getByRole('img', { name: alt }).getAttribute('src');
  return /<text[^>]*>([^<]+)<\/text>/.exec(Buffer.from(src!.split(',')[1]!, 'base64').toString())![1]!;
}

/**
 * What a reader of `locale` would still read in English on the page: each line of its text, each
 * control's accessible words (aria-label, alt, placeholder, title) and the document title, compared
 * with every English string of the catalogues in `namespaces` (all when absent) that has its own
 * words in `locale` — and any raw catalogue key shown where words should be (`signIn.title`).
 */
export async function wordsLeftInEnglish(page: Page, locale: Locale, namespaces?: readonly string[]): Promise<string[]> {
  const english = new Map<string, string>();
  const foreign = catalogueStrings(locale);
  const keys = new Set<string>();
  for (const [key, value] of catalogueStrings('en')) {
    if (namespaces && !namespaces.includes(key.slice(0, key.indexOf(':')))) continue;
    keys.add(key.slice(key.indexOf(':') + 1));
    if (!value.includes('{') && foreign.get(key) !== undefined && foreign.get(key) !== value) english.set(value, key);
  }
  const seen = await page.evaluate(() => {
    const lines = document.body.innerText.split('\n');
    const named = [...document.querySelectorAll('[aria-label], img[alt], input[placeholder], [title]')].flatMap((el) => ['aria-label', 'alt', 'placeholder', 'title'].map((a) => el.getAttribute(a) ?? ''));
    return [document.title, ...document.title.split(' · '), ...lines, ...named].map((text) => text.trim()).filter(Boolean);
  });
  const left = new Set<string>();
  for (const text of seen) {
    if (english.has(text)) left.add(`"${text}" (${english.get(text)})`);
    else if (keys.has(text) && text.includes('.')) left.add(`raw key "${text}"`);
  }
  return [...left];
}
