import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { authenticator } from 'otplib';
import { migrateRpKit } from '@portal/rp-kit';
import { translateText } from '@portal/common';
import { createAppHosts, launchChromium, startTestPortal, stepTimeoutMs, type TestPortal } from '@portal/portal/testing';
import { createApp as createRegistry, prepareRegistry } from '@portal/registry';
import { createApp as createEnrollment, prepareEnrollment } from '@portal/enrollment';
import { createApp as createOrdering, prepareOrdering } from '@portal/ordering';

/**
 * The whole programme for the page sweeps: one test portal (real SMTP catcher, a CAPTCHA whose
 * characters the test knows), ImmTrac2, Syntropi and VAOS on free ports with their demo data, and
 * Chromium. People are made per language (`pat-en`, `pat-es`) so that every language walks the
 * same journeys from the same start: a first sign-in, a Confidentiality Statement, an enrollment.
 */
export type AppName = 'portal' | 'registry' | 'enrollment' | 'ordering';
export type Lang = 'en' | 'es';

/** The language each browser asks for, and each app's origin (set where `newContext` makes it). */
const contextLanguage = new WeakMap<BrowserContext, { lang: Lang; origins: Record<AppName, string> }>();

/**
 * The catalogues `app`'s pages are drawn from: the shared chrome's, rp-kit's and the app's own
 * (each app's namespace is its name: `registry`, `enrollment`, `ordering`); every one for the portal.
 */
export function appNamespaces(app: AppName): readonly string[] | undefined {
  return app === 'portal' ? undefined : ['chrome', 'apps', 'apps-messages', app];
}

/** `english` as `app`'s pages write it in `lang`. */
export function sayOn(app: AppName, lang: Lang, english: string): string {
  return translateText(english, lang, appNamespaces(app));
}

/**
 * `english` in the words this page's browser reads: the catalogue drives every page by its
 * English words (labels, buttons, headings), and a Spanish browser finds the same controls by
 * their Spanish names through the catalogues of the app the page is on (`translateText`), so one
 * script serves both languages. Words no catalogue has stay as they are.
 */
export function say(page: Page, english: string): string {
  const browser = contextLanguage.get(page.context());
  if (!browser) return english;
  const origin = new URL(page.url()).origin;
  const app = (Object.keys(browser.origins) as AppName[]).find((name) => browser.origins[name] === origin);
  // A page of none of them (about:blank before the first visit) is the portal's way in.
  return sayOn(app ?? 'portal', browser.lang, english);
}

/**
 * The control named `english`, found by its name in the page's language or, on a page not yet
 * translated, by the English one (the catalogue may know words a page does not use yet).
 */
export function named(page: Page, role: 'button' | 'link', english: string): Locator {
  const said = say(page, english);
  const found = page.getByRole(role, { name: said, exact: true });
  return said === english ? found : found.or(page.getByRole(role, { name: english, exact: true }));
}

/** Whether `shown` is `english` in the page's language (or still in English, on a page not yet translated). */
const is = (page: Page, shown: string, english: string) => shown === english || shown === say(page, english);

/** Presses a button named by its English words, in the page's language, and waits for the next page. */
export async function press(page: Page, english: string): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: stepTimeoutMs });
  await named(page, 'button', english).first().click();
  await navigated;
  await page.waitForLoadState('load');
}

/** The form field labelled `english` (in the page's language, or in English where the page is not translated yet). */
export function field(page: Page, english: string): Locator {
  const said = say(page, english);
  const found = page.getByLabel(said, { exact: true });
  return said === english ? found : found.or(page.getByLabel(english, { exact: true }));
}

export const password = 'Correct-Horse-9!';
/** What every CAPTCHA picture shows (the sweep checks the page, not the CAPTCHA's strength). */
export const captchaText = '50713';

/** The portal's demo organizations (the apps' demo data is about them, by TX IIS ID). */
const orgs = [
  { code: 'PEDS01', iisId: '1000000001', name: 'Hill Country Pediatrics' },
  { code: 'PHARM02', iisId: '1000000002', name: 'Gulf Coast Pharmacy' },
  { code: 'SCHOOL03', iisId: '1000000003', name: 'Central Texas ISD' },
  { code: 'HSR07', iisId: '1000000007', name: 'Health Service Region 7' },
  { code: 'DSHS', iisId: '1000000000', name: 'DSHS Immunization Unit' },
];

/**
 * The people whose signed-in browsers most pages are seen in, one per role that sees something
 * the others do not. Each language gets its own copy of each (username suffixed with the language).
 */
export const personas = {
  /** Full Access Provider and Primary Coordinator at Hill Country, Secondary at Gulf Coast: ImmTrac2's Manage Access, VAOS's organization choice, a Syntropi applicant. */
  provider: { name: 'Pat Provider', orgs: ['PEDS01:full_access_provider:primary', 'PHARM02:view_only:secondary'] },
  /** Provider Supervisor (ImmTrac2's Manage Users); no coordinator anywhere (VAOS refuses). */
  supervisor: { name: 'Sam Supervisor', orgs: ['PEDS01:provider_supervisor'] },
  /** Modified Access Sub-state: the region's organizations, one organization (ImmTrac2's Welcome). */
  substate: { name: 'Rosa Region', orgs: ['HSR07:modified_access_substate'] },
  /** Full Access State and coordinator at DSHS: state-wide ImmTrac2, Syntropi's reviewer, VAOS's approvals. */
  state: { name: 'Erin Employee', orgs: ['DSHS:full_access_state:primary'] },
  helpdesk: { name: 'Hal Helpdesk', role: 'helpdesk' as const },
  admin: { name: 'Ada Admin', role: 'admin' as const },
} satisfies Record<string, { name: string; orgs?: string[]; role?: 'helpdesk' | 'admin' }>;
export type PersonaName = keyof typeof personas;

export interface Person {
  id: string;
  username: string;
  name: string;
  email: string;
  /** The password to sign in with (a temporary one for `temporary` people). */
  password: string;
  /** Recovery codes from a staff member's first sign-in (two-step verification is required for staff). */
  recoveryCodes: string[];
}

export interface PersonOptions {
  name?: string;
  orgs?: string[];
  role?: 'helpdesk' | 'admin';
  temporary?: boolean;
  signedInBefore?: boolean;
}

export interface System {
  portal: TestPortal;
  browser: Browser;
  urls: Record<AppName, string>;
  /** The portal's ids of the demo organizations, by code. */
  orgIds: Record<string, string>;
  /** A browser context as a person in `lang` would have: locale and Accept-Language. */
  newContext(lang: Lang): Promise<BrowserContext>;
  /**
   * A new person (unique username from `label`), by default with no organization. `signedInBefore`:
   * as if they had signed in once already — the Acceptable Use Agreement accepted, the security
   * questions of `securityAnswers` set, and for staff an authenticator app with its recovery codes —
   * so that their sign-in goes straight through (the first sign-in's pages have entries of their own).
   */
  createPerson(label: string, options?: PersonOptions): Promise<Person>;
  /** The persona's person for `lang` (created on first use). */
  persona(name: PersonaName, lang: Lang): Promise<Person>;
  /** Types the username and password (and the CAPTCHA, once asked) on the sign-in page shown, and presses Sign In. */
  typePassword(page: Page, username: string, pw: string): Promise<void>;
  /**
   * From a signed-out browser to the portal home: the sign-in page, then whatever a first sign-in
   * asks (Acceptable Use Agreement, security questions, setting up an authenticator app), then any
   * later sign-in's second step (a recovery code).
   */
  signIn(page: Page, person: Person): Promise<void>;
  /** The six-digit code in the newest mail to `email`. */
  codeMailedTo(email: string, after?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startSystem(): Promise<System> {
  const hosts = createAppHosts({ prepare: migrateRpKit });
  const apps = { registry: await hosts.listen(), enrollment: await hosts.listen(), ordering: await hosts.listen() };
  let portal: TestPortal | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await hosts.closeServers();
    await portal?.close();
    await hosts.dropDatabases();
  };
  try {
    browser = await launchChromium();
    const urls = { portal: '', registry: apps.registry.url, enrollment: apps.enrollment.url, ordering: apps.ordering.url };
    portal = await startTestPortal({
      env: {
        REGISTRY_URL: urls.registry,
        ENROLLMENT_URL: urls.enrollment,
        ORDERING_URL: urls.ordering,
        BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: [urls.registry, urls.enrollment, urls.ordering].join(','),
        // As in production: staff set up an authenticator app at their first sign-in.
        MFA_REQUIRED_FOR_STAFF: 'true',
      },
      captchaGenerator: () => ({ svg: `<svg xmlns="http://www.w3.org/2000/svg" width="150" height="50"><text x="10" y="35">${captchaText}</text></svg>`, text: captchaText }),
    });
    const t = portal;
    urls.portal = t.url;
    const orgIds: Record<string, string> = {};
    for (const org of orgs) orgIds[org.code] = (await t.directory.createOrg(org)).id;
    const register = (app: 'registry' | 'enrollment' | 'ordering', name: string, extra: Record<string, unknown> = {}) =>
      t.directory.createClient({ clientId: app, name, app, redirectUris: [`${urls[app]}/callback`], postLogoutRedirectUris: [`${urls[app]}/`], backchannelLogoutUri: `${urls[app]}/backchannel-logout`, ...extra });
    // As the demo data registers them: ImmTrac2's Manage Users, Syntropi's HL7 credentials.
    const registry = await register('registry', 'ImmTrac2', { scopes: ['org:members'] });
    const enrollment = await register('enrollment', 'Syntropi', { grants: ['authorization_code', 'client_credentials'], scopes: ['enrollment:credentials'] });
    const ordering = await register('ordering', 'VAOS');
    const quiet = () => {};

    const registryDb = await hosts.database();
    await prepareRegistry(registryDb, { demoData: true, demoClients: 40 });
    apps.registry.server.on('request', createRegistry({ issuerUrl: t.url, clientId: 'registry', clientSecret: registry.client_secret!, baseUrl: urls.registry, db: registryDb, log: quiet }));
    const enrollmentDb = await hosts.database();
    await prepareEnrollment(enrollmentDb, { demoData: true });
    // Syntropi's decision mails are not what this suite looks at.
    const mailer = { send: async () => {}, close() {} };
    apps.enrollment.server.on('request', createEnrollment({ issuerUrl: t.url, clientId: 'enrollment', clientSecret: enrollment.client_secret!, baseUrl: urls.enrollment, db: enrollmentDb, log: quiet, mailer }));
    const orderingDb = await hosts.database();
    await prepareOrdering(orderingDb, { demoData: true });
    apps.ordering.server.on('request', createOrdering({ issuerUrl: t.url, clientId: 'ordering', clientSecret: ordering.client_secret!, baseUrl: urls.ordering, db: orderingDb, log: quiet }));

    let made = 0;
    const createPerson: System['createPerson'] = async (label, options = {}) => {
      const username = `${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${++made}`;
      const email = `${username}@example.org`;
      const name = options.name ?? `${label.replace(/(^|[-\s])(\w)/g, (_m, s: string, c: string) => `${s ? ' ' : ''}${c.toUpperCase()}`)} Tester`;
      const created = await t.directory.createUser({
        username,
        name,
        email,
        ...(options.temporary ? { temporary: true } : { password }),
        orgs: options.orgs ?? [],
        role: options.role,
      });
      const newPerson: Person = { id: created.id, username, name, email, password: created.temporary_password ?? password, recoveryCodes: [] };
      if (options.signedInBefore) await asIfSignedInBefore(newPerson);
      return newPerson;
    };

    /** What a first sign-in leaves behind, done through the portal's own services (no browser). */
    const asIfSignedInBefore = async (p: Person) => {
      const services = t.portal.services;
      const context = { ip: '127.0.0.1' };
      await services.aua.accept(p.id, (await services.aua.current()).version, context);
      const answers = Object.entries(questionIds).map(([text, questionId]) => ({ questionId, answer: securityAnswers[text]! }));
      const saved = await services.securityQuestions.save(p.id, answers, context);
      if (!saved.ok) throw new Error(`security questions for ${p.username}: ${saved.problems.join('; ')}`);
      const user = (await services.users.findById(p.id))!;
      if (user.system_role) {
        const offer = await services.totpEnrolment.offer(user);
        const prepared = services.totpEnrolment.prepare(user, offer.sealed, authenticator.generate(offer.secret));
        if (!prepared.ok) throw new Error(`authenticator app for ${p.username}: the first code was refused`);
        p.recoveryCodes = await services.totpEnrolment.apply(user, prepared, context);
      }
    };

    const people = new Map<string, Promise<Person>>();
    const persona: System['persona'] = (key, lang) => {
      const id = `${key}-${lang}`;
      if (!people.has(id)) {
        const p = personas[key] as { name: string; orgs?: string[]; role?: 'helpdesk' | 'admin' };
        people.set(id, createPerson(id, { name: p.name, orgs: p.orgs, role: p.role, signedInBefore: true }));
      }
      return people.get(id)!;
    };

    const typePassword: System['typePassword'] = async (page, username, pw) => {
      await field(page, 'Username').fill(username);
      await field(page, 'Password').fill(pw);
      const captcha = field(page, 'Type the characters in the picture');
      if (await captcha.count()) await captcha.fill(captchaText);
      await press(page, 'Sign In');
    };

    const heading = async (page: Page) => (await page.locator('h1').first().innerText({ timeout: stepTimeoutMs })).trim();

    const signIn: System['signIn'] = async (page, person) => {
      await page.goto(`${t.url}/login`);
      await typePassword(page, person.username, person.password);
      // The steps a sign-in may ask, in the order the portal asks them, until the portal home.
      for (let step = 0; step < 8; step++) {
        const h1 = await heading(page);
        if (is(page, h1, 'HHS Enterprise Portal')) return;
        if (is(page, h1, 'Set Up Two-Step Verification')) {
          const key = (await page.locator('code.key').innerText()).replace(/\s+/g, '');
          await field(page, 'Code from the app').fill(authenticator.generate(key));
          await press(page, 'Turn On Two-Step Verification');
          person.recoveryCodes = await page.locator('ul.recovery-codes code').allInnerTexts();
          await press(page, 'I Have Saved My Codes — Continue');
        } else if (is(page, h1, 'Two-Step Verification')) {
          const code = person.recoveryCodes.shift();
          if (!code) throw new Error(`${person.username} has no recovery code left for two-step verification`);
          await field(page, 'Code').fill(code);
          await press(page, 'Verify');
        } else if (await page.locator('.agreement').count()) {
          await press(page, 'I Agree');
        } else if (is(page, h1, 'Set Up Your Security Questions')) {
          await answerSecurityQuestions(page);
        } else if (is(page, h1, 'Change Your Password')) {
          person.password = `${password}x`;
          await field(page, 'New Password').fill(person.password);
          await field(page, 'Confirm Password').fill(person.password);
          await press(page, 'Submit');
        } else {
          throw new Error(`signing in ${person.username}: unexpected page "${h1}" at ${page.url()}`);
        }
      }
      throw new Error(`signing in ${person.username}: never reached the portal home`);
    };

    const codeMailedTo: System['codeMailedTo'] = async (email, after = 0) => {
      const mail = await t.mail.waitFor((m) => m.to.includes(email) && Date.parse(m.receivedAt) >= after && /^\s*\d{6}\s*$/m.test(m.text), stepTimeoutMs);
      return /^\s*(\d{6})\s*$/m.exec(mail.text)![1]!;
    };

    return {
      portal: t,
      browser,
      urls,
      orgIds,
      newContext: async (lang) => {
        const context = await browser!.newContext({ locale: lang, extraHTTPHeaders: { 'accept-language': lang } });
        contextLanguage.set(context, { lang, origins: { portal: new URL(t.url).origin, registry: new URL(urls.registry).origin, enrollment: new URL(urls.enrollment).origin, ordering: new URL(urls.ordering).origin } });
        return context;
      },
      createPerson,
      persona,
      typePassword,
      signIn,
      codeMailedTo,
      close,
    };
  } catch (err) {
    await close(); // a failed set-up must not leave a server or a browser behind
    throw err;
  }
}

/** The answers a first sign-in here gives, by question: Forgot Password and the help desk ask them back. */
export const securityAnswers: Record<string, string> = {
  'What was the name of your first pet?': 'Answer 1',
  'What was the make and model of your first car?': 'Answer 2',
  'What was the last name of your favorite teacher?': 'Answer 3',
};

/** The answer a first sign-in here gave to `question` as the page shows it (in its language). */
export function answerFor(page: Page, question: string): string | undefined {
  const english = Object.keys(securityAnswers).find((text) => say(page, text) === question.trim());
  return english === undefined ? undefined : securityAnswers[english];
}

const questionIds: Record<string, string> = {
  'What was the name of your first pet?': 'first-pet',
  'What was the make and model of your first car?': 'first-car',
  'What was the last name of your favorite teacher?': 'favorite-teacher',
};

/** Chooses the three questions of `securityAnswers` and types their answers (a form's fields `question_N`, `answer_N`). */
export async function fillSecurityQuestions(page: Page): Promise<void> {
  for (const [i, [text, id]] of Object.entries(questionIds).entries()) {
    await page.locator(`#question_${i}`).selectOption(id);
    await page.locator(`#answer_${i}`).fill(securityAnswers[text]!);
  }
}

/** The security-questions step of a first sign-in, answered with `securityAnswers`. */
export async function answerSecurityQuestions(page: Page): Promise<void> {
  await fillSecurityQuestions(page);
  await press(page, 'Submit');
}
