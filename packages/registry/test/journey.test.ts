import { HttpAgent, textOf } from '@portal/portal/testing';
import { csrfOf, enterWorkspace, post, signIn, startRegistrySystem, type RegistrySystem } from './registry-fixture.js';

/** Seed 004's way into ImmTrac2, the organization choice, and the app session's life (issue #11). */
let s: RegistrySystem;
beforeAll(async () => {
  s = await startRegistrySystem();
});
afterAll(async () => {
  await s?.close();
});

test('portal sign-in → Confidentiality Statement → I Agree → landing → ImmTrac2 → pandemic message → OK → home', async () => {
  const agent = new HttpAgent(s.t.url);
  let page = await signIn(s, agent, 'pat');
  expect(page.url).toBe(`${s.appUrl}/statement`);
  expect(textOf(page.body)).toContain('Confidentiality Statement');
  // Nothing opens before "I Agree": the record and a form post alike.
  expect((await agent.request(`${s.appUrl}/clients/search`)).location).toBe(`${s.appUrl}/statement`);
  expect((await agent.request(`${s.appUrl}/clients/search`, { method: 'POST', form: { csrf: csrfOf(page.body), mode: 'quick' } })).status).toBe(403);

  page = await post(s, agent, '/statement', {}, csrfOf(page.body));
  expect(page.url).toBe(`${s.appUrl}/landing`);
  expect(textOf(page.body)).toContain('Hill Country Pediatrics');
  page = await post(s, agent, '/landing', { org: '1000000001' }, csrfOf(page.body));
  expect(page.url).toBe(`${s.appUrl}/pandemic`);
  page = await post(s, agent, '/pandemic', {}, csrfOf(page.body));
  expect(page.url).toBe(`${s.appUrl}/home`);
  const home = textOf(page.body);
  expect(home).toContain('Working for Hill Country Pediatrics as Full Access Provider');
  for (const button of ['Enterprise Portal', 'Forms', 'User Training', 'Manage Access/Account', 'Manage My Account']) expect(home).toContain(button);
  expect(page.body).toContain(`href="${s.t.url}/"`); // the Enterprise Portal button goes to the portal home
  expect(page.body).toContain(`href="${s.t.url}/profile"`); // Manage My Account: the portal's My Profile
});

test('the Confidentiality Statement is asked once per user and version: not again at the next sign-in', async () => {
  await enterWorkspace(s, 'rosa'); // agrees
  const again = await signIn(s, new HttpAgent(s.t.url), 'rosa');
  expect(again.url).toBe(`${s.appUrl}/landing`);
  const agreed = await s.db('statement_agreements').where({ sub: (await s.t.db('users').where({ username: 'rosa' }).first('id')).id });
  expect(agreed).toHaveLength(1);
});

test('a new statement text asks again: an agreement to another version does not count', async () => {
  const rosaId = (await s.t.db('users').where({ username: 'rosa' }).first('id')).id as string;
  await s.db('statement_agreements').where({ sub: rosaId }).update({ version: 'an-older-text' });
  const page = await signIn(s, new HttpAgent(s.t.url), 'rosa');
  expect(page.url).toBe(`${s.appUrl}/statement`);
});

test('a user of two organizations picks one on the Manage Access view, and the menu bar goes back to it', async () => {
  const agent = new HttpAgent(s.t.url);
  let page = await signIn(s, agent, 'sam');
  page = await post(s, agent, '/statement', {}, csrfOf(page.body));
  expect(textOf(page.body)).toContain('Manage Access');
  expect(textOf(page.body)).toContain('Hill Country Pediatrics');
  expect(textOf(page.body)).toContain('Gulf Coast Pharmacy');
  page = await post(s, agent, '/landing', { org: '1000000002' }, csrfOf(page.body));
  page = await post(s, agent, '/pandemic', {}, csrfOf(page.body));
  expect(textOf(page.body)).toContain('Working for Gulf Coast Pharmacy as Full Access Provider');
  // "Manage Access/Account" → the portal view → the other organization; no pandemic message twice.
  const landing = await agent.request(`${s.appUrl}/landing`);
  page = await post(s, agent, '/landing', { org: '1000000001' }, csrfOf(landing.body));
  expect(page.url).toBe(`${s.appUrl}/home`);
  expect(textOf(page.body)).toContain('Working for Hill Country Pediatrics as Provider Supervisor');
  // Only the person's own organizations: another one is refused and changes nothing.
  const refused = await agent.request(`${s.appUrl}/landing`, { method: 'POST', form: { csrf: csrfOf(page.body), org: '1000000000' } });
  expect(refused.status).toBe(400);
  expect(textOf((await agent.request(`${s.appUrl}/home`)).body)).toContain('Working for Hill Country Pediatrics');
});

test('restarting the app signs nobody out, organization choice included', async () => {
  const { agent } = await enterWorkspace(s, 'pat');
  await s.restart();
  const home = await agent.request(`${s.appUrl}/home`);
  expect(home.status).toBe(200);
  expect(textOf(home.body)).toContain('Working for Hill Country Pediatrics');
});

test('a back-channel logout from the portal ends the registry session', async () => {
  const { agent } = await enterWorkspace(s, 'pat');
  // Signing out at the portal (its end_session) sends the back-channel logout to the registry.
  // Sign Out on the portal (its own page) ends the SSO session and tells every app (back-channel).
  const ask = await agent.request(`${s.t.url}/logout`);
  const signedOut = await agent.request(`${s.t.url}/logout`, { form: { csrf: /name="csrf" value="([^"]+)"/.exec(ask.body)![1]! } });
  expect(signedOut.status).toBe(303);
  await waitFor(async () => (await agent.request(`${s.appUrl}/home`)).location === `${s.appUrl}/login?return_to=%2Fhome`);
});

test('15 minutes without activity end the registry session', async () => {
  const { agent } = await enterWorkspace(s, 'pat');
  s.clock.advance(14 * 60_000);
  expect((await agent.request(`${s.appUrl}/home`)).status).toBe(200);
  s.clock.advance(15 * 60_000 + 1_000);
  expect((await agent.request(`${s.appUrl}/home`)).location).toBe(`${s.appUrl}/login?return_to=%2Fhome`);
});

async function waitFor(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
