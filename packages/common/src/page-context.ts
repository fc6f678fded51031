import { AsyncLocalStorage } from 'node:async_hooks';
import { defaultAgency, type Agency } from './chrome.js';

/**
 * What every page of a request is drawn for: the agency whose chrome it wears (from the settings,
 * parsed once at start) and, as the pages learn Spanish, the person's language. The portal and the
 * apps set it once per request in a middleware (`pageContextMiddleware`), so the page frame finds
 * it without every view passing it down; outside a request (a CLI, a unit test) the embedded
 * defaults apply.
 */
export interface PageContext {
  readonly agency: Agency;
  readonly locale: string;
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

/** Express-style middleware: each request runs in a page context made by `contextOf`. */
export function pageContextMiddleware<Req>(contextOf: (req: Req) => PageContext) {
  return (req: Req, _res: unknown, next: () => void): void => storage.run(contextOf(req), next);
}
