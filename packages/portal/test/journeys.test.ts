import { startTestPortal, HttpAgent, textOf, type TestPortal } from '../src/testing/index.js';

/**
 * Journeys that never strand a person (issue 13, part 2): every error or end page the portal
 * shows says in plain words what happened and offers the next step as a link — and never shows
 * developer text (OAuth error codes, parameter names, stack frames).
 */
let t: TestPortal;
const appUrl = 'http://127.0.0.1:3997';
let clientId: string;

beforeAll(async () => {
  t = await startTestPortal();
  clientId = (await t.directory.createClient({ name: 'Some app', redirectUris: [`${appUrl}/callback`] })).client_id;
});
afterAll(async () => {
  await t?.close();
});

const auth = (params: Record<string, string>) => `${t.url}/auth?${new URLSearchParams({ response_type: 'code', scope: 'openid', code_challenge: 'c'.repeat(43), code_challenge_method: 'S256', ...params })}`;

test.each([
  ['a page that does not exist', () => `${t.url}/no-such-page`, 'Page not found', '/'],
  ['an unknown application', () => auth({ client_id: 'no-such-app', redirect_uri: `${appUrl}/callback` }), 'This application is not set up correctly', '/'],
  ['an unregistered return address', () => auth({ client_id: clientId, redirect_uri: 'https://elsewhere.example/cb' }), 'This application is not set up correctly', '/'],
  ['a sign-in that expired or was finished elsewhere', () => `${t.url}/interaction/not-a-live-sign-in`, '', ''],
  ['a request without a client', () => `${t.url}/auth?response_type=code&scope=openid`, 'This sign-in could not be completed', '/'],
  ['signed out', () => `${t.url}/signed-out`, 'You have signed out', '/login'],
  ['signed out for inactivity', () => `${t.url}/signed-out?reason=idle`, 'You have signed out', '/login'],
  ['a dead Forgot Password link', () => `${t.url}/forgot-password/continue?flow=not-a-flow`, '', ''],
])('%s: plain words and a link to go on', async (_name, url, heading, next) => {
  const page = await new HttpAgent(t.url).follow(url());
  const body = page.response.body;
  const text = textOf(body);
  if (heading) expect(/<h1[^>]*>([^<]+)<\/h1>/.exec(body)?.[1]).toMatch(new RegExp(`^${heading}`));
  if (next) expect(body).toContain(`class="usa-button" href="${next}"`);
  else expect(body).toMatch(/<a [^>]*href="\/[^"]*"/);
  expect(text).not.toMatch(/invalid_request|invalid_client|redirect_uri|response_type|client_id|\bat \S+\.(js|ts):\d+/);
});
