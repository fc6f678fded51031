import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { stepTimeoutMs, watchCspViolations, wordsLeftInEnglish } from '@portal/portal/testing';
import { pages, type PageEntry, type Visit } from './pages.js';
import { appNamespaces, sayOn, startSystem, type Lang, type System } from './system.js';

/**
 * The accessibility and narrow-screen sweep (issue 13): every page of the catalogue (pages.ts), in
 * every language, in Chromium —
 *
 * 1. axe-core with the WCAG 2.0/2.1 A and AA rules finds nothing, and the page broke no rule of
 *    its Content Security Policy (the pages allow no inline script, so axe goes in through the
 *    DevTools protocol, `page.evaluate`, which the CSP does not govern, not a <script> tag);
 * 2. nothing scrolls sideways at 320 CSS px wide (a small phone, 320 × 640);
 * 3. nor at 400 % zoom. WCAG 1.4.10 (Reflow) defines it as a 1280 px wide window zoomed to 400 %,
 *    which lays the page out in 1280 / 4 = 320 CSS px by 1024 / 4 = 256: emulated as a 320 × 256
 *    viewport with a device scale factor of 4 — the CSS viewport, media queries, rem and vh sizes
 *    and the device pixel ratio a zoomed window has (browser zoom is a CSS-pixel scale, as a
 *    device scale factor is). The short height is what differs from the phone: sticky or fixed
 *    bars and vh sizes get a quarter of the height they were made for.
 *
 * The `es` browsers ask for Spanish (locale, Accept-Language) and walk the same entries: the
 * catalogue names buttons, labels and headings in English and finds their Spanish through the
 * portal's catalogues (system.ts `say`).
 */
const languages: readonly Lang[] = ['en', 'es'];
// The pages do not depend on the database: the sweep runs in the SQLite pass of `pnpm test` and
// is skipped on PostgreSQL (TEST_DATABASE_URL); A11Y_SWEEP=0 skips it anywhere, =1 forces it.
const sweepOn = process.env.A11Y_SWEEP ? process.env.A11Y_SWEEP === '1' : !process.env.TEST_DATABASE_URL;
const maybe = sweepOn ? describe : describe.skip;
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const desktop = { width: 1280, height: 800 };
const phone = { width: 320, height: 640 };
const zoomed = { width: 320, height: 256, deviceScaleFactor: 4 };

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; failureSummary?: string }[];
}
interface Reflow {
  scrollWidth: number;
  clientWidth: number;
  /** The outermost elements reaching past the right edge (not those inside a scrolling box). */
  overflowing: string[];
}
interface Checked {
  url: string;
  axe: AxeViolation[];
  csp: string[];
  phone: Reflow;
  zoomed: Reflow;
  /** Lines of the page (and its title) that are a catalogue's English words with a translation in the page's language. */
  english: string[];
}

/** One signed-in or flow browser per language, kept across the entries that share it. */
interface OpenBrowser {
  context: BrowserContext;
  page: Page;
  csp: string[];
  state: Visit['state'];
}

let system: System;
const open = new Map<string, Promise<OpenBrowser>>();
const memos: Record<Lang, Record<string, unknown>> = { en: {}, es: {} };
const failures: string[] = [];
const startedAt = Date.now();

const browserKey = (entry: PageEntry) => ('as' in entry.browser ? `as ${entry.browser.as}` : `flow ${entry.browser.flow}`);
/** Where each flow is looked at for the last time: its browser closes after that entry. */
const lastOfFlow = new Map(pages.map((entry, index) => [browserKey(entry), index]));

beforeAll(async () => {
  if (!sweepOn) return;
  system = await startSystem();
}, 120_000);

afterAll(async () => {
  if (!sweepOn) return;
  for (const pending of open.values()) await (await pending.catch(() => undefined))?.context.close();
  await system?.close();
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(0);
  const summary = failures.length ? `${failures.length} failing checks:\n${failures.map((f) => `  - ${f}`).join('\n')}` : 'every check passed';
  console.log(`Accessibility sweep: ${pages.length} pages × ${languages.length} languages in ${seconds} s; ${summary}`);
}, 60_000);

async function browserFor(entry: PageEntry, lang: Lang): Promise<OpenBrowser> {
  const key = `${lang} ${browserKey(entry)}`;
  if (!open.has(key)) {
    open.set(
      key,
      (async () => {
        const context = await system.newContext(lang);
        const page = await context.newPage();
        page.setDefaultTimeout(stepTimeoutMs);
        const opened: OpenBrowser = { context, page, csp: watchCspViolations(page), state: {} };
        if ('as' in entry.browser) {
          const person = await system.persona(entry.browser.as, lang);
          await system.signIn(page, person);
          opened.state.person = person;
        }
        return opened;
      })(),
    );
  }
  return open.get(key)!;
}

async function closeBrowser(entry: PageEntry, lang: Lang): Promise<void> {
  const key = `${lang} ${browserKey(entry)}`;
  const pending = open.get(key);
  open.delete(key);
  await (await pending?.catch(() => undefined))?.context.close();
}

/** Reaches the entry's page in `lang` and looks at it the three ways. */
async function check(entry: PageEntry, lang: Lang): Promise<Checked> {
  const b = await browserFor(entry, lang);
  const { page } = b;
  await page.setViewportSize(desktop);
  const cspBefore = b.csp.length;
  const visit: Visit = {
    page,
    lang,
    system,
    state: b.state,
    memo: memos[lang],
    async go(app, path) {
      await page.goto(new URL(path, system.urls[app]).href, { waitUntil: 'load' });
    },
  };
  if (typeof entry.reach === 'string') await visit.go(entry.app, entry.reach);
  else await entry.reach(visit);
  await page.waitForLoadState('load');

  const url = page.url();
  const expectedOrigin = new URL(system.urls[entry.app]).origin;
  if (new URL(url).origin !== expectedOrigin) throw new Error(`"${entry.name}" should be a page of ${entry.app} (${expectedOrigin}), but the browser is at ${url}`);
  const heading = await page.locator('h1').first().innerText({ timeout: stepTimeoutMs }).catch(() => '(no h1)');
  // A Spanish page shows its heading in Spanish; the English one is accepted too for a page whose
  // words are not in a catalogue yet — the words-left-in-English check below is what finds those.
  const matches = typeof entry.heading === 'string' ? [sayOn(entry.app, lang, entry.heading), entry.heading].includes(heading.trim()) : entry.heading.test(heading);
  if (!matches) throw new Error(`"${entry.name}" should show the heading ${typeof entry.heading === 'string' ? sayOn(entry.app, lang, entry.heading) : String(entry.heading)}, but ${url} shows "${heading}"`);

  const axe = await runAxe(page);
  const [phoneReflow, zoomedReflow] = (await reflowAt(page, [phone, zoomed])) as [Reflow, Reflow];
  await page.setViewportSize(desktop);
  return { url, axe, csp: b.csp.slice(cspBefore), phone: phoneReflow, zoomed: zoomedReflow, english: lang === 'en' ? [] : await wordsLeftInEnglish(page, lang, appNamespaces(entry.app)) };
}

async function runAxe(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary })) }));
  }, wcagTags);
}

/** Lays the page out at each size in turn (Chromium's device metrics, as DevTools' device mode) and measures it. */
async function reflowAt(page: Page, sizes: { width: number; height: number; deviceScaleFactor?: number }[]): Promise<Reflow[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const measured: Reflow[] = [];
    for (const size of sizes) {
      await cdp.send('Emulation.setDeviceMetricsOverride', { width: size.width, height: size.height, deviceScaleFactor: size.deviceScaleFactor ?? 1, mobile: false });
      measured.push(await page.evaluate(measureReflow));
    }
    return measured;
  } finally {
    await cdp.send('Emulation.clearDeviceMetricsOverride').catch(() => {});
    await cdp.detach().catch(() => {});
  }
}

/**
 * In the page: the document's width against the window's and, when it is wider, what makes it so —
 * the outermost elements past the right edge (not those inside a box that scrolls or clips them),
 * each with the widest fixed-size things inside it (tables, code, images, form fields).
 */
function measureReflow(): Reflow {
  const root = document.documentElement;
  const width = root.clientWidth;
  const reflow: Reflow = { scrollWidth: root.scrollWidth, clientWidth: width, overflowing: [] };
  if (reflow.scrollWidth <= width) return reflow;
  const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${[...el.classList].map((c) => `.${c}`).join('')}`;
  const path = (el: Element, stop: Element = document.body) => {
    const parts: string[] = [];
    for (let at: Element | null = el; at && at !== stop && parts.length < 4; at = at.parentElement) parts.unshift(name(at));
    return parts.join(' > ');
  };
  const right = (el: Element) => Math.round(el.getBoundingClientRect().right);
  const past = (el: Element) => el.getBoundingClientRect().right > width + 0.5 && el.getBoundingClientRect().width > 0;
  const clipped = (el: Element) => {
    for (let at = el.parentElement; at && at !== document.documentElement; at = at.parentElement) if (getComputedStyle(at).overflowX !== 'visible') return true;
    return false;
  };
  const outermost = [...document.body.querySelectorAll('*')].filter((el) => past(el) && !clipped(el) && !(el.parentElement && el.parentElement !== document.body && past(el.parentElement)));
  const seen = new Set<string>();
  for (const el of outermost) {
    const inside = [...el.querySelectorAll('*')].filter((c) => past(c) && !clipped(c));
    const fixed = inside.filter((c) => c.matches('table, pre, code, img, svg, input, select, textarea'));
    // No table or field to blame: the deepest element reaching as far as the box itself (a long word, a min-width).
    const deepest = inside.filter((c) => Math.abs(right(c) - right(el)) <= 1 && ![...c.children].some((k) => Math.abs(right(k) - right(el)) <= 1));
    const causes = (fixed.length ? fixed : deepest).slice(0, 2);
    const line = `${path(el)} (right edge at ${right(el)} px)${causes.map((c) => `; inside: ${path(c, el)} (${right(c)} px)`).join('')}`;
    if (!seen.has(line)) reflow.overflowing.push(line);
    seen.add(line);
    if (reflow.overflowing.length >= 5) break;
  }
  return reflow;
}

function describeAxe(entry: PageEntry, lang: Lang, c: Checked): string {
  return c.axe
    .map((v) => {
      const nodes = v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? `: ${n.failureSummary.split('\n').slice(1).join(' ').trim()}` : ''}`);
      return `${v.id} (${v.impact}) on "${entry.name}" [${lang}] ${c.url}\n    ${v.help} — ${v.helpUrl}\n    ${nodes.join('\n    ')}`;
    })
    .join('\n');
}

function describeReflow(entry: PageEntry, lang: Lang, c: Checked, r: Reflow, how: string): string {
  return `"${entry.name}" [${lang}] ${c.url} scrolls sideways ${how}: ${r.scrollWidth} px of content in ${r.clientWidth} px\n    ${r.overflowing.join('\n    ') || '(no single element found)'}`;
}

for (const [index, entry] of pages.entries()) {
  maybe(entry.name, () => {
    const results = new Map<Lang, Checked | Error>();
    beforeAll(async () => {
      // The languages side by side: separate people and browsers, the same system.
      await Promise.all(
        languages.map(async (lang) => {
          try {
            results.set(lang, await check(entry, lang));
          } catch (err) {
            results.set(lang, err instanceof Error ? err : new Error(String(err)));
          } finally {
            if (lastOfFlow.get(browserKey(entry)) === index && 'flow' in entry.browser) await closeBrowser(entry, lang);
          }
        }),
      );
    }, 120_000);

    for (const lang of languages) {
      const checked = (what: string): Checked => {
        const result = results.get(lang);
        if (!result) throw new Error(`"${entry.name}" [${lang}] was not reached`);
        if (result instanceof Error) {
          failures.push(`${entry.name} [${lang}] ${what}: not reached (${result.message.split('\n')[0]})`);
          throw result;
        }
        return result;
      };
      const fail = (what: string, message: string) => {
        failures.push(`${entry.name} [${lang}] ${what}`);
        throw new Error(message);
      };

      test(`${lang}: axe finds no WCAG 2.1 A/AA violation`, () => {
        const c = checked('axe');
        if (c.axe.length) fail(`axe: ${c.axe.map((v) => v.id).join(', ')}`, describeAxe(entry, lang, c));
      });
      test(`${lang}: no Content Security Policy violation`, () => {
        const c = checked('CSP');
        if (c.csp.length) fail('CSP', `"${entry.name}" [${lang}] ${c.url}:\n    ${c.csp.join('\n    ')}`);
      });
      test(`${lang}: no sideways scrolling at 320 px wide`, () => {
        const c = checked('320 px');
        if (c.phone.scrollWidth > c.phone.clientWidth) fail(`320 px: ${c.phone.scrollWidth} px wide`, describeReflow(entry, lang, c, c.phone, 'at 320 × 640'));
      });
      if (lang !== 'en' && !entry.englishOnly) {
        test(`${lang}: no words left in English`, () => {
          const c = checked('words in English');
          if (c.english.length) fail(`words in English: ${c.english.length}`, `"${entry.name}" [${lang}] ${c.url} still reads in English:\n    ${c.english.join('\n    ')}`);
        });
      }
      test(`${lang}: no sideways scrolling at 400 % zoom`, () => {
        const c = checked('400 % zoom');
        if (c.zoomed.scrollWidth > c.zoomed.clientWidth) fail(`400 % zoom: ${c.zoomed.scrollWidth} px wide`, describeReflow(entry, lang, c, c.zoomed, 'at 400 % zoom (320 × 256 CSS px, scale 4)'));
      });
    }
  });
}

test('the catalogue names each page once', () => {
  const names = pages.map((p) => p.name);
  expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
});
