import type { Db } from '@portal/db';
import { changedRows, listTables, snapshotDatabase, type RouteSpec, type RowChange } from './fuzz.js';
import { textOf } from './http-agent.js';

/**
 * The per-route CSRF table (issue 14, item 5): every state-changing route an app's router serves
 * (POST, PUT, PATCH, DELETE) is sent from a signed-in browser with no token, with another
 * session's token, with the token of a different form this browser was shown by a GET (a form
 * bound to something else: a sign-in, a flow, another app), and with its own token in the query
 * string instead of the body (where a GET form would put it, and where it leaks into logs and
 * Referer). Each must be refused with a clear 403 and change no row. A route that does not use the
 * synchroniser token is named once, in the test's exemptions, with its reason; a route that is
 * neither checked nor exempt fails the table, and so does an exemption naming no route.
 */

/** How a route takes its token: a form field `csrf` (the default), a JSON body's `csrf`, or the `x-csrf-token` header. */
export type CsrfCarrier = 'form' | 'json' | 'header';

/** Where a route's requests come from: a browser past every check but the token's. */
export interface CsrfSetup {
  /** The browser's Cookie header for the route's origin. */
  cookie: string;
  /** Real values of the route's parameters (`:uid`, `:id`); a parameter not named here is sent as `1`. */
  params?: Record<string, string>;
  /** The form's other fields, as the page sends them (a flow id): so a refusal is the token's, not the form's. */
  fields?: Record<string, string>;
  carrier?: CsrfCarrier;
  /** This browser's own valid token for the route (sent only in the query string). */
  own: string;
  /** A valid token of another browser's session or flow. */
  otherSession: string;
  /** A token this browser got from a GET of a form bound to something else. */
  otherForm: string;
}

export type CsrfCase = 'no token' | "another session's token" | 'a token from a GET of a different form' | 'own token in the query string';

export interface CsrfRow {
  route: string;
  case: CsrfCase;
  status: number;
  /** What is wrong; empty when the request was refused as it should be. */
  problems: string[];
}

export interface CsrfTableOptions {
  baseUrl: string;
  routes: RouteSpec[];
  /** The routes that take no synchroniser token, and why: the test's one list of them. */
  exemptions: CsrfExemption[];
  /** The browser for a route; undefined when the test knows no way to reach it (a failure). */
  setupFor(route: RouteSpec): Promise<CsrfSetup | undefined>;
  /** The database whose rows a refused request must not change. */
  db: Db;
  /** Tables not read at all (written by every request: audit, request budgets). */
  unread?: string[];
  leaveOut?: Record<string, Record<string, string>>;
  /** Rows a refused request may still write (a session's sliding idle timer). */
  expectedWrite?: (change: RowChange) => boolean;
  /** The words of the refusal page (the `request.csrf` message): a 403 for another reason does not count. */
  refusal: RegExp;
}

/** Routes (`METHOD /path` as the router names it, or a pattern over that) that take no synchroniser token, and why. */
export interface CsrfExemption {
  routes: string | RegExp;
  reason: string;
}

const exempts = (exemption: CsrfExemption, name: string) => (typeof exemption.routes === 'string' ? exemption.routes === name : exemption.routes.test(name));

export const stateChangingMethods = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** The routes the table covers: the router's state-changing ones, each once. */
export function stateChangingRoutes(routes: RouteSpec[]): RouteSpec[] {
  return [...new Map(routes.filter((r) => stateChangingMethods.includes(r.method)).map((r) => [`${r.method} ${r.path}`, r])).values()];
}

/** Exemptions that name no route of the router: a renamed or removed route must not keep its excuse. */
export function staleExemptions(routes: RouteSpec[], exemptions: CsrfExemption[]): CsrfExemption[] {
  const names = stateChangingRoutes(routes).map((r) => `${r.method} ${r.path}`);
  return exemptions.filter((exemption) => !names.some((name) => exempts(exemption, name)));
}

/** The state-changing routes an exemption covers, by name. */
export function exemptRoutes(routes: RouteSpec[], exemptions: CsrfExemption[]): string[] {
  return stateChangingRoutes(routes).map((r) => `${r.method} ${r.path}`).filter((name) => exemptions.some((e) => exempts(e, name)));
}

export async function csrfTable(options: CsrfTableOptions): Promise<{ rows: CsrfRow[]; unreachable: string[]; rowsChanged: number }> {
  const rows: CsrfRow[] = [];
  const unreachable: string[] = [];
  let rowsChanged = 0;
  const tables = (await listTables(options.db)).filter((t) => !(options.unread ?? []).includes(t));
  for (const route of stateChangingRoutes(options.routes)) {
    const name = `${route.method} ${route.path}`;
    if (options.exemptions.some((e) => exempts(e, name))) continue;
    const setup = await options.setupFor(route);
    if (!setup) {
      unreachable.push(name);
      continue;
    }
    const path = route.path.replace(/:([A-Za-z_]+)/g, (_m, param: string) => encodeURIComponent(setup.params?.[param] ?? '1'));
    const cases: [CsrfCase, string | undefined, string][] = [
      ['no token', undefined, path],
      ["another session's token", setup.otherSession, path],
      ['a token from a GET of a different form', setup.otherForm, path],
      ['own token in the query string', undefined, `${path}?csrf=${encodeURIComponent(setup.own)}`],
    ];
    for (const [label, token, target] of cases) {
      const before = await snapshotDatabase(options.db, tables, options.leaveOut);
      const res = await send(options.baseUrl, route.method, target, setup, token);
      const body = await res.text();
      const problems: string[] = [];
      if (res.status !== 403) problems.push(`status ${res.status}${res.headers.get('location') ? ` to ${res.headers.get('location')}` : ''}`);
      const html = (res.headers.get('content-type') ?? '').includes('text/html');
      // A person reads why on the page; a script (JSON) gets an error naming the token.
      if (html ? !options.refusal.test(textOf(body)) : !/csrf/i.test(body)) problems.push(`not the CSRF refusal: ${JSON.stringify(textOf(body).slice(0, 160))}`);
      const changes = changedRows(before, await snapshotDatabase(options.db, tables, options.leaveOut), options.expectedWrite ?? (() => false));
      if (changes.length) {
        rowsChanged += changes.length;
        problems.push(`rows changed: ${JSON.stringify(changes.slice(0, 2)).slice(0, 600)}`);
      }
      rows.push({ route: name, case: label, status: res.status, problems });
    }
  }
  return { rows, unreachable, rowsChanged };
}

function send(baseUrl: string, method: string, target: string, setup: CsrfSetup, token: string | undefined): Promise<Response> {
  const carrier = setup.carrier ?? 'form';
  const fields: Record<string, string> = { ...setup.fields, ...(token !== undefined && carrier !== 'header' ? { csrf: token } : {}) };
  const headers: Record<string, string> = { cookie: setup.cookie, accept: carrier === 'form' ? 'text/html' : 'application/json' };
  if (carrier === 'header' && token !== undefined) headers['x-csrf-token'] = token;
  let body: string | undefined;
  if (carrier === 'json') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(fields);
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(fields).toString();
  }
  return fetch(`${baseUrl}${target}`, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(20_000) });
}

/** The table as the test's failure message: one line per request that was not refused as it should be. */
export function describeFailures(rows: CsrfRow[]): string {
  return rows
    .filter((r) => r.problems.length)
    .map((r) => `${r.route} — ${r.case}: ${r.problems.join('; ')}`)
    .join('\n');
}
