import { createInstance, type TFunction } from 'i18next';
import { currentPageContext } from './page-context.js';

/**
 * The languages every page, message and email comes in (issue 13, part 4): English, and Spanish,
 * the state's second language. One i18next instance holds every package's catalogue as its own
 * namespace (`chrome` here, `portal`, `apps` …); a key missing in Spanish falls back to English,
 * and a test checks that no catalogue lacks a key the English one has.
 */
export const locales = ['en', 'es'] as const;
export type Locale = (typeof locales)[number];

/** What each language calls itself, for the switch on every page. */
export const localeNames: Readonly<Record<Locale, string>> = { en: 'English', es: 'Español' };

/** BCP 47 tags for Intl (dates, times, numbers): US English and US Spanish. */
export const intlLocale: Readonly<Record<Locale, string>> = { en: 'en-US', es: 'es-US' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** A nested catalogue: strings, or groups of them. */
export interface Catalogue {
  [key: string]: string | Catalogue;
}

const i18n = createInstance();
void i18n.init({
  // Resources are added synchronously below, so init needs no backend and does not wait.
  initAsync: false,
  resources: {},
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: [...locales],
  // Values go into html`` templates, which escape them; i18next must not escape twice.
  // `{support}` as the existing messages write it, not i18next's default `{{support}}`.
  interpolation: { escapeValue: false, prefix: '{', suffix: '}' },
  returnNull: false,
  returnEmptyString: false,
});

/** Registers a package's catalogue under its namespace, every language at once. */
export function addCatalogue(namespace: string, catalogues: Readonly<Record<Locale, Catalogue>>): void {
  for (const locale of locales) i18n.addResourceBundle(locale, namespace, catalogues[locale], true, true);
}

/** The translator for one language and namespace, for mail and other work outside a page. */
export function translator(locale: Locale, namespace: string): TFunction {
  return i18n.getFixedT(locale, namespace);
}

/** Translates `key` of `namespace` into the current page's language (the request's page context). */
export function translate(namespace: string, key: string, values?: Record<string, unknown>): string {
  const locale = currentPageContext().locale;
  return i18n.t(key, { ns: namespace, lng: isLocale(locale) ? locale : 'en', ...values }) as string;
}

/** Whether `namespace` has `key` in English (a coded message's catalogue entry exists). */
export function hasKey(namespace: string, key: string): boolean {
  return i18n.exists(key, { ns: namespace, lng: 'en' });
}

/** Every key of a catalogue, dotted ("signIn.title"), for the tests that compare languages. */
export function catalogueKeys(catalogue: Catalogue): string[] {
  return entriesOf(catalogue).map(([key]) => key);
}

/**
 * The language of a request: an explicit choice (`?lang=es` from the switch on every page), else
 * the one remembered in the cookie, else the browser's Accept-Language (by its q order), else
 * English. `chosen` is set when the request made a choice the cookie should remember.
 */
export function negotiateLocale(input: { query?: unknown; cookie?: string | undefined; acceptLanguage?: string | undefined }): { locale: Locale; chosen: boolean } {
  if (isLocale(input.query)) return { locale: input.query, chosen: input.query !== input.cookie };
  if (isLocale(input.cookie)) return { locale: input.cookie, chosen: false };
  const ranked = (input.acceptLanguage ?? '')
    .slice(0, 500)
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find(Boolean);
      return { language: (tag ?? '').split('-')[0]!, q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  const match = ranked.find((r) => isLocale(r.language));
  return { locale: match ? (match.language as Locale) : 'en', chosen: false };
}

/** The value of cookie `name` in a Cookie header, if it is one of the languages. */
export function localeCookie(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return isLocale(value) ? value : undefined;
    }
  }
  return undefined;
}

/** The current URL with `lang` set to `locale` (the switch's link), kept on the same path. */
export function urlWithLocale(originalUrl: string, locale: Locale): string {
  // The target is a path on this site: leading slashes collapse to one, so `//evil` stays a path
  // (never a protocol-relative link to another host), and a target URL cannot parse goes home.
  const target = `/${originalUrl.replace(/^[/\\]+/, '')}`;
  try {
    const url = new URL(target, 'http://site.invalid');
    url.searchParams.set('lang', locale);
    return `${url.pathname.replace(/^\/+/, '/')}${url.search}`;
  } catch {
    return `/?lang=${locale}`;
  }
}

/**
 * `text` as `locale` writes it: the English string is looked up among every catalogue's English
 * values (a `{placeholder}` in a value matches any words, which carry over), and the same key's
 * words in `locale` are returned; words no catalogue has come back as they are. For whoever drives
 * pages by what a person reads — the page catalogue's sweep presses "Sign In" in English and
 * "Iniciar sesión" in Spanish from one script. An English string two keys share should have one
 * translation; the first key found wins. `namespaces` limits the search (an app's page has only
 * the shared chrome's and rp-kit's words, not the portal's).
 */
export function translateText(text: string, locale: Locale, namespaces?: readonly string[]): string {
  if (locale === 'en') return text;
  for (const [namespace, english] of Object.entries((i18n.store.data.en ?? {}) as Record<string, Catalogue>)) {
    if (namespaces && !namespaces.includes(namespace)) continue;
    const foreign = i18n.getResourceBundle(locale, namespace) as Catalogue | undefined;
    const foreignStrings = new Map(foreign ? entriesOf(foreign) : []);
    for (const [key, template] of entriesOf(english)) {
      const values = matchTemplate(template, text);
      if (!values) continue;
      const target = foreignStrings.get(key);
      return target === undefined ? text : target.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
    }
  }
  return text;
}

/** A catalogue's strings by dotted key (a key may itself hold dots, as the coded messages' do). */
function entriesOf(catalogue: Catalogue, prefix = ''): [string, string][] {
  return Object.entries(catalogue).flatMap(([k, v]): [string, string][] => (typeof v === 'string' ? [[`${prefix}${k}`, v]] : entriesOf(v, `${prefix}${k}.`)));
}


/** The placeholder values if `text` is `template` filled in, else undefined. */
function matchTemplate(template: string, text: string): Record<string, string> | undefined {
  if (!template.includes('{')) return template === text ? {} : undefined;
  const names: string[] = [];
  const source = template
    .split(/(\{\w+\})/)
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (!name) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return '(.+?)';
    })
    .join('');
  const match = new RegExp(`^${source}$`, 's').exec(text);
  return match ? Object.fromEntries(names.map((name, i) => [name, match[i + 1]!])) : undefined;
}

/**
 * What `locale` lacks of the English in `namespaces`: each `namespace:key` with no string in
 * `locale`, with a `{placeholder}` set other than the English one, or that `locale` has and English
 * does not — empty when the language is complete (the tests of every package's catalogues).
 */
export function untranslated(locale: Locale, namespaces: readonly string[]): string[] {
  const ours = (key: string) => namespaces.includes(key.slice(0, key.indexOf(':')));
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join();
  const english = catalogueStrings('en');
  const foreign = catalogueStrings(locale);
  return [
    ...[...english].filter(([key, text]) => ours(key) && (!foreign.has(key) || placeholders(foreign.get(key)!) !== placeholders(text))).map(([key]) => key),
    ...[...foreign.keys()].filter((key) => ours(key) && !english.has(key)),
  ];
}

/**
 * Every string of every catalogue in `locale`, by `namespace:dotted.key`: what a test compares a
 * page's words with to find one left in English (or a raw key shown where words should be).
 */
export function catalogueStrings(locale: Locale): Map<string, string> {
  const strings = new Map<string, string>();
  for (const [namespace, catalogue] of Object.entries((i18n.store.data[locale] ?? {}) as Record<string, Catalogue>)) {
    for (const [key, value] of entriesOf(catalogue)) strings.set(`${namespace}:${key}`, value);
  }
  return strings;
}
