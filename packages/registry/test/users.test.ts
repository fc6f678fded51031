import { textOf } from '@portal/portal/testing';
import { csrfOf, enterWorkspace, post, startRegistrySystem, type RegistrySystem } from './registry-fixture.js';

/** Manage Users (Provider Supervisor and above) through the portal's admin API, as the person. */
let s: RegistrySystem;
beforeAll(async () => {
  s = await startRegistrySystem();
  await s.t.directory.createUser({ username: 'nina', name: 'Nina Newhire', email: 'nina@example.org', password: 'Correct-Horse-9!', orgs: [] });
});
afterAll(async () => {
  await s?.close();
});

const membershipsOf = async (username: string) =>
  s.t.db('memberships').join('users', 'users.id', 'memberships.user_id').join('organizations', 'organizations.id', 'memberships.org_id').where('users.username', username).select('organizations.code', 'memberships.role');

test('a supervisor lists, adds, re-roles and removes the users of their organization', async () => {
  const { agent } = await enterWorkspace(s, 'sam', 'PEDS01');
  let page = await agent.request(`${s.appUrl}/users`);
  expect(page.status).toBe(200);
  let text = textOf(page.body);
  expect(text).toContain('Manage users: Hill Country Pediatrics');
  expect(text).toContain('Pat Provider');
  expect(text).not.toContain('Valerie Viewonly'); // a school's user, not this organization's

  page = await post(s, agent, '/users/add', { username: 'nina', email: 'NINA@example.org', role: 'view_only' }, csrfOf(page.body));
  expect(textOf(page.body)).toContain('The person was added.');
  expect(await membershipsOf('nina')).toEqual([{ code: 'PEDS01', role: 'view_only' }]);

  const nina = (await s.t.db('users').where({ username: 'nina' }).first('id')).id as string;
  page = await post(s, agent, `/users/${nina}/role`, { role: 'full_access_provider' }, csrfOf(page.body));
  expect(textOf(page.body)).toContain('The role was changed.');
  expect(await membershipsOf('nina')).toEqual([{ code: 'PEDS01', role: 'full_access_provider' }]);

  // Above their own role: refused by the portal, and nothing changes.
  page = await post(s, agent, `/users/${nina}/role`, { role: 'full_access_state' }, csrfOf(page.body));
  expect(page.status).toBe(403);
  expect(await membershipsOf('nina')).toEqual([{ code: 'PEDS01', role: 'full_access_provider' }]);

  page = await post(s, agent, `/users/${nina}/remove`, {}, csrfOf((await agent.request(`${s.appUrl}/users`)).body));
  expect(textOf(page.body)).toContain('no longer has access');
  expect(await membershipsOf('nina')).toEqual([]);
  expect((await s.db('registry_audit').where('action', 'like', 'users.%')).map((r) => r.action)).toEqual(['users.add', 'users.role', 'users.remove']);
});

test('a wrong email gets the same answer as an unknown username, and adds nobody', async () => {
  const { agent, csrf } = await enterWorkspace(s, 'sam', 'PEDS01');
  const wrongEmail = await post(s, agent, '/users/add', { username: 'nina', email: 'someone@example.org', role: 'view_only' }, csrf);
  const unknown = await post(s, agent, '/users/add', { username: 'nobody-here', email: 'nina@example.org', role: 'view_only' }, csrf);
  expect(wrongEmail.status).toBe(400);
  const message = (body: string) => textOf(/<div class="error-summary"[\s\S]*?<\/div>/.exec(body)![0]);
  expect(message(wrongEmail.body)).toBe(message(unknown.body));
  expect(await membershipsOf('nina')).toEqual([]);
});

test('a supervisor cannot manage the users of another organization, where they are not a supervisor', async () => {
  const { agent, csrf } = await enterWorkspace(s, 'sam', 'PHARM02'); // Full Access Provider there
  expect((await agent.request(`${s.appUrl}/users`)).status).toBe(403);
  const refused = await agent.request(`${s.appUrl}/users/add`, { form: { csrf, username: 'nina', email: 'nina@example.org', role: 'view_only' } });
  expect(refused.status).toBe(403);
  expect(await membershipsOf('nina')).toEqual([]);
});

test('View Only and Full Access Provider have no Manage Users; a forged form changes nothing', async () => {
  for (const who of ['val', 'pat'] as const) {
    const { agent, csrf } = await enterWorkspace(s, who);
    expect((await agent.request(`${s.appUrl}/users`)).status).toBe(403);
    expect((await agent.request(`${s.appUrl}/users/add`, { form: { csrf, username: 'nina', email: 'nina@example.org', role: 'view_only' } })).status).toBe(403);
  }
  const sam = await enterWorkspace(s, 'sam', 'PEDS01');
  expect((await sam.agent.request(`${s.appUrl}/users/add`, { form: { csrf: 'forged', username: 'nina', email: 'nina@example.org', role: 'view_only' } })).status).toBe(403);
  expect(await membershipsOf('nina')).toEqual([]);
});

test('Full Access State manages the users of their organization with any role', async () => {
  const { agent } = await enterWorkspace(s, 'steve');
  const page = await agent.request(`${s.appUrl}/users`);
  expect(textOf(page.body)).toContain('Manage users: DSHS Immunization Unit');
  const added = await post(s, agent, '/users/add', { username: 'nina', email: 'nina@example.org', role: 'modified_access_substate' }, csrfOf(page.body));
  expect(textOf(added.body)).toContain('The person was added.');
  expect(await membershipsOf('nina')).toEqual([{ code: 'DSHS', role: 'modified_access_substate' }]);
});
