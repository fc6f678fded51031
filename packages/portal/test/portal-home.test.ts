import * as oidc from 'openid-client';
import { startTestPortal, HttpAgent, textOf, type TestPortal } from '../src/testing/index.js';
import { createTestClock } from '../src/libraries/clock.js';

/**
 * The portal home and app entitlement (SPEC §3.8): ImmTrac2 and Syntropi for everyone with a
 * membership, VAOS only for vaccine coordinators — listed on the home page and enforced by the
 * provider, which answers access_denied to an app the person may not open.
 */
const password = 'Correct-Horse-9!';
const day = 24 * 3600_000;
const clock = createTestClock();
let t: TestPortal;
const apps: Record<'registry' | 'enrollment' | 'ordering', { config: oidc.Configuration; redirect: string }> = {} as never;

beforeAll(async () => {
  t = await startTestPortal({
    clock,
    env: { REGISTRY_URL: 'http://127.0.0.1:4001', ENROLLMENT_URL: 'http://127.0.0.1:4002', ORDERING_URL: 'http://127.0.0.1:4003', FORMS_URL: 'https://forms.example/', USER_TRAINING_URL: 'https://training.example/' },
  });
  await t.directory.createOrg({ code: 'PEDS01', iisId: '1000000001', name: 'Hill Country Pediatrics' });
  await t.directory.createOrg({ code: 'PHARM02', iisId: '1000000002', name: 'Gulf Coast Pharmacy' });
  await t.directory.createUser({ username: 'pat', name: 'Pat Provider', email: 'pat@example.org', password, orgs: ['PEDS01:full_access_provider'] });
  await t.directory.createUser({ username: 'carmen', name: 'Carmen Coordinator', email: 'c@example.org', password, orgs: ['PEDS01:view_only', 'PHARM02:full_access_provider:secondary'] });
  await t.directory.createUser({ username: 'nora', name: 'Nora Nobody', email: 'n@example.org', password });
  for (const [app, port] of [['registry', 4001], ['enrollment', 4002], ['ordering', 4003]] as const) {
    const redirect = `http://127.0.0.1:${port}/callback`;
    const c = await t.directory.createClient({ name: app, app, redirectUris: [redirect] });
    apps[app] = { redirect, config: await oidc.discovery(new URL(t.url), c.client_id, c.client_secret, undefined, { execute: [oidc.allowInsecureRequests] }) };
  }
});

afterAll(() => t?.close());

async function signInToPortal(username: string) {
  const agent = new HttpAgent(t.url);
  const login = await agent.follow(`${t.url}/login`);
  const home = await agent.completeSteps(await agent.submitSignIn(login.response, username, password));
  return { agent, home: home.response };
}

/** Opens an app from the home page's link, as clicking it would: no password is asked. */
async function open(agent: HttpAgent, app: keyof typeof apps) {
  const { config, redirect } = apps[app];
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: redirect, scope: 'openid orgs', code_challenge: 'j'.repeat(43), code_challenge_method: 'S256', state: app });
  const { leftPortalTo, response } = await agent.follow(url.href);
  return leftPortalTo ? new URL(leftPortalTo).searchParams : new URLSearchParams({ page: textOf(response.body) });
}

// Each application is a card: its name as the card's heading, Open linking to the app's /login.
const appLinks = (body: string) => [...body.matchAll(/<h3 class="usa-card__heading">([^<]+)<\/h3>[\s\S]*?<a class="usa-button" href="[^"]+\/login"/g)].map((m) => m[1]);

test('a non-coordinator sees ImmTrac2 and Syntropi, and VAOS answers access_denied with the reason', async () => {
  const { agent, home } = await signInToPortal('pat');
  expect(appLinks(home.body)).toEqual(['ImmTrac2', 'Syntropi']);
  expect(home.body).toContain('href="http://127.0.0.1:4001/login"');
  expect(textOf(home.body)).toContain('Pat Provider');
  expect(home.body).toContain('<a href="/profile">My Profile</a>');
  expect(home.body).toContain('<a href="https://forms.example">Forms</a>');
  expect(home.body).toContain('<a href="https://training.example">User Training</a>');

  expect((await open(agent, 'registry')).get('code')).toBeTruthy();
  const refused = await open(agent, 'ordering');
  expect(refused.get('error')).toBe('access_denied');
  expect(refused.get('error_description')).toMatch(/^VAOS is for Primary and Secondary Vaccine Coordinators\./);
  expect(refused.get('state')).toBe('ordering');
  expect(refused.get('code')).toBeNull();
});

test('a secondary coordinator sees all three apps and opens each with one password entry', async () => {
  const { agent, home } = await signInToPortal('carmen');
  expect(appLinks(home.body)).toEqual(['ImmTrac2', 'Syntropi', 'VAOS']);
  for (const app of ['registry', 'enrollment', 'ordering'] as const) {
    expect((await open(agent, app)).get('code')).toBeTruthy();
  }
});

test('a person without an organization sees no apps, and every app is refused', async () => {
  const { agent, home } = await signInToPortal('nora');
  expect(appLinks(home.body)).toEqual([]);
  expect(textOf(home.body)).toContain('Your account does not have access to any application yet.');
  expect((await open(agent, 'registry')).get('error')).toBe('access_denied');
});

test('entitlement is checked on every request: an app asking directly, before any portal sign-in, is refused after the password', async () => {
  const agent = new HttpAgent(t.url);
  const { config, redirect } = apps.ordering;
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: redirect, scope: 'openid', code_challenge: 'k'.repeat(43), code_challenge_method: 'S256' });
  const callback = await agent.signIn(url.href, 'pat', password);
  expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
});

test('the password-expiry banner shows on portal pages from 14 days before', async () => {
  const { agent } = await signInToPortal('pat');
  expect((await agent.request(`${t.url}/`)).body).not.toContain('class="banner"');
  await t.db('users').where({ username: 'pat' }).update({ password_changed_at: clock.now() - 80 * day });
  const page = await agent.request(`${t.url}/`);
  expect(textOf(page.body)).toContain('Your password expires in 10 days.');
  await t.db('users').where({ username: 'pat' }).update({ password_changed_at: clock.now() - 89 * day });
  const spanish = await agent.request(`${t.url}/`, { headers: { 'accept-language': 'es' } });
  expect(textOf(spanish.body)).toContain('Su contraseña vence en 1 día. Cambiar contraseña');
  expect(textOf(spanish.body)).not.toContain('expires');
});
