import { readFileSync } from 'node:fs';
import * as oidc from 'openid-client';
import { validate, compileErrors } from '@readme/openapi-parser';
import { startTestPortal, HttpAgent, type TestPortal } from '../src/testing/index.js';
import { createTestClock } from '../src/libraries/clock.js';
import { sha256Hex } from '../src/libraries/secrets.js';
import { apiScopeNames, memberScope } from '../src/libraries/administration/actors.js';
import { reasonCodes } from '../src/libraries/administration/reasons.js';
import { orgTypes } from '../src/libraries/administration/admin.js';
import { registryRoles } from '../src/queries/orgs.js';
import { createAdminApiRoutes, openApiFile, scopesGranting } from '../src/routes/admin-api.js';

/**
 * The admin JSON API (issue #8 item 3) as a machine client sees it: client_credentials tokens
 * bound to the API by `resource`, RFC 6750 answers when a token will not do, and the same help
 * desk and administration rules as the console — over real HTTP on a fresh database.
 */
const password = 'Correct-Horse-9!';
const appUrl = 'http://127.0.0.1:3992';
const clock = createTestClock();
const reason = { code: 'caller_verified_phone', text: 'Caller verified by the email on file', ticket: 'INC-2001' };

type Machine = { client_id: string; client_secret?: string | undefined };
let t: TestPortal;
let helpdesk: Machine;
let admin: Machine;
let plainMachine: Machine;
let app: Machine;
/** An organization's HL7 exchange credential: the one kind of client the hl7-credentials routes act on. */
let hl7: Machine;
const resource = () => `${t.url}/api/admin/v1`;
const helpdeskScopes = ['helpdesk:read', 'helpdesk:verify', 'helpdesk:unlock', 'helpdesk:reset', 'helpdesk:sessions'];

/** Every response body the API gave in this file, for the test that looks for secrets in them. */
const seen: { what: string; body: string }[] = [];

beforeAll(async () => {
  t = await startTestPortal({ clock });
  await t.directory.createOrg({ code: 'HCP01', iisId: '1000000001', name: 'Hill Country Pediatrics' });
  await t.directory.createUser({ username: 'desk1', name: 'Dana Desk', email: 'desk1@example.org', password, role: 'helpdesk' });
  await t.directory.createUser({ username: 'admin1', name: 'Ada Admin', email: 'admin1@example.org', password, role: 'admin' });
  helpdesk = await t.directory.createClient({ name: 'Help desk tool', grants: ['client_credentials'], scopes: helpdeskScopes });
  admin = await t.directory.createClient({ name: 'Admin automation', grants: ['client_credentials'], scopes: [...apiScopeNames] });
  plainMachine = await t.directory.createClient({ name: 'HL7 feed', grants: ['client_credentials'] });
  app = await t.directory.createClient({ name: 'ImmTrac2', redirectUris: [`${appUrl}/callback`] });
  hl7 = await t.directory.createClient({ name: 'Clinic EHR', grants: ['client_credentials'], scopes: ['hl7:submit'], orgIisId: '1000000001' });
});

afterAll(async () => {
  await t?.close();
});

async function tokenRequest(client: Machine, params: Record<string, string>, secret = client.client_secret!) {
  const res = await fetch(`${t.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...params }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

/** An admin API token with these scopes (all the client's admin scopes when none are named). */
async function token(client: Machine, scopes?: string[]): Promise<string> {
  const registered = client === admin ? [...apiScopeNames] : helpdeskScopes;
  const got = await tokenRequest(client, { resource: resource(), scope: (scopes ?? registered).join(' ') });
  expect(got.status).toBe(200);
  return got.body.access_token!;
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
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${resource()}${path}`, { method, headers, body });
  const text = await res.text();
  seen.push({ what: `${method} ${path} → ${res.status}`, body: text });
  // Whatever happens, the API answers JSON (the audit export: JSON lines or CSV): never an HTML page, never a stack trace.
  const exported = res.status === 200 && path.startsWith('/audit-events/export');
  expect(res.headers.get('content-type')).toMatch(exported ? /^(application\/x-ndjson|text\/csv)/ : /^application\/json/);
  expect(text).not.toMatch(/<html|at .*\.(ts|js):\d+/i);
  return { status: res.status, headers: res.headers, text, json: exported ? {} : JSON.parse(text) };
}

let n = 0;
async function person() {
  const username = `caller${++n}`;
  const email = `${username}@example.org`;
  await t.directory.createUser({ username, email, password, name: `Casey Caller ${n}`, orgs: ['HCP01:full_access_provider'] });
  return { username, email, user: (await t.portal.services.users.findByUsername(username))! };
}

async function lockOut(username: string) {
  for (let i = 0; i < 6; i++) await t.portal.services.signInCounters.reserveAttempt(username, clock.now());
  await t.portal.services.signInCounters.lock(username, clock.now());
}

const audits = (action: string, where: Record<string, string> = {}) => t.db('audit_events').where({ action, ...where }).orderBy('id');
const counts = async () => {
  const count = async (table: string) => Number((await t.db(table).count({ n: '*' }).first())!.n);
  return { audit: await count('audit_events'), users: await count('users'), orgs: await count('organizations'), clients: await count('oidc_clients'), memberships: await count('memberships') };
};

/** The routes the router really has, as OpenAPI paths: `get /users/{id}`. */
function routerRoutes(): string[] {
  const router = createAdminApiRoutes({ ...t.portal.services, provider: t.portal.provider, support: t.portal.support, administration: t.portal.administration, auditLog: t.portal.auditLog, questions: t.portal.questions, members: t.portal.members, hl7Credentials: t.portal.hl7Credentials }) as unknown as {
    stack: { route?: { path: string; methods: Record<string, boolean> } }[];
  };
  return router.stack.flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).filter((m) => m !== '_all').map((m) => `${m} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`) : [],
  );
}

const openApi = () => JSON.parse(readFileSync(openApiFile, 'utf8')) as { paths: Record<string, Record<string, { security?: { adminApi: string[] }[]; operationId: string }>>; components: Record<string, Record<string, any>> };
const documentedRoutes = () => Object.entries(openApi().paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));

describe('tokens', () => {
  test('a client gets a token bound to the API, with only the admin scopes it is registered for', async () => {
    const got = await tokenRequest(helpdesk, { resource: resource(), scope: 'helpdesk:read helpdesk:unlock' });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ token_type: 'Bearer', scope: 'helpdesk:read helpdesk:unlock' });
    const config = await oidc.discovery(new URL(t.url), helpdesk.client_id, helpdesk.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
    await expect(oidc.tokenIntrospection(config, got.body.access_token!)).resolves.toMatchObject({ active: true, aud: resource(), scope: 'helpdesk:read helpdesk:unlock', client_id: helpdesk.client_id });

    // A scope it was not registered for is refused, not quietly dropped.
    const beyond = await tokenRequest(helpdesk, { resource: resource(), scope: 'helpdesk:read admin:orgs' });
    expect(beyond).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    // A machine client registered for no admin scope gets no token for the API at all.
    const unregistered = await tokenRequest(plainMachine, { resource: resource(), scope: 'admin:users' });
    expect(unregistered).toMatchObject({ status: 400, body: { error: 'invalid_target' } });
    // The API is the only resource; any other (or a near miss) is an invalid target.
    for (const other of [`${resource()}/`, `${t.url}/api/other`, 'https://elsewhere.example/api']) {
      expect(await tokenRequest(helpdesk, { resource: other, scope: 'helpdesk:read' })).toMatchObject({ status: 400, body: { error: 'invalid_target' } });
    }
    // client_credentials without a resource still works as before (the HL7 feed's tokens).
    expect((await tokenRequest(plainMachine, {})).status).toBe(200);
  });

  test('a scope taken from the client stops counting at once, in tokens already issued too', async () => {
    const narrowed = await t.directory.createClient({ name: 'Narrowed tool', grants: ['client_credentials'], scopes: ['helpdesk:read', 'admin:orgs'] });
    const got = await tokenRequest(narrowed, { resource: resource(), scope: 'helpdesk:read admin:orgs' });
    const bearer = got.body.access_token!;
    const body = { code: 'NARROW01', iisId: '0000077777', name: 'Narrow', reason: { code: 'other', text: 'Checking a narrowed client' } };
    expect((await api('PATCH', '/orgs/no-such-org', { token: bearer, body: { reason: body.reason } })).status).toBe(404);
    const row = (await t.portal.services.clients.find(narrowed.client_id))!;
    await t.db('oidc_clients').where({ client_id: narrowed.client_id }).update({ metadata: JSON.stringify({ ...JSON.parse(row.metadata), scope: 'helpdesk:read' }) });
    const refused = await api('POST', '/orgs', { token: bearer, body });
    expect(refused).toMatchObject({ status: 403, json: { error: 'insufficient_scope' } });
    expect(await t.portal.services.orgs.findByCode('NARROW01')).toBeUndefined();
    expect((await api('GET', '/orgs', { token: bearer })).status).toBe(200);
  });

  test('a sign-in can never get a token for the API', async () => {
    const config = await oidc.discovery(new URL(t.url), app.client_id, app.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
    const { username } = await person();
    const pkce = oidc.randomPKCECodeVerifier();
    const challenge = await oidc.calculatePKCECodeChallenge(pkce);
    const asking = oidc.buildAuthorizationUrl(config, { redirect_uri: `${appUrl}/callback`, scope: 'openid', resource: resource(), code_challenge: challenge, code_challenge_method: 'S256' });
    const refused = await new HttpAgent(t.url).follow(asking.href);
    expect(new URL(refused.leftPortalTo!).searchParams.get('error')).toBe('invalid_target');

    const callback = await new HttpAgent(t.url).signIn(
      oidc.buildAuthorizationUrl(config, { redirect_uri: `${appUrl}/callback`, scope: 'openid admin:users', code_challenge: challenge, code_challenge_method: 'S256' }).href,
      username,
      password,
    );
    await expect(oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: pkce }, { resource: resource() })).rejects.toMatchObject({ error: 'invalid_target' });
  });
});

describe('the help desk through the API', () => {
  test('search, status card, and unlock with a reason: audited as api:<client_id>, and the person is told', async () => {
    const { user, username, email } = await person();
    await lockOut(username);
    const bearer = await token(helpdesk);

    const found = await api('GET', `/users?field=username&q=${username}`, { token: bearer });
    expect(found.status).toBe(200);
    expect(found.json).toMatchObject({ page: 1, more: false, users: [{ id: user.id, username, email, systemRole: null, disabledAt: null }] });
    const card = await api('GET', `/users/${user.id}`, { token: bearer });
    expect(card.status).toBe(200);
    expect(card.json).toMatchObject({ user: { id: user.id, username }, lock: { locked: true, stage: 'locked' }, orgs: [{ code: 'HCP01', iisId: '1000000001', role: 'full_access_provider' }], actionable: true });
    expect(card.text).not.toMatch(/\$argon2/);

    const unlocked = await api('POST', `/users/${user.id}/unlock`, { token: bearer, body: { reason } });
    expect(unlocked).toMatchObject({ status: 200, json: { wasLocked: true } });
    expect(await t.portal.services.signInCounters.find(username)).toBeUndefined();
    const [row] = await audits('support.unlock', { subject_user_id: user.id });
    expect(row).toMatchObject({ actor_user_id: null, subject_user_id: user.id, ip: '127.0.0.1' });
    expect(JSON.parse(row!.details)).toEqual({ via: `api:${helpdesk.client_id}`, reasonCode: reason.code, reason: reason.text, ticket: reason.ticket, wasLocked: true });
    expect(JSON.parse((await audits('support.view', { subject_user_id: user.id }))[0]!.details)).toMatchObject({ via: `api:${helpdesk.client_id}` });
    expect(JSON.parse((await audits('support.search')).at(-1)!.details)).toMatchObject({ via: `api:${helpdesk.client_id}`, field: 'username', text: username });
    await t.mail.waitFor((m) => m.to.includes(email) && /Customer Support unlocked your account/.test(m.text));
  });

  test('an action without a reason (or with a poor one) is refused with 400 and changes nothing', async () => {
    const { user, username } = await person();
    await lockOut(username);
    const bearer = await token(helpdesk);
    const attempts: [unknown, string][] = [
      [undefined, 'admin.reason_code'],
      [{}, 'admin.reason_code'],
      [{ reason: 'locked out' }, 'admin.invalid'],
      [{ reason: null }, 'admin.invalid'],
      [{ reason: { code: 'locked_out' } }, 'admin.reason_text'],
      [{ reason: { code: 'locked_out', text: 'short' } }, 'admin.reason_text'],
      [{ reason: { code: 'locked_out', text: 'line one\nline two, long enough' } }, 'admin.reason_text'],
      [{ reason: { code: 'locked_out', text: 'Caller locked out since this morning', ticket: '<script>' } }, 'admin.reason_ticket'],
    ];
    for (const [body, error] of attempts) {
      for (const action of ['unlock', 'disable', 'temporary-password', 'end-sessions']) {
        const refused = await api('POST', `/users/${user.id}/${action}`, { token: bearer, body });
        expect([action, refused.status, refused.json.error]).toEqual([action, 400, error]);
      }
    }
    const after = (await t.portal.services.users.findById(user.id))!;
    expect([after.password_hash, after.disabled_at]).toEqual([user.password_hash, null]);
    expect((await t.portal.services.signInCounters.find(username))?.locked_at).not.toBeNull();
    expect(await t.db('audit_events').where({ subject_user_id: user.id }).whereLike('action', 'support.%')).toHaveLength(0);
  });

  test('the help desk cannot act on an administrator or help-desk staff, whatever target id is sent; the admin scope can', async () => {
    const bearer = await token(helpdesk);
    const staff = [(await t.portal.services.users.findByUsername('desk1'))!, (await t.portal.services.users.findByUsername('admin1'))!];
    for (const target of staff) {
      await lockOut(target.username);
      const card = await api('GET', `/users/${target.id}`, { token: bearer });
      expect(card.json.actionable).toBe(false);
      for (const action of ['unlock', 'temporary-password', 'reset-code', 'clear-reset-limit', 'end-sessions', 'disable']) {
        const refused = await api('POST', `/users/${target.id}/${action}`, { token: bearer, body: { reason } });
        expect([action, refused.status, refused.json.error]).toEqual([action, 403, 'admin.not_on_staff']);
        expect(refused.headers.get('www-authenticate')).toBeNull();
      }
      const verify = await api('POST', `/users/${target.id}/verify-caller`, { token: bearer, body: { method: 'email', email: target.email } });
      expect(verify.status).toBe(403);
      const after = (await t.portal.services.users.findById(target.id))!;
      expect([after.password_hash, after.disabled_at]).toEqual([target.password_hash, null]);
      expect((await t.portal.services.signInCounters.find(target.username))?.locked_at).not.toBeNull();
      expect(await t.db('audit_events').where({ subject_user_id: target.id }).whereLike('action', 'support.%').whereNot({ action: 'support.view' })).toHaveLength(0);
    }
    const unlocked = await api('POST', `/users/${staff[1]!.id}/unlock`, { token: await token(admin), body: { reason: { code: 'locked_out', text: 'Administrator locked out, confirmed in person' } } });
    expect(unlocked).toMatchObject({ status: 200, json: { wasLocked: true } });
  });

  test('caller verification answers only whether it matches', async () => {
    const { user, email } = await person();
    const bearer = await token(helpdesk, ['helpdesk:verify']);
    expect((await api('POST', `/users/${user.id}/verify-caller`, { token: bearer, body: { method: 'email', email: email.toUpperCase() } })).json).toEqual({ matches: true });
    const wrong = await api('POST', `/users/${user.id}/verify-caller`, { token: bearer, body: { method: 'email', email: 'someone@else.org' } });
    expect(wrong.json).toEqual({ matches: false });
    expect(wrong.text).not.toContain(email);
    expect((await api('POST', `/users/${user.id}/verify-caller`, { token: bearer, body: { method: 'question', questionId: 'first-pet' } })).status).toBe(400);
    expect(JSON.stringify(await t.db('audit_events').where({ subject_user_id: user.id }))).not.toContain('someone@else.org');
  });
});

describe('bearer errors (RFC 6750)', () => {
  const invalid = (res: ApiResponse) => {
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('invalid_token');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="admin", error="invalid_token", error_description="[^"\\]+"$/);
  };

  test('no token: 401 with the bare challenge (no error code, §3.1), and nothing is done', async () => {
    const { user, username } = await person();
    await lockOut(username);
    for (const headers of [{} as Record<string, string>, { authorization: `Basic ${Buffer.from(`${admin.client_id}:${admin.client_secret}`).toString('base64')}` }, { authorization: 'Bearer' }]) {
      const res = await api('POST', `/users/${user.id}/unlock`, { headers, body: { reason } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="admin"');
      expect(res.json.error).toBe('token_required');
    }
    // Unknown paths too: nothing about the API is told without a token.
    expect((await api('GET', '/no-such-thing')).status).toBe(401);
    expect((await t.portal.services.signInCounters.find(username))?.locked_at).not.toBeNull();
  });

  test('a garbage, revoked or expired token is invalid_token', async () => {
    for (const garbage of ['not-a-token', 'x'.repeat(43), 'a b c', '"quoted"', 'é'.repeat(10), 'A'.repeat(5000)]) invalid(await api('GET', '/orgs', { token: garbage }));

    const revoked = await token(admin);
    expect((await api('GET', '/orgs', { token: revoked })).status).toBe(200);
    const config = await oidc.discovery(new URL(t.url), admin.client_id, admin.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
    await oidc.tokenRevocation(config, revoked);
    invalid(await api('GET', '/orgs', { token: revoked }));

    const expiring = await token(admin);
    expect((await api('GET', '/orgs', { token: expiring })).status).toBe(200);
    clock.advance(t.config.accessTokenMinutes * 60_000 + 1000);
    invalid(await api('GET', '/orgs', { token: expiring }));
    expect((await api('GET', '/orgs', { token: await token(admin) })).status).toBe(200);
  });

  test('a token for another audience is invalid_token: one without the resource, and a person’s sign-in token', async () => {
    const noResource = await tokenRequest(admin, { scope: 'admin:orgs' });
    expect(noResource.status).toBe(200);
    invalid(await api('GET', '/orgs', { token: noResource.body.access_token! }));

    const config = await oidc.discovery(new URL(t.url), app.client_id, app.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
    const { username } = await person();
    const pkce = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: `${appUrl}/callback`, scope: 'openid admin:orgs admin:users', code_challenge: await oidc.calculatePKCECodeChallenge(pkce), code_challenge_method: 'S256' });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(await new HttpAgent(t.url).signIn(url.href, username, password)), { pkceCodeVerifier: pkce });
    invalid(await api('GET', '/orgs', { token: tokens.access_token }));
    invalid(await api('GET', '/users?field=name&q=ca', { token: tokens.access_token }));
  });

  test('a token without the scope: 403 insufficient_scope naming a scope that would do, and nothing changes', async () => {
    const bearer = await token(helpdesk);
    const { user } = await person();
    const before = await counts();
    const cases: [string, string, unknown, string][] = [
      ['POST', '/orgs', { code: 'NEW01', iisId: '0000099999', name: 'New Clinic', reason }, 'admin:orgs'],
      ['POST', `/clients/${admin.client_id}/rotate-secret`, { previousSecretExpiresIn: 0, reason }, 'admin:clients'],
      ['GET', '/clients', undefined, 'admin:clients'],
      ['POST', '/users', { username: 'sneaky', email: 'sneaky@example.org', role: 'admin', reason }, 'admin:users'],
      ['POST', '/aua-versions', { version: 'x', text: 'y'.repeat(60), reason }, 'admin:aua'],
    ];
    for (const [method, path, body, scope] of cases) {
      const res = await api(method, path, { token: bearer, body });
      expect([path, res.status, res.json.error]).toEqual([path, 403, 'insufficient_scope']);
      expect(res.headers.get('www-authenticate')).toMatch(new RegExp(`^Bearer realm="admin", error="insufficient_scope", error_description="[^"]+", scope="${scope}"$`));
    }
    const readOnly = await api('POST', `/users/${user.id}/unlock`, { token: await token(helpdesk, ['helpdesk:read']), body: { reason } });
    expect(readOnly.status).toBe(403);
    expect(readOnly.headers.get('www-authenticate')).toContain('scope="helpdesk:unlock"');
    expect(readOnly.json.message).toBe('This needs the scope helpdesk:unlock (admin:users also allows it).');
    expect(await counts()).toEqual(before);
    expect(await t.portal.services.clients.find(admin.client_id)).toMatchObject({ secret_hash: sha256Hex(admin.client_secret!) });
  });
});

describe('administration through the API', () => {
  test('an organization with IIS ID 0000012345 keeps its zeros; a number is refused', async () => {
    const bearer = await token(admin, ['admin:orgs']);
    const created = await api('POST', '/orgs', { token: bearer, body: { code: 'ZERO01', iisId: '0000012345', name: 'Zero Clinic', type: 'clinic', reason: { code: 'access_change', text: 'New clinic enrolled in the programme' } } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ code: 'ZERO01', iisId: '0000012345', name: 'Zero Clinic', type: 'clinic' });
    expect(created.headers.get('location')).toBe(`/api/admin/v1/orgs/${created.json.id}`);
    const read = await api('GET', `/orgs/${created.json.id}`, { token: bearer });
    expect(read.json.iisId).toBe('0000012345');
    expect(read.text).toContain('"iisId":"0000012345"');
    expect((await api('GET', '/orgs?q=ZERO', { token: bearer })).json).toMatchObject({ orgs: [{ code: 'ZERO01', iisId: '0000012345' }], more: false });

    // Renamed: the type it had stays.
    const renamed = await api('PATCH', `/orgs/${created.json.id}`, { token: bearer, body: { name: 'Zero Pediatric Clinic', reason: { code: 'data_correction', text: 'Name corrected from the enrollment form' } } });
    expect(renamed.json).toMatchObject({ name: 'Zero Pediatric Clinic', type: 'clinic', iisId: '0000012345' });

    const before = await counts();
    const numeric = await api('POST', '/orgs', { token: bearer, body: { code: 'NUM01', iisId: 12345, name: 'Numeric', reason } });
    expect(numeric).toMatchObject({ status: 400, json: { error: 'admin.invalid' } });
    expect(numeric.json.message).toContain('iisId');
    const short = await api('POST', '/orgs', { token: bearer, body: { code: 'NUM01', iisId: '12345', name: 'Short', reason } });
    expect(short.status).toBe(400);
    const duplicate = await api('POST', '/orgs', { token: bearer, body: { code: 'ZERO01', iisId: '0000054321', name: 'Again', reason } });
    expect(duplicate.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  test('users, roles and memberships; the reason of a DELETE travels in its JSON body', async () => {
    const bearer = await token(admin, ['admin:users']);
    const org = (await t.portal.services.orgs.findByCode('HCP01'))!;
    const created = await api('POST', '/users', { token: bearer, body: { username: '00012345678', email: 'new.hire@example.org', name: 'New Hire', orgs: [{ code: 'HCP01', role: 'view_only' }], reason: { code: 'access_change', text: 'New hire at Hill Country Pediatrics' } } });
    expect(created.status).toBe(201);
    const userId = created.json.id as string;
    expect(created.json).toMatchObject({ username: '00012345678', temporaryPassword: expect.any(String) });

    const edited = await api('PATCH', `/users/${userId}`, { token: bearer, body: { name: 'New Hire-Smith', email: 'new.hire@example.org', phone: null, reason: { code: 'data_correction', text: 'Married name from the HR record' } } });
    expect(edited.json).toEqual({ changed: ['name'] });
    const membership = await api('PUT', `/users/${userId}/memberships/${org.id}`, { token: bearer, body: { role: 'full_access_provider', coordinator: 'primary', reason: { code: 'access_change', text: 'Now the primary vaccine coordinator' } } });
    expect(membership.json).toEqual({ org: 'HCP01', role: 'full_access_provider', coordinator: 'primary' });
    expect((await api('PUT', `/users/${userId}/role`, { token: bearer, body: { role: 'helpdesk', reason: { code: 'access_change', text: 'Joined the help desk team' } } })).json).toEqual({ role: 'helpdesk' });

    expect((await api('DELETE', `/users/${userId}/memberships/${org.id}`, { token: bearer })).json.error).toBe('admin.reason_code');
    expect(await t.portal.services.orgs.membershipsOf(userId)).toHaveLength(1);
    const removed = await api('DELETE', `/users/${userId}/memberships/${org.id}`, { token: bearer, body: { reason: { code: 'employment_ended', text: 'Moved to the help desk, no clinic access' } } });
    expect(removed.json).toEqual({ removed: true });
    expect(await t.portal.services.orgs.membershipsOf(userId)).toHaveLength(0);
    expect(JSON.parse((await audits('admin.membership_remove', { subject_user_id: userId }))[0]!.details)).toMatchObject({ via: `api:${admin.client_id}`, reasonCode: 'employment_ended' });

    // Now staff: the help desk may read the card but not act.
    const desk = await token(helpdesk);
    expect((await api('POST', `/users/${userId}/disable`, { token: desk, body: { reason } })).json.error).toBe('admin.not_on_staff');
  });

  test('a secret rotation: both secrets work at the token endpoint until the overlap ends, then only the new one', async () => {
    const bearer = await token(admin, ['admin:clients']);
    const created = await api('POST', '/clients', { token: bearer, body: { name: 'Nightly export', grants: ['client_credentials'], reason: { code: 'access_change', text: 'Nightly export job for the registry' } } });
    expect(created.status).toBe(201);
    const machine = { client_id: created.json.clientId as string, client_secret: created.json.clientSecret as string };
    expect((await tokenRequest(machine, {})).status).toBe(200);

    const rotated = await api('POST', `/clients/${machine.client_id}/rotate-secret`, { token: bearer, body: { previousSecretExpiresIn: 3600, reason: { code: 'suspected_compromise', text: 'Yearly rotation, old one retired in an hour' } } });
    expect(rotated.status).toBe(200);
    const newSecret = rotated.json.clientSecret as string;
    expect(newSecret).not.toBe(machine.client_secret);
    expect(rotated.json.previousSecretExpiresAt).toBeGreaterThan(clock.now() + 3500_000);
    expect((await tokenRequest(machine, {})).status).toBe(200);
    expect((await tokenRequest(machine, {}, newSecret)).status).toBe(200);
    const view = await api('GET', `/clients/${machine.client_id}`, { token: bearer });
    expect(view.json).toMatchObject({ clientId: machine.client_id, previousSecretExpiresAt: rotated.json.previousSecretExpiresAt });

    clock.advance(3600_000 + 1000);
    expect(await tokenRequest(machine, {})).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await tokenRequest(machine, {}, newSecret)).status).toBe(200);
    const row = JSON.stringify(await audits('client.rotate_secret', { subject: machine.client_id }));
    expect(row).toContain(`api:${admin.client_id}`);
    for (const secret of [machine.client_secret, newSecret]) {
      expect(row).not.toContain(secret);
      expect(row).not.toContain(sha256Hex(secret));
    }
  });

  test('an application’s URIs: a field left out keeps its value', async () => {
    const bearer = await token(admin, ['admin:clients']);
    const patched = await api('PATCH', `/clients/${app.client_id}`, { token: bearer, body: { postLogoutRedirectUris: [`${appUrl}/`], reason: { code: 'access_change', text: 'Sign-out page added to the app' } } });
    expect(patched.json).toMatchObject({ redirectUris: [`${appUrl}/callback`], postLogoutRedirectUris: [`${appUrl}/`], backchannelLogoutUri: null });
    const machine = await api('PATCH', `/clients/${plainMachine.client_id}`, { token: bearer, body: { redirectUris: [`${appUrl}/cb`], reason } });
    expect(machine.status).toBe(400);
  });

  test('a new AUA version is published with a reason', async () => {
    const bearer = await token(admin, ['admin:aua']);
    const text = 'You agree to use the immunization systems only for the work of your organization. '.repeat(3);
    expect((await api('POST', '/aua-versions', { token: bearer, body: { version: '2027-01', text } })).json.error).toBe('admin.reason_code');
    const published = await api('POST', '/aua-versions', { token: bearer, body: { version: '2027-01', text, reason: { code: 'other', text: 'Yearly review of the agreement' } } });
    expect(published).toMatchObject({ status: 201, json: { version: '2027-01' } });
    expect((await api('POST', '/aua-versions', { token: bearer, body: { version: '2027-01', text, reason: { code: 'other', text: 'Yearly review of the agreement' } } })).status).toBe(400);
  });

  test('the audit log: search and a JSON-lines export with the same filters, both recorded; the help desk may not read it', async () => {
    const bearer = await token(admin, ['admin:audit:read']);
    const found = await api('GET', '/audit-events?action=aua.publish&limit=5', { token: bearer });
    expect(found.status).toBe(200);
    const events = found.json.events as { action: string; details: { reason: string } }[];
    expect(events.map((e) => e.action)).toEqual(['aua.publish']);
    expect(events[0]!.details.reason).toBe('Yearly review of the agreement');
    const exported = await api('GET', '/audit-events/export?action=aua.publish', { token: bearer });
    expect(exported.status).toBe(200);
    const lines = exported.text.trim().split('\n').map((l) => JSON.parse(l) as { action: string });
    expect(lines.map((l) => l.action)).toEqual(['aua.publish']);
    expect((await audits('audit.search')).length).toBeGreaterThan(0);
    expect((await audits('audit.export')).length).toBeGreaterThan(0);
    expect((await api('GET', '/audit-events?from=2026-02-30', { token: bearer })).status).toBe(400);
    const desk = await api('GET', '/audit-events', { token: await token(helpdesk) });
    expect(desk.status).toBe(403);
    expect(desk.headers.get('www-authenticate')).toContain('scope="admin:audit:read"');
  });

  test('the security-question catalogue: add, retire, restore, each with a reason', async () => {
    const bearer = await token(admin, ['admin:questions']);
    const reasonBody = { code: 'data_correction', text: 'Catalogue review by the security office' };
    const added = await api('POST', '/security-questions', { token: bearer, body: { text: 'What was the name of your first school?', reason: reasonBody } });
    expect(added).toMatchObject({ status: 201, json: { active: true } });
    const id = added.json.id as string;
    expect((await api('PUT', `/security-questions/${id}/offered`, { token: bearer, body: { offered: false } })).json.error).toBe('admin.reason_code');
    expect((await api('PUT', `/security-questions/${id}/offered`, { token: bearer, body: { offered: false, reason: reasonBody } })).json).toMatchObject({ offered: false, changed: true });
    const listed = (await api('GET', '/security-questions', { token: bearer })).json.questions as { id: string; active: boolean }[];
    expect(listed.find((q) => q.id === id)).toMatchObject({ active: false });
    expect((await api('POST', '/security-questions', { token: bearer, body: { text: 'no question mark', reason: reasonBody } })).status).toBe(400);
  });
});

describe('bad input', () => {
  test('garbage JSON, wrong types, unknown ids and fields, overlong fields: a 4xx JSON answer, never a 500, nothing changed', async () => {
    const bearer = await token(admin);
    const { user } = await person();
    const before = await counts();
    const cases: [string, string, { body?: unknown; raw?: string; headers?: Record<string, string> }, number][] = [
      ['POST', `/users/${user.id}/disable`, { raw: '{"reason": {', headers: { 'content-type': 'application/json' } }, 400],
      ['POST', `/users/${user.id}/disable`, { raw: 'reason=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 400],
      ['POST', `/users/${user.id}/disable`, { raw: JSON.stringify({ reason }), headers: { 'content-type': 'text/plain' } }, 400],
      ['POST', `/users/${user.id}/disable`, { raw: JSON.stringify([{ reason }]), headers: { 'content-type': 'application/json' } }, 400],
      ['POST', `/users/${user.id}/disable`, { raw: '"just a string"', headers: { 'content-type': 'application/json' } }, 400],
      ['POST', `/users/${user.id}/disable`, { raw: JSON.stringify({ reason }), headers: { 'content-type': 'application/json; charset=latin-9000' } }, 400],
      ['POST', `/users/${user.id}/disable`, { body: { reason, also: 'this' } }, 400],
      ['POST', `/users/${user.id}/disable`, { body: { reason: { ...reason, text: 'x'.repeat(600) } } }, 400],
      ['POST', `/users/${user.id}/disable`, { body: { reason: { ...reason, code: 'because' } } }, 400],
      ['POST', `/users/${user.id}/disable`, { body: { reason: { ...reason, text: 42 } } }, 400],
      ['POST', `/users/${user.id}/disable`, { body: { reason, pad: 'x'.repeat(20_000) } }, 413],
      ['POST', '/users/no-such-user/disable', { body: { reason } }, 404],
      ['POST', `/users/${'x'.repeat(300)}/disable`, { body: { reason } }, 404],
      ['POST', '/users/%E0%A4%A/disable', { body: { reason } }, 400],
      ['GET', '/users/no-such-user', {}, 404],
      ['GET', '/users?field=name&q=x', {}, 400],
      ['GET', '/users?field=password&q=xyz', {}, 400],
      ['GET', '/users?field=name&q=ab&q=cd', {}, 400],
      ['GET', `/users?field=name&q=${'y'.repeat(150)}`, {}, 400],
      ['GET', '/users?field=name&q=casey&page=0', {}, 400],
      ['GET', '/orgs?page=-1', {}, 400],
      ['GET', '/orgs?page=abc', {}, 400],
      ['GET', '/orgs/no-such-org', {}, 404],
      ['GET', '/clients/no-such-client', {}, 404],
      ['POST', '/users', { body: { username: 'u'.repeat(5000), email: 'a@b.org', reason } }, 400],
      ['POST', '/users', { body: { username: 'valid.name', email: 'not-an-email', reason } }, 400],
      ['POST', '/users', { body: { username: 'valid.name', email: 'v@example.org', password: 'Chosen-By-Me-1!', reason } }, 400],
      ['POST', '/users', { body: { username: 'valid.name', email: 'v@example.org', role: 'root', reason } }, 400],
      ['POST', '/users', { body: { username: 'valid.name', email: 'v@example.org', orgs: [{ code: 'NOPE', role: 'view_only' }], reason } }, 400],
      ['POST', '/users', { body: { username: 'valid.name', email: 'v@example.org', orgs: [{ code: 'HCP01:x', role: 'view_only' }], reason } }, 400],
      ['POST', '/users', { body: { username: 'desk1', email: 'v@example.org', reason } }, 400],
      ['PATCH', `/users/${user.id}`, { body: { name: 'Only a name', reason } }, 400],
      ['PATCH', `/users/${user.id}`, { body: { name: 'n'.repeat(300), email: user.email, phone: null, reason } }, 400],
      ['PUT', `/users/${user.id}/role`, { body: { role: 'superuser', reason } }, 400],
      ['PUT', `/users/${user.id}/memberships/no-such-org`, { body: { role: 'view_only', reason } }, 404],
      ['PUT', `/users/${user.id}/memberships/no-such-org`, { body: { role: 7, reason } }, 400],
      ['POST', '/orgs', { body: { code: 'BAD 01', iisId: '0000000001', name: 'Bad', reason } }, 400],
      ['POST', '/orgs', { body: { code: 'BAD01', iisId: '0000000001', name: 'Bad', type: 'castle', reason } }, 400],
      ['POST', '/orgs', { body: { code: 'BAD01', iisId: '0000000001', name: 'n'.repeat(500), reason } }, 400],
      ['PATCH', '/orgs/no-such-org', { body: { name: 'Renamed', reason } }, 404],
      ['POST', '/clients', { body: { name: 'Bad', redirectUris: ['javascript:alert(1)'], reason } }, 400],
      ['POST', '/clients', { body: { name: 'Bad', grants: ['password'], redirectUris: ['https://a.example/cb'], reason } }, 400],
      ['POST', '/clients', { body: { name: 'Bad', grants: ['client_credentials'], scopes: ['root'], reason } }, 400],
      ['POST', '/clients', { body: { name: 'Bad', clientSecret: 'I-choose-my-own-secret-0123456789abcdef', grants: ['client_credentials'], reason } }, 400],
      ['POST', `/clients/${app.client_id}/rotate-secret`, { body: { previousSecretExpiresIn: '1h', reason } }, 400],
      ['POST', `/clients/${app.client_id}/rotate-secret`, { body: { previousSecretExpiresIn: 90 * 86400, reason } }, 400],
      ['POST', `/clients/${app.client_id}/rotate-secret`, { body: { previousSecretExpiresIn: 1.5, reason } }, 400],
      ['POST', '/clients/no-such-client/rotate-secret', { body: { previousSecretExpiresIn: 0, reason } }, 404],
      ['POST', '/aua-versions', { body: { version: '../../etc', text: 'x'.repeat(60), reason } }, 400],
      ['POST', '/aua-versions', { body: { version: 'v9', text: 'too short', reason } }, 400],
      ['DELETE', '/users', {}, 404],
      ['GET', '/nothing/here', {}, 404],
    ];
    for (const [method, path, opts, status] of cases) {
      const res = await api(method, path, { token: bearer, ...opts });
      expect([method, path, res.status]).toEqual([method, path, status]);
      expect(typeof res.json.error).toBe('string');
      expect(typeof res.json.message).toBe('string');
    }
    expect(await counts()).toEqual(before);
    expect((await t.portal.services.users.findById(user.id))!.disabled_at).toBeNull();
  });
});

describe('secrets', () => {
  test('a temporary password, a new client secret and a rotated one each appear in exactly one response, and in no audit row', async () => {
    const bearer = await token(admin);
    const { user } = await person();
    const temporary = await api('POST', `/users/${user.id}/temporary-password`, { token: bearer, body: { reason: { code: 'forgot_password', text: 'Caller verified, cannot receive email' } } });
    expect(temporary.headers.get('cache-control')).toBe('no-store');
    const newUser = await api('POST', '/users', { token: bearer, body: { username: 'secret.keeper', email: 'keeper@example.org', reason: { code: 'access_change', text: 'New account for the secret test' } } });
    const newClient = await api('POST', '/clients', { token: bearer, body: { name: 'Secret holder', grants: ['client_credentials'], scopes: ['helpdesk:read'], reason: { code: 'access_change', text: 'A client for the secret test' } } });
    const clientId = newClient.json.clientId as string;
    const rotated = await api('POST', `/clients/${clientId}/rotate-secret`, { token: bearer, body: { previousSecretExpiresIn: 0, reason: { code: 'suspected_compromise', text: 'Rotated at once for the test' } } });
    const secrets = [temporary.json.temporaryPassword, newUser.json.temporaryPassword, newClient.json.clientSecret, rotated.json.clientSecret] as string[];
    expect(secrets.every((s) => typeof s === 'string' && s.length >= 16)).toBe(true);

    // Everything an administrator can read afterwards.
    await api('GET', `/users/${user.id}`, { token: bearer });
    await api('GET', `/users/${newUser.json.id}`, { token: bearer });
    await api('GET', '/users?field=name&q=secret', { token: bearer });
    await api('GET', '/clients', { token: bearer });
    await api('GET', `/clients/${clientId}`, { token: bearer });

    const bodies = seen.map((s) => s.body);
    for (const secret of secrets) expect(bodies.filter((b) => b.includes(secret))).toHaveLength(1);
    const audit = JSON.stringify(await t.db('audit_events'));
    for (const secret of secrets) {
      expect(audit).not.toContain(secret);
      expect(audit).not.toContain(sha256Hex(secret));
    }
    const hashes = [(await t.portal.services.users.findById(user.id))!.password_hash, (await t.portal.services.clients.find(clientId))!.secret_hash!];
    for (const hash of hashes) expect(bodies.some((b) => b.includes(hash))).toBe(false);
    expect(bodies.some((b) => /\$argon2/.test(b))).toBe(false);
  });
});

describe('the OpenAPI document', () => {
  test('is served without a token, validates as OpenAPI 3.1, and names this portal', async () => {
    const res = await fetch(`${resource()}/openapi.json`);
    expect(res.status).toBe(200);
    const served = (await res.json()) as { openapi: string; servers: { url: string }[]; components: { securitySchemes: { adminApi: { flows: { clientCredentials: { tokenUrl: string }; authorizationCode: { authorizationUrl: string; tokenUrl: string } } } } } };
    expect(served.openapi).toBe('3.1.0');
    expect(served.servers).toEqual([{ url: resource() }]);
    expect(served.components.securitySchemes.adminApi.flows.clientCredentials.tokenUrl).toBe(`${t.url}/token`);
    expect(served.components.securitySchemes.adminApi.flows.authorizationCode).toMatchObject({ authorizationUrl: `${t.url}/auth`, tokenUrl: `${t.url}/token` });
    for (const doc of [served, openApi()]) {
      const result = await validate(structuredClone(doc) as never);
      if (!result.valid) throw new Error(compileErrors(result));
      expect(result.warnings).toEqual([]);
    }
  });

  test('documents every route the router has, and every documented route answers', async () => {
    expect(routerRoutes().sort()).toEqual(documentedRoutes().sort());

    // Real ids, so that a 404 can only mean a missing route.
    const bearer = await token(admin);
    const { user } = await person();
    const org = (await t.portal.services.orgs.findByCode('HCP01'))!;
    const fill = (path: string) => path.replace('{orgId}', org.id).replace('{userId}', user.id).replace(/^\/users\/\{id\}/, `/users/${user.id}`).replace(/^\/orgs\/\{id\}/, `/orgs/${org.id}`).replace(/^\/clients\/\{id\}/, `/clients/${app.client_id}`).replace('{clientId}', hl7.client_id);
    for (const route of documentedRoutes()) {
      const [method, path] = route.split(' ') as [string, string];
      const res = await api(method.toUpperCase(), fill(path), { token: bearer, ...(method === 'get' ? {} : { body: {} }) });
      expect([route, res.status === 404]).toEqual([route, false]);
    }
  });

  test('each route opens to exactly the scopes it documents', async () => {
    const doc = openApi();
    const { user } = await person();
    const org = (await t.portal.services.orgs.findByCode('HCP01'))!;
    const fill = (path: string) => path.replace('{orgId}', org.id).replace('{userId}', user.id).replace(/^\/users\/\{id\}/, `/users/${user.id}`).replace(/^\/orgs\/\{id\}/, `/orgs/${org.id}`).replace(/^\/clients\/\{id\}/, `/clients/${app.client_id}`).replace('{clientId}', hl7.client_id);
    for (const scope of apiScopeNames) {
      const one = await token(admin, [scope]);
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          if (!op.security?.length) continue;
          const documented = op.security.flatMap((s) => s.adminApi);
          const res = await api(method.toUpperCase(), fill(path), { token: one, ...(method === 'get' ? {} : { body: {} }) });
          expect([op.operationId, scope, res.json.error === 'insufficient_scope']).toEqual([op.operationId, scope, !documented.includes(scope)]);
        }
      }
    }
  });

  test('its lists are the libraries’ lists', () => {
    const doc = openApi();
    const schemas = doc.components.schemas!;
    expect(Object.keys(doc.components.securitySchemes!.adminApi.flows.clientCredentials.scopes).sort()).toEqual([...apiScopeNames].sort());
    // A person's own token has one scope, and no client_credentials token ever carries it.
    expect(Object.keys(doc.components.securitySchemes!.adminApi.flows.authorizationCode.scopes)).toEqual([memberScope]);
    expect(schemas.Reason.properties.code.enum).toEqual(Object.keys(reasonCodes));
    expect(schemas.OrgType.enum).toEqual([...orgTypes, null]);
    expect(schemas.RegistryRole.enum).toEqual([...registryRoles]);
    // Narrowest scope first, as the 403's `scope=` names it.
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops)) {
        const documented = (op.security ?? []).flatMap((s) => s.adminApi);
        if (documented.length) expect([...apiScopeNames, memberScope].filter((s) => documented.includes(s))).toEqual(documented);
      }
    }
    expect(scopesGranting('users:unlock')).toEqual(['helpdesk:unlock', 'admin:users']);
  });
});
