import * as oidc from 'openid-client';
import { startTestPortal, HttpAgent, type TestPortal } from '../src/testing/index.js';
import { createTestClock } from '../src/libraries/clock.js';
import { apiScopeNames } from '../src/libraries/administration/actors.js';

/**
 * ImmTrac2's "Manage Users" (SPEC §5): a Provider Supervisor signs in through the registry app,
 * which asks for their own token for the admin API (`org:members`, RFC 8707 `resource`), and
 * manages the users of their organization as themselves. Which organizations, and up to which
 * role, comes from their memberships in the database at each call. Real HTTP, a real OIDC client.
 */
const password = 'Correct-Horse-9!';
const appUrl = 'http://127.0.0.1:3993';
const clock = createTestClock();

type Client = { client_id: string; client_secret?: string | undefined };
let t: TestPortal;
let registry: Client;
let plainApp: Client;
let admin: Client;
let helpdesk: Client;
const org: Record<'A' | 'B' | 'C' | 'STATE', { id: string; code: string }> = {} as never;
const userId: Record<string, string> = {};
const resource = () => `${t.url}/api/admin/v1`;

beforeAll(async () => {
  t = await startTestPortal({ clock });
  for (const [key, code, iisId, name] of [
    ['A', 'HCP01', '1000000001', 'Hill Country Pediatrics'],
    ['B', 'GULF02', '1000000002', 'Gulf Coast Pharmacy'],
    ['C', 'ISD03', '1000000003', 'Central Texas ISD'],
    ['STATE', 'DSHS', '1000000000', 'DSHS Immunization Unit'],
  ] as const) {
    org[key] = await t.directory.createOrg({ code, iisId, name });
  }
  const people: [string, string[]][] = [
    ['sup', ['HCP01:provider_supervisor', 'GULF02:full_access_provider']],
    ['regional', ['HCP01:modified_access_substate']],
    ['viewer', ['HCP01:view_only']],
    ['colleague', ['HCP01:full_access_provider:primary']],
    ['state', ['DSHS:full_access_state']],
    ['newbie', []],
    ['newbie2', []],
    ['gulfer', ['GULF02:view_only']],
  ];
  for (const [username, orgs] of people) {
    await t.directory.createUser({ username, name: `Person ${username}`, email: `${username}@example.org`, password, orgs });
    userId[username] = (await t.portal.services.users.findByUsername(username))!.id;
  }
  registry = await t.directory.createClient({ name: 'ImmTrac2', app: 'registry', redirectUris: [`${appUrl}/callback`], scopes: ['org:members'] });
  plainApp = await t.directory.createClient({ name: 'VAOS', redirectUris: [`${appUrl}/callback`] });
  admin = await t.directory.createClient({ name: 'Admin automation', grants: ['client_credentials'], scopes: [...apiScopeNames] });
  helpdesk = await t.directory.createClient({ name: 'Help desk tool', grants: ['client_credentials'], scopes: ['helpdesk:read', 'helpdesk:unlock'] });
});

afterAll(async () => {
  await t?.close();
});

const discover = (client: Client) => oidc.discovery(new URL(t.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });

/** A sign-in through the app, as ImmTrac2 does it for "Manage Users": scope and resource at both steps. */
async function signIn(username: string, opts: { client?: Client; scope?: string; resource?: boolean } = {}) {
  const client = opts.client ?? registry;
  const config = await discover(client);
  const pkce = oidc.randomPKCECodeVerifier();
  const withResource = opts.resource ?? true;
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: `${appUrl}/callback`,
    scope: opts.scope ?? 'openid profile orgs org:members',
    ...(withResource ? { resource: resource() } : {}),
    code_challenge: await oidc.calculatePKCECodeChallenge(pkce),
    code_challenge_method: 'S256',
  });
  const callback = await new HttpAgent(t.url).signIn(url.href, username, password);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: pkce }, withResource ? { resource: resource() } : {});
  return { config, tokens };
}
const memberToken = async (username: string) => (await signIn(username)).tokens.access_token;

async function clientToken(client: Client, scope: string): Promise<string> {
  const res = await fetch(`${t.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: resource(), scope }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown> & { error?: string; message?: string };
}

async function api(method: string, path: string, opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.raw;
  if (opts.raw === undefined && opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${resource()}${path}`, { method, headers, body });
  const text = await res.text();
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(text).not.toMatch(/<html|at .*\.(ts|js):\d+/i);
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) };
}

const members = (key: keyof typeof org) => `/orgs/${org[key].id}/members`;
const roleAt = async (key: keyof typeof org, user: string) => (await t.db('memberships').where({ org_id: org[key].id, user_id: userId[user] }).first())?.role as string | undefined;
const state = async () => ({
  memberships: await t.db('memberships').orderBy(['user_id', 'org_id']).select('user_id', 'org_id', 'role', 'coordinator'),
  changes: Number((await t.db('audit_events').whereLike('action', 'members.%').count({ n: '*' }).first())!.n),
});

describe('the token', () => {
  test('the registry app gets the supervisor’s own token: org:members alone, bound to the API; the ID token is as always', async () => {
    const { config, tokens } = await signIn('sup');
    expect(tokens.scope).toBe('org:members');
    expect(tokens.claims()).toMatchObject({ sub: userId.sup, preferred_username: 'sup', orgs: expect.arrayContaining([expect.objectContaining({ code: 'HCP01', role: 'provider_supervisor' })]) });
    await expect(oidc.tokenIntrospection(config, tokens.access_token)).resolves.toMatchObject({ active: true, aud: resource(), scope: 'org:members', sub: userId.sup, client_id: registry.client_id });
    expect((await api('GET', members('A'), { token: tokens.access_token })).status).toBe(200);

    // A refresh with the resource: another such token; without it, a userinfo token the API refuses.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, { resource: resource() });
    expect(refreshed.scope).toBe('org:members');
    expect((await api('GET', members('A'), { token: refreshed.access_token })).status).toBe(200);
    const plain = await oidc.refreshTokenGrant(config, refreshed.refresh_token!);
    expect(plain.scope).not.toBe('org:members');
    expect(await api('GET', members('A'), { token: plain.access_token })).toMatchObject({ status: 401, json: { error: 'invalid_token' } });
    await expect(oidc.fetchUserInfo(config, plain.access_token, userId.sup!)).resolves.toMatchObject({ sub: userId.sup, orgs: expect.any(Array) });
  });

  test('an ordinary sign-in access token (no resource) is 401 invalid_token; an app not registered for org:members cannot ask', async () => {
    const { tokens } = await signIn('sup', { resource: false });
    const refused = await api('GET', members('A'), { token: tokens.access_token });
    expect(refused).toMatchObject({ status: 401, json: { error: 'invalid_token' } });
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer realm="admin", error="invalid_token"/);

    const config = await discover(plainApp);
    const asking = oidc.buildAuthorizationUrl(config, { redirect_uri: `${appUrl}/callback`, scope: 'openid org:members', resource: resource(), code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256' });
    const answer = await new HttpAgent(t.url).follow(asking.href);
    expect(new URL(answer.leftPortalTo!).searchParams.get('error')).toBe('invalid_target');
    // Nor by client_credentials: org:members is a person's scope only.
    const res = await fetch(`${t.url}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${admin.client_id}:${admin.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: resource(), scope: 'org:members' }),
    });
    expect(res.status).toBe(400);
  });

  test('the member token opens the members routes only: 403 insufficient_scope anywhere else, nothing done', async () => {
    const bearer = await memberToken('sup');
    const before = await state();
    for (const [method, path, body] of [
      ['GET', '/users?field=username&q=newbie', undefined],
      ['GET', `/users/${userId.viewer}`, undefined],
      ['GET', '/orgs', undefined],
      ['GET', `/orgs/${org.A.id}`, undefined],
      ['PUT', `/users/${userId.viewer}/memberships/${org.A.id}`, { role: 'full_access_provider', reason: { code: 'access_change', text: 'Trying the admin route' } }],
      ['POST', `/users/${userId.viewer}/disable`, { reason: { code: 'other', text: 'Trying the admin route' } }],
      ['GET', '/audit-events', undefined],
    ] as const) {
      const res = await api(method, path, { token: bearer, body });
      expect([method, path, res.status, res.json.error]).toEqual([method, path, 403, 'insufficient_scope']);
      expect(res.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    }
    expect(await state()).toEqual(before);
  });

  test('the token ends with the person’s session (signed out everywhere), when revoked, and when it expires', async () => {
    const ended = await memberToken('colleague');
    expect(await api('GET', members('A'), { token: ended })).toMatchObject({ status: 403, json: { error: 'members.not_manager' } });
    await t.portal.sessions.endAllSessions(userId.colleague!);
    expect(await api('GET', members('A'), { token: ended })).toMatchObject({ status: 401, json: { error: 'invalid_token' } });

    const { config, tokens } = await signIn('sup');
    expect((await api('GET', members('A'), { token: tokens.access_token })).status).toBe(200);
    await oidc.tokenRevocation(config, tokens.access_token);
    expect(await api('GET', members('A'), { token: tokens.access_token })).toMatchObject({ status: 401, json: { error: 'invalid_token' } });

    const expiring = await memberToken('sup');
    expect((await api('GET', members('A'), { token: expiring })).status).toBe(200);
    clock.advance(t.config.accessTokenMinutes * 60_000 + 1000);
    expect(await api('GET', members('A'), { token: expiring })).toMatchObject({ status: 401, json: { error: 'invalid_token' } });
  });

  test('a disabled account, or an app no longer registered for org:members: the token stops working at once', async () => {
    const bearer = await memberToken('regional');
    expect((await api('GET', members('A'), { token: bearer })).status).toBe(200);
    await t.db('users').where({ id: userId.regional }).update({ disabled_at: clock.now() });
    expect(await api('GET', members('A'), { token: bearer })).toMatchObject({ status: 401, json: { error: 'invalid_token' } });
    await t.db('users').where({ id: userId.regional }).update({ disabled_at: null });
    expect((await api('GET', members('A'), { token: bearer })).status).toBe(200);

    const row = (await t.portal.services.clients.find(registry.client_id))!;
    const metadata = JSON.parse(row.metadata) as { scope: string };
    await t.db('oidc_clients').where({ client_id: registry.client_id }).update({ metadata: JSON.stringify({ ...metadata, scope: metadata.scope.replace(' org:members', '') }) });
    try {
      expect(await api('GET', members('A'), { token: bearer })).toMatchObject({ status: 401, json: { error: 'invalid_token' } });
    } finally {
      await t.db('oidc_clients').where({ client_id: registry.client_id }).update({ metadata: row.metadata });
    }
  });
});

describe('a Provider Supervisor at their organization', () => {
  test('lists, adds an existing account by username and email, changes the role (the coordinator flag stays), removes; each change audited as them', async () => {
    const bearer = await memberToken('sup');
    const listed = await api('GET', members('A'), { token: bearer });
    expect(listed.status).toBe(200);
    const list = listed.json.members as { username: string }[];
    expect(list.map((m) => m.username)).toEqual(['colleague', 'regional', 'sup', 'viewer']);
    expect(list.find((m) => m.username === 'colleague')).toEqual({ userId: userId.colleague, username: 'colleague', name: 'Person colleague', email: 'colleague@example.org', role: 'full_access_provider', coordinator: 'primary' });

    const added = await api('POST', members('A'), { token: bearer, body: { username: 'NEWBIE', email: 'Newbie@Example.ORG', role: 'full_access_provider' } });
    expect(added).toMatchObject({ status: 201, json: { member: { userId: userId.newbie, username: 'newbie', email: 'newbie@example.org', role: 'full_access_provider', coordinator: null } } });
    expect(await roleAt('A', 'newbie')).toBe('full_access_provider');
    const again = await api('POST', members('A'), { token: bearer, body: { username: 'newbie', email: 'newbie@example.org', role: 'view_only' } });
    expect(again).toMatchObject({ status: 409, json: { error: 'members.already_member' } });
    expect(await roleAt('A', 'newbie')).toBe('full_access_provider');

    // Made a vaccine coordinator by an administrator meanwhile: a role change keeps it.
    await t.db('memberships').where({ org_id: org.A.id, user_id: userId.newbie }).update({ coordinator: 'secondary' });
    const changed = await api('PUT', `${members('A')}/${userId.newbie}`, { token: bearer, body: { role: 'provider_supervisor' } });
    expect(changed).toMatchObject({ status: 200, json: { member: { userId: userId.newbie, role: 'provider_supervisor', coordinator: 'secondary' } } });
    expect(await t.db('memberships').where({ org_id: org.A.id, user_id: userId.newbie }).first()).toMatchObject({ role: 'provider_supervisor', coordinator: 'secondary' });

    const removed = await api('DELETE', `${members('A')}/${userId.newbie}`, { token: bearer });
    expect(removed).toMatchObject({ status: 200, json: { removed: true } });
    expect(await roleAt('A', 'newbie')).toBeUndefined();
    expect(await t.portal.services.users.findById(userId.newbie!)).toBeDefined();
    expect(await api('DELETE', `${members('A')}/${userId.newbie}`, { token: bearer })).toMatchObject({ status: 404, json: { error: 'members.no_such_member' } });

    const rows = await t.db('audit_events').where({ subject_user_id: userId.newbie }).whereLike('action', 'members.%').orderBy('id');
    expect(rows.map((r) => [r.action, r.actor_user_id, r.subject, r.ip])).toEqual([
      ['members.add', userId.sup, 'HCP01', '127.0.0.1'],
      ['members.role_change', userId.sup, 'HCP01', '127.0.0.1'],
      ['members.remove', userId.sup, 'HCP01', '127.0.0.1'],
    ]);
    expect(rows.map((r) => JSON.parse(r.details))).toEqual([
      { via: `api:${registry.client_id}`, role: 'full_access_provider' },
      { via: `api:${registry.client_id}`, from: 'full_access_provider', to: 'provider_supervisor' },
      { via: `api:${registry.client_id}`, role: 'provider_supervisor', coordinator: 'secondary' },
    ]);
  });

  test('another organization (a mere provider there, or nothing), a role above theirs, a member above them, themselves: 403, nothing changed', async () => {
    const bearer = await memberToken('sup');
    const before = await state();
    const refusals: [string, string, unknown, string][] = [];
    for (const key of ['B', 'C'] as const) {
      refusals.push(
        ['GET', members(key), undefined, 'members.not_manager'],
        ['POST', members(key), { username: 'newbie2', email: 'newbie2@example.org', role: 'view_only' }, 'members.not_manager'],
        ['PUT', `${members(key)}/${userId.gulfer}`, { role: 'full_access_provider' }, 'members.not_manager'],
        ['DELETE', `${members(key)}/${userId.gulfer}`, undefined, 'members.not_manager'],
      );
    }
    refusals.push(
      // An organization id that does not exist is answered like one they do not manage.
      ['GET', '/orgs/no-such-org/members', undefined, 'members.not_manager'],
      ['POST', members('A'), { username: 'newbie2', email: 'newbie2@example.org', role: 'modified_access_substate' }, 'members.role_above_yours'],
      ['POST', members('A'), { username: 'newbie2', email: 'newbie2@example.org', role: 'full_access_state' }, 'members.role_above_yours'],
      ['PUT', `${members('A')}/${userId.viewer}`, { role: 'modified_access_substate' }, 'members.role_above_yours'],
      ['PUT', `${members('A')}/${userId.regional}`, { role: 'view_only' }, 'members.member_above_yours'],
      ['DELETE', `${members('A')}/${userId.regional}`, undefined, 'members.member_above_yours'],
      ['PUT', `${members('A')}/${userId.sup}`, { role: 'view_only' }, 'members.not_on_self'],
      ['DELETE', `${members('A')}/${userId.sup}`, undefined, 'members.not_on_self'],
    );
    for (const [method, path, body, error] of refusals) {
      const res = await api(method, path, { token: bearer, body });
      expect([method, path, res.status, res.json.error]).toEqual([method, path, 403, error]);
      expect(typeof res.json.message).toBe('string');
      expect(res.headers.get('www-authenticate')).toBeNull();
    }
    expect(await api('PUT', `${members('A')}/${userId.gulfer}`, { token: bearer, body: { role: 'view_only' } })).toMatchObject({ status: 404, json: { error: 'members.no_such_member' } });
    expect(await state()).toEqual(before);
  });

  test('a wrong email is the same 404 as an unknown username: no way to find out usernames', async () => {
    const bearer = await memberToken('sup');
    const before = await state();
    const wrongEmail = await api('POST', members('A'), { token: bearer, body: { username: 'newbie2', email: 'someone.else@example.org', role: 'view_only' } });
    const unknown = await api('POST', members('A'), { token: bearer, body: { username: 'nobody-here', email: 'someone.else@example.org', role: 'view_only' } });
    expect(wrongEmail.status).toBe(404);
    expect(wrongEmail.json).toEqual({ error: 'members.no_such_account', message: expect.any(String) });
    expect(unknown.text).toBe(wrongEmail.text);
    expect(await state()).toEqual(before);
  });

  test('bad input: the API’s 400, nothing changed', async () => {
    const bearer = await memberToken('sup');
    const before = await state();
    const cases: [string, string, { body?: unknown; raw?: string; headers?: Record<string, string> }][] = [
      ['POST', members('A'), { body: { username: 'newbie2', role: 'view_only' } }],
      ['POST', members('A'), { body: { username: 'newbie2', email: 'newbie2@example.org', role: 'root' } }],
      ['POST', members('A'), { body: { username: 'newbie2', email: 'newbie2@example.org', role: 'view_only', coordinator: 'primary' } }],
      ['POST', members('A'), { body: { username: 42, email: 'newbie2@example.org', role: 'view_only' } }],
      ['POST', members('A'), { body: { username: 'u'.repeat(300), email: 'newbie2@example.org', role: 'view_only' } }],
      ['POST', members('A'), { raw: '{"username":', headers: { 'content-type': 'application/json' } }],
      ['POST', members('A'), { raw: 'username=newbie2', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
      ['PUT', `${members('A')}/${userId.viewer}`, { body: { role: 7 } }],
      ['PUT', `${members('A')}/${userId.viewer}`, { body: { role: 'supervisor' } }],
      ['PUT', `${members('A')}/${userId.viewer}`, { body: {} }],
      ['DELETE', `${members('A')}/${userId.viewer}`, { body: { reason: 'gone' } }],
    ];
    for (const [method, path, opts] of cases) {
      const res = await api(method, path, { token: bearer, ...opts });
      expect([method, JSON.stringify(opts.body ?? opts.raw), res.status]).toEqual([method, JSON.stringify(opts.body ?? opts.raw), 400]);
      expect(typeof res.json.error).toBe('string');
    }
    expect(await state()).toEqual(before);
  });
});

describe('who else', () => {
  test('a View Only person gets the token but may manage nothing; a supervisor demoted meanwhile is refused with the same token', async () => {
    const viewer = await memberToken('viewer');
    expect(await api('GET', members('A'), { token: viewer })).toMatchObject({ status: 403, json: { error: 'members.not_manager' } });
    expect(await api('POST', members('A'), { token: viewer, body: { username: 'newbie2', email: 'newbie2@example.org', role: 'view_only' } })).toMatchObject({ status: 403, json: { error: 'members.not_manager' } });

    const bearer = await memberToken('sup');
    expect((await api('GET', members('A'), { token: bearer })).status).toBe(200);
    await t.db('memberships').where({ org_id: org.A.id, user_id: userId.sup }).update({ role: 'full_access_provider' });
    try {
      expect(await api('GET', members('A'), { token: bearer })).toMatchObject({ status: 403, json: { error: 'members.not_manager' } });
    } finally {
      await t.db('memberships').where({ org_id: org.A.id, user_id: userId.sup }).update({ role: 'provider_supervisor' });
    }
    expect(await roleAt('A', 'newbie2')).toBeUndefined();
  });

  test('Modified Access Sub-state: up to their own role at their organization', async () => {
    const bearer = await memberToken('regional');
    const added = await api('POST', members('A'), { token: bearer, body: { username: 'newbie2', email: 'newbie2@example.org', role: 'modified_access_substate' } });
    expect(added.status).toBe(201);
    expect(await api('PUT', `${members('A')}/${userId.newbie2}`, { token: bearer, body: { role: 'full_access_state' } })).toMatchObject({ status: 403, json: { error: 'members.role_above_yours' } });
    // A supervisor may not touch them now; the sub-state user may.
    expect(await api('DELETE', `${members('A')}/${userId.newbie2}`, { token: await memberToken('sup') })).toMatchObject({ status: 403, json: { error: 'members.member_above_yours' } });
    expect((await api('DELETE', `${members('A')}/${userId.newbie2}`, { token: bearer })).status).toBe(200);
    expect(await api('GET', members('B'), { token: bearer })).toMatchObject({ status: 403, json: { error: 'members.not_manager' } });
  });

  test('Full Access State manages every organization, any role; an unknown organization is a 404 for them', async () => {
    const bearer = await memberToken('state');
    const added = await api('POST', members('C'), { token: bearer, body: { username: 'newbie2', email: 'newbie2@example.org', role: 'full_access_state' } });
    expect(added).toMatchObject({ status: 201, json: { member: { role: 'full_access_state' } } });
    expect((await api('GET', members('C'), { token: bearer })).json.members).toEqual([expect.objectContaining({ username: 'newbie2', role: 'full_access_state' })]);
    expect((await api('PUT', `${members('A')}/${userId.regional}`, { token: bearer, body: { role: 'provider_supervisor' } })).json).toMatchObject({ member: { role: 'provider_supervisor' } });
    expect((await api('PUT', `${members('A')}/${userId.regional}`, { token: bearer, body: { role: 'modified_access_substate' } })).status).toBe(200);
    expect((await api('DELETE', `${members('C')}/${userId.newbie2}`, { token: bearer })).status).toBe(200);
    expect(await api('GET', '/orgs/no-such-org/members', { token: bearer })).toMatchObject({ status: 404, json: { error: 'admin.no_such_org' } });
    expect(await api('DELETE', `${members('STATE')}/${userId.state}`, { token: bearer })).toMatchObject({ status: 403, json: { error: 'members.not_on_self' } });
    const rows = await t.db('audit_events').where({ actor_user_id: userId.state }).whereLike('action', 'members.%');
    expect(rows.map((r) => r.action)).toEqual(['members.add', 'members.role_change', 'members.role_change', 'members.remove']);
  });

  test('a machine client: admin:users manages any organization (audited as the client); the help desk scopes may not', async () => {
    const bearer = await clientToken(admin, 'admin:users');
    const added = await api('POST', members('B'), { token: bearer, body: { username: 'newbie2', email: 'newbie2@example.org', role: 'full_access_state' } });
    expect(added.status).toBe(201);
    const [row] = await t.db('audit_events').where({ action: 'members.add', subject: 'GULF02', subject_user_id: userId.newbie2 });
    expect(row).toMatchObject({ actor_user_id: null });
    expect(JSON.parse(row!.details)).toEqual({ via: `api:${admin.client_id}`, role: 'full_access_state' });
    expect((await api('DELETE', `${members('B')}/${userId.newbie2}`, { token: bearer })).status).toBe(200);

    const desk = await api('GET', members('B'), { token: await clientToken(helpdesk, 'helpdesk:read') });
    expect(desk).toMatchObject({ status: 403, json: { error: 'insufficient_scope' } });
    expect(desk.headers.get('www-authenticate')).toContain('scope="admin:users"');
  });
});
