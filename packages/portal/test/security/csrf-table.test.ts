import { startPortalWithApp, type PortalWithApp } from '../../src/testing/app-fixture.js';
import {
  csrfTable, describeFailures, exemptRoutes, expressRoutes, HttpAgent, parseForm, portalRejectedWrites, recordSecurityResult, staleExemptions, stateChangingRoutes,
  type CsrfExemption, type CsrfSetup, type RouteSpec,
} from '../../src/testing/index.js';

/**
 * Issue 14, item 5: the portal's CSRF table. Every state-changing route of the router is sent
 * without a token, with another session's, with one of a different form and with its own in the
 * query string (csrf-table.ts); each must answer the 403 "Your form expired or came from another
 * site" and change no row. The portal's tokens are HMACs of what a form is bound to: a sign-in's
 * interaction, a stored flow, or the SSO session for the signed-in pages (one token for every
 * form of a session, OWASP's per-session synchroniser token) — so "a different form" here is one
 * of another binding: a Forgot Password flow's form for a signed-in page or a sign-in, the
 * session's pages for a flow of its own, a sign-in page for Forgot Password.
 */

/** Every state-changing route that takes no synchroniser token, and why. Nothing else may be missing from the table. */
const exemptions: CsrfExemption[] = [
  {
    routes: /^(POST|PUT|PATCH|DELETE) \/api\/admin\/v1\//,
    reason: 'the admin JSON API: a bearer token in the Authorization header, never a cookie (a cross-site page cannot send one); proved below',
  },
  { routes: 'POST /auth', reason: "oidc-provider's authorization endpoint (OIDC Core §3.1.2.1 allows POST): it only starts a sign-in that asks; login CSRF is answered by state, nonce and PKCE bound to the app's browser" },
  { routes: 'POST /session/end', reason: "oidc-provider's RP-initiated logout: it asks before signing out, with its own CSRF secret in the session (protocol-hardening.test.ts)" },
];

const password = 'Correct-Horse-9!';
let p: PortalWithApp;
let routes: RouteSpec[];
let ids: Record<string, string>;

const at = async (agent: HttpAgent, path: string) => {
  const page = (await agent.follow(`${p.t.url}${path}`)).response;
  expect(page.status).toBe(200);
  return parseForm(page.body, page.url);
};
const signedIn = async (username: string) => new HttpAgent(p.t.url).signInToPortal(username, password);
/** A token of a form of another binding in this browser: the Forgot Password page a GET starts. */
const forgotPasswordToken = async (agent: HttpAgent) => (await at(agent, '/forgot-password?restart=1')).fields.csrf!;

/** A browser at a sign-in form: its interaction's uid and token. */
async function atSignIn() {
  const agent = new HttpAgent(p.t.url);
  const page = (await agent.follow(p.authUrl())).response;
  return { agent, uid: /\/interaction\/([^/?#]+)/.exec(page.url)![1]!, csrf: parseForm(page.body, page.url).fields.csrf! };
}

let newcomers = 0;
/** A browser past a first sign-in's password, at its first step (the AUA): the step form. */
async function atSteps() {
  const username = `newcomer${++newcomers}`;
  await p.t.directory.createUser({ username, email: `${username}@example.org`, password });
  const agent = new HttpAgent(p.t.url);
  const page = (await agent.submitSignIn((await agent.follow(p.authUrl())).response, username, password)).response;
  const form = parseForm(page.body, page.url);
  return { agent, uid: /\/interaction\/([^/]+)\/step$/.exec(form.action)![1]!, form };
}

/** A browser in Forgot Password from a sign-in, the username given: the code step's form. */
async function inRecovery() {
  const { agent, uid, csrf: signInToken } = await atSignIn();
  const start = (await agent.follow(`${p.t.url}/interaction/${uid}/forgot-password`)).response;
  const first = parseForm(start.body, start.url);
  const codePage = (await agent.follow(first.action, { form: { ...first.fields, username: 'pat' } })).response;
  return { agent, form: parseForm(codePage.body, codePage.url), signInToken };
}

/** An authenticator app's enrolment started from My Profile: its flow's form. */
async function enrolling(agent: HttpAgent) {
  const { fields } = await at(agent, '/profile/two-step');
  const page = await agent.request(`${p.t.url}/profile/two-step/setup`, { method: 'POST', form: { csrf: fields.csrf! } });
  return parseForm(page.body, page.url);
}

const withoutToken = (fields: Record<string, string>) => Object.fromEntries(Object.entries(fields).filter(([k]) => k !== 'csrf'));

async function setupFor({ path }: RouteSpec): Promise<CsrfSetup | undefined> {
  if (path.startsWith('/interaction/:uid/step')) {
    const [mine, theirs] = [await atSteps(), await atSteps()];
    return {
      cookie: mine.agent.cookieHeader(), params: { uid: mine.uid }, fields: withoutToken(mine.form.fields),
      carrier: path.endsWith('/options') ? 'json' : 'form',
      own: mine.form.fields.csrf!, otherSession: theirs.form.fields.csrf!, otherForm: await forgotPasswordToken(mine.agent),
    };
  }
  if (path.startsWith('/interaction/:uid/')) {
    const [mine, theirs] = [await atSignIn(), await atSignIn()];
    return {
      cookie: mine.agent.cookieHeader(), params: { uid: mine.uid }, fields: { username: 'pat', password },
      carrier: path.endsWith('/options') ? 'json' : 'form',
      own: mine.csrf, otherSession: theirs.csrf, otherForm: await forgotPasswordToken(mine.agent),
    };
  }
  if (path.startsWith('/forgot-password')) {
    const [mine, theirs] = [await inRecovery(), await inRecovery()];
    return { cookie: mine.agent.cookieHeader(), fields: { ...withoutToken(mine.form.fields), code: '000000' }, own: mine.form.fields.csrf!, otherSession: theirs.form.fields.csrf!, otherForm: mine.signInToken };
  }
  if (path === '/profile/two-step/setup/confirm') {
    const [me, them] = [await signedIn('pat'), await signedIn('pat')];
    const [mine, theirs] = [await enrolling(me), await enrolling(them)];
    return { cookie: me.cookieHeader(), fields: { ...withoutToken(mine.fields), code: '000000' }, own: mine.fields.csrf!, otherSession: theirs.fields.csrf!, otherForm: (await at(me, '/profile/edit')).fields.csrf! };
  }
  const staff = /^\/(admin|helpdesk)\//.test(path);
  if (staff || /^\/(profile|account|logout|session)(\/|$)/.test(path)) {
    const username = staff ? 'ada' : 'pat';
    const [me, them] = [await signedIn(username), await signedIn(username)];
    const own = (await at(me, '/profile/edit')).fields.csrf!;
    return {
      cookie: me.cookieHeader(), params: ids,
      carrier: path === '/session/keepalive' ? 'header' : path.endsWith('/options') ? 'json' : 'form',
      own, otherSession: (await at(them, '/profile/edit')).fields.csrf!, otherForm: await forgotPasswordToken(me),
    };
  }
  return undefined;
}

beforeAll(async () => {
  p = await startPortalWithApp();
  const org = await p.t.directory.createOrg({ code: 'clinic-1', iisId: '1000000001', name: 'Clinic One' });
  const pat = await p.t.directory.createUser({ username: 'pat', email: 'pat@example.org', password, orgs: ['clinic-1:full_access_provider'] });
  await p.t.directory.createUser({ username: 'ada', name: 'Ada Admin', email: 'ada@example.org', password, role: 'admin' });
  ids = { id: pat.id, userId: pat.id, orgId: org.id, clientId: p.clientId, action: 'unlock' };
  routes = expressRoutes(p.t.portal.app);
});
afterAll(() => p?.close());

test('every state-changing route refuses a missing, foreign, other-form or query-string CSRF token with a 403 and changes nothing', async () => {
  const started = Date.now();
  const { rows, unreachable, rowsChanged } = await csrfTable({
    baseUrl: p.t.url, routes, exemptions, setupFor, db: p.t.db,
    unread: portalRejectedWrites.unread, leaveOut: portalRejectedWrites.leaveOut, expectedWrite: portalRejectedWrites.expected,
    refusal: /Your form expired or came from another site/,
  });
  const checked = new Set(rows.map((r) => r.route)).size;
  recordSecurityResult({
    check: 'csrf: portal routes',
    figures: { routes: checked, exempt: exemptRoutes(routes, exemptions).length, requests: rows.length, accepted: rows.filter((r) => r.problems.length).length, rowsChanged, seconds: Math.round((Date.now() - started) / 100) / 10 },
  });
  expect(unreachable).toEqual([]);
  expect(describeFailures(rows)).toBe('');
  expect(checked).toBeGreaterThanOrEqual(30);
}, 300_000);

test('every exemption names a route, and the admin API it excuses reads no cookie', async () => {
  expect(staleExemptions(routes, exemptions)).toEqual([]);
  const api = stateChangingRoutes(routes).filter((r) => r.path.startsWith('/api/admin/v1/'));
  expect(api.length).toBeGreaterThan(10);
  const admin = await signedIn('ada');
  for (const route of api) {
    const res = await fetch(`${p.t.url}${route.path.replace(/:[A-Za-z]+/g, '1')}`, {
      method: route.method, headers: { cookie: admin.cookieHeader(), 'content-type': 'application/json', accept: 'application/json' }, body: '{}',
    });
    expect([route.path, res.status]).toEqual([route.path, 401]);
  }
});
