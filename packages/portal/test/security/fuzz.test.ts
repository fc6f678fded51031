import fc from 'fast-check';
import { startPortalWithApp, type PortalWithApp } from '../../src/testing/app-fixture.js';
import { HttpAgent, parseForm, portalRejectedWrites, recordSecurityResult } from '../../src/testing/index.js';
import {
  changedRows, describeRequest, discoveryRoutes, expressRoutes, fuzzRequest, listTables, problemsWith, snapshotDatabase,
  type FuzzContext, type FuzzRequest, type RouteSpec,
} from '../../src/testing/fuzz.js';
import { adminApiResource } from '../../src/oidc/claims.js';
import { apiScopeNames } from '../../src/libraries/administration/actors.js';

/**
 * Issue 14, item 1: every route of the portal — the express router's and oidc-provider's, as the
 * app and the discovery document list them, so a new route is fuzzed without editing this file —
 * gets generated requests (wrong types, huge and empty values, unicode and control characters,
 * duplicated parameters, JSON for forms and the reverse, broken multipart, bad CSRF tokens and
 * flow ids, odd cookies and headers) from browsers at several points (anonymous, mid-sign-in,
 * at a first sign-in's steps, mid-recovery, signed in, an administrator, an admin API client). Never a 5xx, never a stack
 * trace or internal path, every HTML answer with the security headers, and no row changed by a
 * rejected request. FUZZ_RUNS sets the number of requests (FUZZ_SEED replays a run).
 */
const requests = Number(process.env.FUZZ_RUNS ?? 10_000);
const batchSize = 50;
const concurrency = 4;
const password = 'Correct-Horse-9!';

let p: PortalWithApp;
let routes: RouteSpec[];
let contexts: FuzzContext[];

const cookiesOf = (agent: HttpAgent) =>
  Object.fromEntries(agent.cookieHeader().split('; ').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));

/** A browser signed in to the portal, holding the CSRF token of `page`'s form. */
async function signedIn(name: string, username: string, page: string, values: Record<string, string>): Promise<FuzzContext> {
  const context: FuzzContext = { name, cookies: {}, values };
  context.refresh = async () => {
    const agent = await new HttpAgent(p.t.url).signInToPortal(username, password);
    const res = await agent.request(`${p.t.url}${page}`);
    expect(res.status).toBe(200);
    Object.assign(context, { cookies: cookiesOf(agent), csrf: parseForm(res.body, res.url).fields.csrf });
  };
  await context.refresh();
  return context;
}

/** A browser at the sign-in form of a live interaction (its uid among the values). */
async function midSignIn(values: Record<string, string>): Promise<FuzzContext> {
  const context: FuzzContext = { name: 'mid-sign-in', cookies: {}, values };
  context.refresh = async () => {
    const browser = new HttpAgent(p.t.url);
    const page = (await browser.follow(p.authUrl())).response;
    values.uid = /\/interaction\/([^/?#]+)/.exec(page.url)![1]!;
    Object.assign(context, { cookies: cookiesOf(browser), csrf: parseForm(page.body, page.url).fields.csrf });
  };
  await context.refresh();
  return context;
}

/** A browser in Forgot Password, started from a sign-in, the username given and a code mailed (its flow id among the values). */
async function midRecovery(values: Record<string, string>): Promise<FuzzContext> {
  const context: FuzzContext = { name: 'mid-recovery', cookies: {}, values };
  context.refresh = async () => {
    const browser = new HttpAgent(p.t.url);
    const uid = /\/interaction\/([^/?#]+)/.exec((await browser.follow(p.authUrl())).response.url)![1]!;
    const start = (await browser.follow(`${p.t.url}/interaction/${uid}/forgot-password`)).response;
    const form = parseForm(start.body, start.url);
    const codePage = (await browser.follow(form.action, { form: { ...form.fields, username: 'pat' } })).response;
    const codeForm = parseForm(codePage.body, codePage.url);
    values.flow = codeForm.fields.flow ?? form.fields.flow ?? '';
    Object.assign(context, { cookies: cookiesOf(browser), csrf: codeForm.fields.csrf });
  };
  await context.refresh();
  return context;
}

/**
 * A browser past the password of a first sign-in, at the steps it asks for (the AUA, then the
 * security questions): the step form's uid and CSRF token. Each start is a new person, since a
 * step the fuzzer completes stays completed.
 */
async function midSteps(values: Record<string, string>): Promise<FuzzContext> {
  const context: FuzzContext = { name: 'sign-in steps', cookies: {}, values: { ...values } };
  let people = 0;
  context.refresh = async () => {
    const username = `newcomer${++people}`;
    await p.t.directory.createUser({ username, email: `${username}@example.org`, password });
    const browser = new HttpAgent(p.t.url);
    const page = (await browser.submitSignIn((await browser.follow(p.authUrl())).response, username, password)).response;
    const form = parseForm(page.body, page.url);
    expect(form.action).toMatch(/\/interaction\/[^/]+\/step$/);
    context.values.uid = /\/interaction\/([^/]+)\/step$/.exec(form.action)![1]!;
    Object.assign(context, { cookies: cookiesOf(browser), csrf: form.fields.csrf });
  };
  await context.refresh();
  return context;
}

beforeAll(async () => {
  p = await startPortalWithApp();
  const { t } = p;
  const org = await t.directory.createOrg({ code: 'clinic-1', iisId: '1000000001', name: 'Clinic One' });
  const pat = await t.directory.createUser({ username: 'pat', email: 'pat@example.org', password, orgs: ['clinic-1:full_access_provider'] });
  await t.directory.createUser({ username: 'ada', name: 'Ada Admin', email: 'ada@example.org', password, role: 'admin' });
  const machine = await t.directory.createClient({ name: 'Admin automation', grants: ['client_credentials'], scopes: [...apiScopeNames] });
  const tokenRes = await fetch(`${t.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${machine.client_id}:${machine.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: adminApiResource(t.url), scope: apiScopeNames.join(' ') }),
  });
  const bearer = ((await tokenRes.json()) as { access_token: string }).access_token;

  // Real values for route parameters and fields (one object, kept current by the refreshes), so
  // the lookups find something and the code behind them runs.
  const values: Record<string, string> = { id: pat.id, userId: pat.id, orgId: org.id, clientId: p.clientId, action: 'unlock' };
  contexts = [
    { name: 'anonymous', cookies: {}, values: {} },
    await midSignIn(values),
    await midRecovery(values),
    await midSteps(values),
    await signedIn('signed-in user', 'pat', '/profile/edit', values),
    await signedIn('administrator', 'ada', '/admin/users/new', values),
    { name: 'admin API client', cookies: {}, values, bearer, json: true },
  ];

  const fromRouter = expressRoutes(t.portal.app);
  const fromDiscovery = await discoveryRoutes(t.url);
  routes = [...new Map([...fromRouter, ...fromDiscovery].map((r) => [`${r.method} ${r.path}`, r])).values()];
});
afterAll(() => p?.close());

// Rows a rejected attempt is meant to write, and only those: see portalRejectedWrites.
const { unread: writtenByEveryAttempt, leaveOut: interactions, expected: expectedWrite } = portalRejectedWrites;

/** Which browser a route is mostly fuzzed from: the one that gets past its first check. */
function recipe({ path }: RouteSpec): string | undefined {
  if (path.startsWith('/api/admin/')) return 'admin API client';
  if (/^\/(admin|helpdesk)(\/|$)/.test(path)) return 'administrator';
  if (/^\/(profile|account|session|logout|signed-in)(\/|$)/.test(path)) return 'signed-in user';
  if (/^\/interaction\/:uid\/step/.test(path)) return 'sign-in steps';
  if (path.startsWith('/interaction/')) return 'mid-sign-in';
  if (path.startsWith('/forgot-password')) return 'mid-recovery';
  return undefined;
}

async function send(r: FuzzRequest) {
  const res = await fetch(`${p.t.url}${r.target}`, { method: r.method, headers: r.headers, body: r.body, redirect: 'manual', signal: AbortSignal.timeout(20_000) });
  return { status: res.status, headers: res.headers, body: await res.text(), location: res.headers.get('location') ?? '' };
}

test(`${requests} generated requests to every route: no 5xx, no leak, secure HTML, no row changed by rejected input`, async () => {
  const started = Date.now();
  const allTables = await listTables(p.t.db);
  // The tables these exclusions name must exist: a renamed table would otherwise escape the check.
  for (const table of [...writtenByEveryAttempt, ...portalRejectedWrites.named]) expect(allTables).toContain(table);
  // Those every attempt writes are not read at all (the audit log grows with each batch).
  const tables = allTables.filter((table) => !writtenByEveryAttempt.includes(table));
  let snapshot = await snapshotDatabase(p.t.db, tables, interactions);
  const figures = { cases: 0, fiveXx: 0, problems: 0, unsendable: 0, rowsChanged: 0, acceptedWrites: 0, batchesWithAcceptedWrites: 0 };
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

  await fc.assert(
    fc.asyncProperty(fc.array(fuzzRequest(routes, contexts, recipe), { minLength: batchSize, maxLength: batchSize }), async (batch) => {
      const accepted: FuzzRequest[] = [];
      const queue = [...batch];
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let r = queue.shift(); r; r = queue.shift()) {
            let answer;
            try {
              answer = await send(r);
            } catch (err) {
              const cause = (err as { cause?: { code?: string } }).cause;
              // A request the client itself will not send (a header it refuses) is not the portal's answer.
              if ((err as Error).message !== 'fetch failed' || !cause?.code?.startsWith('UND_ERR_')) {
                figures.unsendable++;
                continue;
              }
              failures.push(`no answer (${cause.code}): ${describeRequest(r)}`);
              continue;
            }
            figures.cases++;
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            if (answer.status >= 500) figures.fiveXx++;
            const problems = problemsWith(answer);
            if (problems.length) {
              figures.problems++;
              failures.push(`${problems.join('; ')}: ${describeRequest(r)}`);
            }
            // A request the portal accepted may change what it asked for: not "bad input". (A 303 to
            // the sign-in page is a refusal; POST /auth and /session/end are 303s to their GET.)
            const refused = answer.status >= 400 || /^\/login\b/.test(answer.location.replace(p.t.url, ''));
            if (!['GET', 'HEAD', 'OPTIONS'].includes(r.method) && !refused && !/^\/(auth|session\/end)$/.test(r.target.split('?')[0]!)) {
              accepted.push(r);
            }
          }
        }),
      );
      // A browser whose sign-in, session or flow an accepted request ended starts again.
      for (const context of contexts) if (accepted.some((r) => r.context === context.name)) await context.refresh?.();
      const after = await snapshotDatabase(p.t.db, tables, interactions);
      const changes = changedRows(snapshot, after, expectedWrite);
      snapshot = after;
      if (accepted.length) {
        figures.acceptedWrites += accepted.length;
        if (changes.length) figures.batchesWithAcceptedWrites++;
      } else if (changes.length) {
        figures.rowsChanged += changes.length;
        failures.push(`rows changed by rejected input: ${JSON.stringify(changes.slice(0, 3)).slice(0, 1500)} — in a batch of ${batch.length}, e.g. ${batch.slice(0, 3).map(describeRequest).join(' | ')}`);
      }
      if (failures.length) throw new Error(failures.slice(0, 5).join('\n\n'));
    }),
    {
      numRuns: Math.ceil(requests / batchSize),
      // A batch is 50 requests and the database's state: shrinking it would replay against a moved
      // state. The failing requests are named in the message instead, with the seed that replays the run.
      endOnFailure: true,
      ...(seed !== undefined ? { seed } : {}),
      asyncReporter: async (run) => {
        if (run.failed) throw new Error(`fuzzing failed (FUZZ_SEED=${run.seed} replays it):\n${(run.errorInstance as Error | undefined)?.message ?? 'no message'}`);
      },
    },
  ).finally(() => {
    recordSecurityResult({
      check: 'fuzz: portal routes',
      figures: { ...figures, routes: routes.length, seconds: Math.round((Date.now() - started) / 100) / 10, statuses: [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`).join(' ') },
    });
  });
  // Requests that reached the portal, not ones the client refused to build.
  expect(figures.cases).toBeGreaterThanOrEqual(requests * 0.95);
  expect(figures.fiveXx).toBe(0);
  expect(figures.rowsChanged).toBe(0);
}, 600_000);

test('the routes fuzzed are those the app serves: its router and every endpoint discovery advertises', () => {
  const names = routes.map((r) => `${r.method} ${r.path}`);
  for (const route of ['POST /interaction/:uid/login', 'POST /forgot-password', 'POST /profile', 'POST /admin/users/:id/disable', 'PATCH /api/admin/v1/users/:id', 'POST /token', 'POST /request', 'GET /me', 'POST /token/introspection']) {
    expect(names).toContain(route);
  }
  expect(contexts.every((c) => c.name === 'anonymous' || c.name === 'admin API client' || Object.keys(c.cookies).length > 0)).toBe(true);
});
