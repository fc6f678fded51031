import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defaultAgency, type Agency } from './agency.js';
import { localeCookie, negotiateLocale, urlWithLocale, type Locale } from './i18n.js';

/**
 * What every page of a request is drawn for: the agency whose chrome it wears (from the settings,
 * parsed once at start), the person's language, and the link that switches it. The portal and the
 * apps set it once per request in a middleware (`pageContextMiddleware`), so the page frame and
 * every translated string find it without each view passing it down; outside a request (a CLI, a
 * unit test) the embedded defaults apply: the Texas agency, English.
 */
export interface PageContext {
  readonly agency: Agency;
  readonly locale: Locale;
  /** The same page in the other language (`?lang=`), for the switch in the header. */
  readonly switchTo?: { readonly locale: Locale; readonly href: string } | undefined;
}

const storage = new AsyncLocalStorage<PageContext>();
const fallback: PageContext = Object.freeze({ agency: defaultAgency, locale: 'en' });

export function currentPageContext(): PageContext {
  return storage.getStore() ?? fallback;
}

/** Runs `fn` (and everything it starts) with `context` as the current page context. */
export function runWithPageContext<T>(context: PageContext, fn: () => T): T {
  return storage.run(context, fn);
}

export interface PageContextOptions {
  agency: Agency;
  /**
   * The cookie that remembers the choice: the portal's `portal.lang`, an app's `<app>.lang`; over
   * https `__Host-portal.lang`, `__Host-<app>.lang` (Path=/, Secure: what the prefix demands).
   */
  cookieName: string;
  /** Mark the cookie Secure (the site is served over https). */
  secure: boolean;
}

/** The query of a request target, whatever its shape (`//x?…` is a path here, never a host). */
function queryOf(target: string): URLSearchParams {
  const at = target.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : target.slice(at + 1));
}

const oneYearSeconds = 365 * 24 * 60 * 60;

/**
 * Middleware: each request runs in its page context. The language comes from `?lang=` (the switch;
 * remembered in a cookie for a year), the cookie, or Accept-Language; `Vary` tells caches so.
 * A language is a display preference, not account state: choosing one needs no CSRF token (a site
 * that sets it for someone changes only the language they read).
 */
export function pageContextMiddleware({ agency, cookieName, secure }: PageContextOptions) {
  // A browser drops a prefixed cookie that is not Secure: the choice would silently never stick.
  if (!secure && /^__(Host|Secure)-/.test(cookieName)) throw new Error(`cookie ${cookieName}: a __Host-/__Secure- name must be Secure`);
  return (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: () => void): void => {
    const url = req.originalUrl ?? req.url ?? '/';
    const query = queryOf(url).get('lang') ?? undefined;
    const { locale, chosen } = negotiateLocale({ query, cookie: localeCookie(req.headers.cookie, cookieName), acceptLanguage: req.headers['accept-language'] });
    if (chosen) {
      res.appendHeader('Set-Cookie', `${cookieName}=${locale}; Path=/; Max-Age=${oneYearSeconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
    }
    res.appendHeader('Vary', 'Accept-Language, Cookie');
    const other: Locale = locale === 'en' ? 'es' : 'en';
    // The same path in the other language, without the request's query: a page must not echo what a
    // request carried (an error page for redirect_uri=https://evil.example would link it back), and
    // after a form post the same address (GET) is where the form lives.
    const switchTo = { locale: other, href: urlWithLocale(url.split('?')[0]!, other) };
    storage.run({ agency, locale, switchTo }, next);
  };
}
