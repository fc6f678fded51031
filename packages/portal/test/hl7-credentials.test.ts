import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { startTestPortal, type TestPortal } from '../src/testing/index.js';
import { createTestClock } from '../src/libraries/clock.js';
import { sha256Hex } from '../src/libraries/secrets.js';
import { apiScopeNames } from '../src/libraries/administration/actors.js';
import { demoClientSecrets, seedDemoData } from '../src/cli/demo-data.js';

/**
 * HL7 exchange credentials (issue 12, "Connectivity and Transport"), as Syntropi and the registry
 * see them over real HTTP: Syntropi's own client gets an admin API token with
 * `enrollment:credentials`, creates an organization's credentials, and those get a JWT for the
 * registry's HL7 endpoint that names the organization — verified here as the registry would,
 * against the portal's JWKS.
 */
const clock = createTestClock();
let t: TestPortal;
let hl7Resource: string;
let adminResource: string;
type Machine = { client_id: string; client_secret?: string | undefined };
const syntropi: Machine = { client_id: 'enrollment', client_secret: demoClientSecrets.enrollment };
let adminAutomation: Machine;
let plainMachine: Machine;
const zeroIisId = '0000012345';

beforeAll(async () => {
  t = await startTestPortal({ clock });
  hl7Resource = t.config.hl7Resource;
  adminResource = `${t.url}/api/admin/v1`;
  // The demo data's Syntropi client, as `pnpm start` creates it.
  await seedDemoData(t.portal.services, (m) => t.portal.provider.Client.validate(m as never));
  await t.directory.createOrg({ code: 'ZERO01', iisId: zeroIisId, name: 'Zero Clinic' });
  adminAutomation = await t.directory.createClient({ name: 'Admin automation', grants: ['client_credentials'], scopes: [...apiScopeNames] });
  plainMachine = await t.directory.createClient({ name: 'Some feed', grants: ['client_credentials'] });
});

afterAll(async () => {
  await t?.close();
});

async function tokenRequest(client: Machine, params: Record<string, string>, options: { secret?: string; post?: boolean } = {}) {
  const secret = options.secret ?? client.client_secret!;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const body = new URLSearchParams({ grant_type: 'client_credentials', ...params });
  if (options.post) {
    body.set('client_id', client.client_id);
    body.set('client_secret', secret);
  } else {
    headers.authorization = `Basic ${Buffer.from(`${client.client_id}:${secret}`).toString('base64')}`;
  }
  const res = await fetch(`${t.url}/token`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

const hl7Token = (client: Machine, options: { secret?: string; post?: boolean } = {}) => tokenRequest(client, { scope: 'hl7:submit', resource: hl7Resource }, options);

async function adminToken(client: Machine, scope: string): Promise<string> {
  const got = await tokenRequest(client, { scope, resource: adminResource });
  expect(got).toMatchObject({ status: 200 });
  return got.body.access_token!;
}

async function api(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${adminResource}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as Record<string, any> };
}

const clientCount = async () => Number((await t.db('oidc_clients').count({ n: '*' }).first())!.n);

/** What the registry does with a bearer token: verify it against the portal's published keys. */
async function verifyAsRegistry(token: string) {
  const jwks = createRemoteJWKSet(new URL(`${t.url}/jwks`));
  return jwtVerify(token, jwks, { issuer: t.url, audience: hl7Resource, typ: 'at+jwt', algorithms: ['RS256'] });
}

describe('HL7 exchange credentials', () => {
  let credential: Machine & { iisId: string };
  let syntropiToken: string;

  test('Syntropi, with its own client id and secret, creates an organization’s credentials: the secret once, and where to use it', async () => {
    syntropiToken = await adminToken(syntropi, 'enrollment:credentials');
    const before = await clientCount();
    const created = await api('POST', '/hl7-credentials', syntropiToken, { iisId: zeroIisId, name: 'Zero Clinic EHR' });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      clientId: expect.any(String),
      clientSecret: expect.any(String),
      iisId: zeroIisId,
      scope: 'hl7:submit',
      tokenEndpoint: `${t.url}/token`,
      resource: hl7Resource,
    });
    expect(hl7Resource).toBe(`${t.config.apps.registry.url}/hl7/v2`);
    expect(await clientCount()).toBe(before + 1);
    credential = { client_id: created.json.clientId, client_secret: created.json.clientSecret, iisId: zeroIisId };

    // Stored hashed; bound to the organization in the client's metadata; audited without the secret.
    const row = await t.db('oidc_clients').where({ client_id: credential.client_id }).first();
    expect(row.secret_hash).toBe(sha256Hex(credential.client_secret!));
    expect(JSON.parse(row.metadata)).toMatchObject({ grant_types: ['client_credentials'], scope: 'hl7:submit', org_iis_id: zeroIisId });
    const audit = await t.db('audit_events').where({ action: 'client.create', subject: credential.client_id }).first();
    expect(JSON.parse(audit.details)).toMatchObject({ via: 'api:enrollment', iisId: zeroIisId, kind: 'hl7_credential' });
    expect(JSON.stringify(audit)).not.toContain(credential.client_secret);

    // A site may hold several: a second call makes a second client.
    const second = await api('POST', '/hl7-credentials', syntropiToken, { iisId: zeroIisId, name: 'Zero Clinic backup EHR' });
    expect(second.status).toBe(201);
    expect(second.json.clientId).not.toBe(credential.client_id);
    const listed = await api('GET', `/hl7-credentials?iisId=${zeroIisId}`, syntropiToken);
    expect(listed.status).toBe(200);
    expect(listed.json.credentials.map((c: { clientId: string }) => c.clientId).sort()).toEqual([credential.client_id, second.json.clientId].sort());
    expect(listed.json.credentials[0]).toEqual({ clientId: expect.any(String), iisId: zeroIisId, name: expect.any(String), createdAt: expect.any(Number), secretRotatedAt: null, previousSecretExpiresAt: null });
    expect(listed.text).not.toContain(credential.client_secret);
    expect(listed.text).not.toContain(second.json.clientSecret);
    // Another organization's list does not show them.
    expect((await api('GET', '/hl7-credentials?iisId=1000000001', syntropiToken)).json).toEqual({ credentials: [] });
  });

  test('the credentials get a JWT for the HL7 resource that the registry verifies with the JWKS: at+jwt, aud, scope, iis_id with its zeros', async () => {
    for (const post of [false, true]) {
      const got = await hl7Token(credential, { post });
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ token_type: 'Bearer', scope: 'hl7:submit', expires_in: t.config.accessTokenMinutes * 60 });
      const { payload, protectedHeader } = await verifyAsRegistry(got.body.access_token!);
      expect(protectedHeader).toMatchObject({ typ: 'at+jwt', alg: 'RS256', kid: expect.any(String) });
      expect(payload).toMatchObject({ iss: t.url, aud: hl7Resource, client_id: credential.client_id, scope: 'hl7:submit', iis_id: zeroIisId, jti: expect.any(String) });
      expect(payload.exp! - payload.iat!).toBe(t.config.accessTokenMinutes * 60);
      expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(3600);
    }
    // Signed by a key the portal publishes (and, from the same keys, its ID tokens).
    const jwks = (await (await fetch(`${t.url}/jwks`)).json()) as { keys: { kid: string }[] };
    const { body } = await hl7Token(credential);
    expect(jwks.keys.map((k) => k.kid)).toContain(decodeProtectedHeader(body.access_token!).kid);
  });

  test('an HL7 token is no admin API token, and these credentials get none', async () => {
    const { body } = await hl7Token(credential);
    const refused = await api('GET', `/hl7-credentials?iisId=${zeroIisId}`, body.access_token!);
    expect(refused.status).toBe(401);
    expect(refused.json.error).toBe('invalid_token');
    for (const scope of ['enrollment:credentials', 'admin:clients', 'hl7:submit']) {
      expect(await tokenRequest(credential, { scope, resource: adminResource })).toMatchObject({ status: 400 });
    }
    expect(await tokenRequest(credential, { scope: 'hl7:submit', resource: adminResource })).toMatchObject({ body: { error: 'invalid_target' } });
  });

  test('without the HL7 resource the token is opaque and names no organization', async () => {
    const got = await tokenRequest(credential, { scope: 'hl7:submit' });
    expect(got.status).toBe(200);
    expect(got.body.access_token!.split('.')).toHaveLength(1);
    const introspected = await fetch(`${t.url}/token/introspection`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${credential.client_id}:${credential.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: got.body.access_token! }),
    });
    const claims = (await introspected.json()) as Record<string, unknown>;
    expect(claims).toMatchObject({ active: true, client_id: credential.client_id });
    expect(claims).not.toHaveProperty('iis_id');
    expect(claims.aud).toBeUndefined();
  });

  test('a client without an organization binding asking for the HL7 resource: invalid_target, whoever it is', async () => {
    for (const client of [plainMachine, syntropi, adminAutomation]) {
      expect([client.client_id, await tokenRequest(client, { scope: 'hl7:submit', resource: hl7Resource })]).toEqual([client.client_id, { status: 400, body: expect.objectContaining({ error: 'invalid_target' }) }]);
      expect([client.client_id, (await tokenRequest(client, { resource: hl7Resource })).body.error]).toEqual([client.client_id, 'invalid_target']);
    }
    // Nor in a sign-in: no person's token is ever an HL7 token (the registry is not registered for the
    // scope, so asking for it is invalid_scope; the resource alone is invalid_target).
    for (const [scope, error] of [['openid', 'invalid_target'], ['openid hl7:submit', 'invalid_scope']]) {
      const authorize = new URL(`${t.url}/auth`);
      for (const [k, v] of Object.entries({ client_id: 'registry', response_type: 'code', redirect_uri: `${t.config.apps.registry.url}/callback`, scope: scope!, resource: hl7Resource, state: 'abc' })) authorize.searchParams.set(k, v);
      const answer = await fetch(authorize, { redirect: 'manual' });
      expect(answer.status).toBe(303);
      expect([scope, new URL(answer.headers.get('location')!).searchParams.get('error')]).toEqual([scope, error]);
    }
    // The directory will not make a client with the scope and no organization, or a sign-in client with it.
    await expect(t.directory.createClient({ name: 'Unbound', grants: ['client_credentials'], scopes: ['hl7:submit'] })).rejects.toThrow(/needs --grant client_credentials alone and --org/);
    await expect(t.directory.createClient({ name: 'Signs in', redirectUris: ['https://app.example/cb'], scopes: ['hl7:submit'], orgIisId: zeroIisId })).rejects.toThrow(/hl7:submit/);
  });

  test('enrollment:credentials opens these routes and no other admin route', async () => {
    for (const [method, path, body] of [
      ['GET', '/clients'],
      ['GET', '/clients/registry'],
      ['POST', '/clients/registry/rotate-secret', { previousSecretExpiresIn: 0, reason: { code: 'suspected_compromise', text: 'Should never be allowed here' } }],
      ['GET', '/orgs'],
      ['GET', '/users?field=name&q=a'],
      ['POST', '/orgs', { code: 'X1', iisId: '1234567890', name: 'X', reason: { code: 'access_change', text: 'Should never be allowed here' } }],
      ['GET', '/audit-events'],
    ] as [string, string, unknown?][]) {
      const res = await api(method, path, syntropiToken, body);
      expect([method, path, res.status, res.json.error]).toEqual([method, path, 403, 'insufficient_scope']);
    }
    // Another application is not an HL7 credential: 404, and its secret is untouched.
    const registryBefore = await t.db('oidc_clients').where({ client_id: 'registry' }).first();
    for (const clientId of ['registry', 'enrollment', plainMachine.client_id]) {
      expect((await api('POST', `/hl7-credentials/${clientId}/rotate-secret`, syntropiToken, {})).json).toMatchObject({ error: 'hl7.no_such_credential' });
      expect((await api('DELETE', `/hl7-credentials/${clientId}`, syntropiToken)).status).toBe(404);
    }
    expect(await t.db('oidc_clients').where({ client_id: 'registry' }).first()).toEqual(registryBefore);
    expect(await t.db('oidc_clients').where({ client_id: plainMachine.client_id }).first()).toBeDefined();
  });

  test('an unknown IIS ID is a 404 and creates nothing; a malformed one is a 400', async () => {
    const before = await clientCount();
    const unknown = await api('POST', '/hl7-credentials', syntropiToken, { iisId: '9999999999', name: 'Nobody' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toBe('hl7.no_such_org');
    expect((await api('GET', '/hl7-credentials?iisId=9999999999', syntropiToken)).status).toBe(404);
    for (const body of [{ iisId: '12345', name: 'Short' }, { iisId: 12345, name: 'Number' }, { iisId: zeroIisId }, { iisId: zeroIisId, name: 'X', orgIisId: '1000000001' }]) {
      expect([body, (await api('POST', '/hl7-credentials', syntropiToken, body)).status]).toEqual([body, 400]);
    }
    expect((await api('GET', '/hl7-credentials', syntropiToken)).status).toBe(400);
    expect(await clientCount()).toBe(before);
  });

  test('a rotation: the old and the new secret both get tokens until the old one expires, then only the new one', async () => {
    const rotated = await api('POST', `/hl7-credentials/${credential.client_id}/rotate-secret`, syntropiToken, {});
    expect(rotated.status).toBe(200);
    expect(rotated.json).toEqual({ clientSecret: expect.any(String), previousSecretExpiresAt: expect.any(Number) });
    const newSecret = rotated.json.clientSecret as string;
    // Left unsaid, the old secret lives a day.
    expect(rotated.json.previousSecretExpiresAt).toBeGreaterThan(clock.now() + 24 * 3600_000 - 60_000);
    for (const secret of [credential.client_secret!, newSecret]) {
      const got = await hl7Token(credential, { secret });
      expect(got.status).toBe(200);
      expect((await verifyAsRegistry(got.body.access_token!)).payload.iis_id).toBe(zeroIisId);
    }
    const listed = await api('GET', `/hl7-credentials?iisId=${zeroIisId}`, syntropiToken);
    expect(listed.json.credentials.find((c: { clientId: string }) => c.clientId === credential.client_id)).toMatchObject({ secretRotatedAt: expect.any(Number), previousSecretExpiresAt: rotated.json.previousSecretExpiresAt });

    clock.advance(24 * 3600_000 + 1000);
    expect(await hl7Token(credential)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await hl7Token(credential, { secret: newSecret })).status).toBe(200);
    const audit = JSON.stringify(await t.db('audit_events').where({ action: 'client.rotate_secret', subject: credential.client_id }));
    expect(audit).toContain('api:enrollment');
    for (const secret of [credential.client_secret!, newSecret]) {
      expect(audit).not.toContain(secret);
      expect(audit).not.toContain(sha256Hex(secret));
    }
    credential.client_secret = newSecret;

    // A shorter overlap may be asked for; 0 retires the old secret at once.
    syntropiToken = await adminToken(syntropi, 'enrollment:credentials');
    const atOnce = await api('POST', `/hl7-credentials/${credential.client_id}/rotate-secret`, syntropiToken, { previousSecretExpiresIn: 0 });
    expect(atOnce.status).toBe(200);
    expect((await hl7Token(credential)).status).toBe(401);
    credential.client_secret = atOnce.json.clientSecret;
    expect((await hl7Token(credential)).status).toBe(200);
    expect((await api('POST', `/hl7-credentials/${credential.client_id}/rotate-secret`, syntropiToken, { previousSecretExpiresIn: '1h' })).status).toBe(400);
  });

  test('administrators may do the same with admin:clients; the help desk may not', async () => {
    const bearer = await adminToken(adminAutomation, 'admin:clients');
    const created = await api('POST', '/hl7-credentials', bearer, { iisId: '1000000001', name: 'Hill Country EHR' });
    expect(created.status).toBe(201);
    expect((await verifyAsRegistry((await hl7Token({ client_id: created.json.clientId, client_secret: created.json.clientSecret })).body.access_token!)).payload.iis_id).toBe('1000000001');
    const desk = await adminToken(adminAutomation, 'helpdesk:read');
    expect((await api('GET', '/hl7-credentials?iisId=1000000001', desk)).json.error).toBe('insufficient_scope');
  });

  test('revoked: the client is gone, neither secret gets a token, and the list no longer shows it', async () => {
    const revoked = await api('DELETE', `/hl7-credentials/${credential.client_id}`, syntropiToken);
    expect(revoked).toMatchObject({ status: 200, json: { revoked: true } });
    expect(await hl7Token(credential)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const listed = await api('GET', `/hl7-credentials?iisId=${zeroIisId}`, syntropiToken);
    expect(listed.json.credentials.map((c: { clientId: string }) => c.clientId)).not.toContain(credential.client_id);
    expect(await t.db('audit_events').where({ action: 'client.delete', subject: credential.client_id }).first()).toBeDefined();
    expect((await api('DELETE', `/hl7-credentials/${credential.client_id}`, syntropiToken)).status).toBe(404);
  });

  test('the demo Syntropi client still signs people in', async () => {
    const row = await t.db('oidc_clients').where({ client_id: 'enrollment' }).first();
    expect(JSON.parse(row.metadata)).toMatchObject({ grant_types: ['authorization_code', 'refresh_token', 'client_credentials'], scope: expect.stringContaining('enrollment:credentials') });
    const authorize = new URL(`${t.url}/auth`);
    for (const [k, v] of Object.entries({ client_id: 'enrollment', response_type: 'code', redirect_uri: `${t.config.apps.enrollment.url}/callback`, scope: 'openid profile orgs' })) authorize.searchParams.set(k, v);
    const answer = await fetch(authorize, { redirect: 'manual' });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toMatch(/^\/interaction\//);
    // The registry signs people in (org:members for Manage Users) and, as itself, feeds VAOS's
    // inventory the doses it records (inventory:administered); never HL7 submission.
    const registry = JSON.parse((await t.db('oidc_clients').where({ client_id: 'registry' }).first()).metadata);
    expect(registry.grant_types).toEqual(['authorization_code', 'refresh_token', 'client_credentials']);
    expect(registry.scope.split(' ')).toEqual(expect.arrayContaining(['org:members', 'inventory:administered']));
    expect(registry.scope.split(' ')).not.toContain('hl7:submit');
  });
});
