import { startTestPortal, type TestPortal } from '../src/testing/index.js';
import { portalCli } from './fixtures/portal-cli.js';

/**
 * `client:create --grant` (issue 8 §4): each grant a client may use is named, the default is
 * unchanged, and a client whose sign-ins could never work is refused instead of created.
 */
let t: TestPortal;

beforeAll(async () => {
  t = await startTestPortal();
});
afterAll(() => t?.close());

const cli = (...args: string[]) => portalCli(t.config.databaseUrl, args);

async function grantTypesOf(clientId: string): Promise<string[]> {
  const row = await t.db('oidc_clients').where({ client_id: clientId }).first();
  return JSON.parse(row.metadata).grant_types;
}

test('no --grant: a client that signs people in, as before', async () => {
  const result = await cli('client:create', '--name', 'Default app', '--redirect-uri', 'https://app.example/cb', '--json');
  expect(result.code).toBe(0);
  const { client_id, grant_types } = JSON.parse(result.stdout);
  expect(grant_types).toEqual(['authorization_code', 'refresh_token']);
  expect(await grantTypesOf(client_id)).toEqual(['authorization_code', 'refresh_token']);
}, 60_000);

test('--grant authorization_code --grant client_credentials: both, and the machine grant works at the token endpoint', async () => {
  const result = await cli(
    'client:create', '--name', 'Both', '--redirect-uri', 'https://both.example/cb',
    '--grant', 'authorization_code', '--grant', 'client_credentials', '--json',
  );
  expect(result.code).toBe(0);
  const { client_id, client_secret, grant_types } = JSON.parse(result.stdout);
  expect(grant_types).toEqual(['authorization_code', 'refresh_token', 'client_credentials']);
  expect(await grantTypesOf(client_id)).toEqual(grant_types);

  const token = await fetch(`${t.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  expect(token.status).toBe(200);
  expect((await token.json()).access_token).toEqual(expect.any(String));
}, 60_000);

test('--grant client_credentials alone: a machine client without redirect URIs', async () => {
  const result = await cli('client:create', '--name', 'HL7 feed', '--grant', 'client_credentials', '--json');
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout).grant_types).toEqual(['client_credentials']);
}, 60_000);

test.each([
  [['--redirect-uri', 'https://app.example/cb', '--grant', 'client_credentials'], 1, 'a client with --redirect-uri needs --grant authorization_code'],
  [['--grant', 'client_credentials', '--post-logout-redirect-uri', 'https://app.example/'], 1, '--post-logout-redirect-uri and --backchannel-logout-uri need --grant authorization_code'],
  [['--grant', 'authorization_code'], 1, 'give at least one --redirect-uri for --grant authorization_code'],
  [['--public', '--grant', 'client_credentials'], 1, 'a public client cannot use client_credentials'],
  [['--grant', 'password', '--redirect-uri', 'https://app.example/cb'], 2, '--grant password: must be authorization_code or client_credentials'],
  [['--grant', 'implicit'], 2, '--grant implicit: must be authorization_code or client_credentials'],
  // HL7 exchange credentials (issue 12): the scope and the organization go together, on a machine client.
  [['--grant', 'client_credentials', '--scope', 'hl7:submit'], 1, '--scope hl7:submit is for an organization\'s HL7 exchange credentials'],
  [['--redirect-uri', 'https://app.example/cb', '--scope', 'hl7:submit', '--org', '1000000001'], 1, '--scope hl7:submit is for an organization\'s HL7 exchange credentials'],
  [['--grant', 'client_credentials', '--org', '1000000001'], 1, '--org binds HL7 exchange credentials to an organization'],
  [['--grant', 'client_credentials', '--scope', 'hl7:submit', '--org', '9999999999'], 1, 'no organization has the IIS ID 9999999999'],
  [['--grant', 'client_credentials', '--scope', 'hl7:submit', '--org', '12345'], 1, 'org: exactly 10 digits'],
])('client:create %j exits %i with a clear message, and creates nothing', async (args, code, message) => {
  const before = await t.db('oidc_clients').count({ n: '*' });
  const result = await cli('client:create', '--name', 'Refused', ...(args as string[]));
  expect(result.code).toBe(code);
  expect(result.stderr).toContain(message);
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(await t.db('oidc_clients').count({ n: '*' })).toEqual(before);
}, 60_000);

test('--scope names what a machine client may ask for: here the admin API, which it then reaches', async () => {
  const result = await cli('client:create', '--name', 'Desk tool', '--grant', 'client_credentials', '--scope', 'helpdesk:read', '--scope', 'helpdesk:unlock', '--json');
  expect(result.code).toBe(0);
  const { client_id, client_secret } = JSON.parse(result.stdout);
  const token = await fetch(`${t.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: `${t.url}/api/admin/v1`, scope: 'helpdesk:read' }),
  });
  expect(token.status).toBe(200);
  const { access_token } = (await token.json()) as { access_token: string };
  const users = await fetch(`${t.url}/api/admin/v1/users?field=name&q=nobody`, { headers: { authorization: `Bearer ${access_token}` } });
  expect(users.status).toBe(200);
  const bad = await cli('client:create', '--name', 'Bad', '--grant', 'client_credentials', '--scope', 'Root!', '--json');
  expect(bad.code).toBe(1);
}, 60_000);

test('--scope hl7:submit --org IIS_ID: HL7 exchange credentials bound to the organization, leading zeros kept', async () => {
  await t.directory.createOrg({ code: 'ZERO01', iisId: '0000012345', name: 'Zero Clinic' });
  const result = await cli('client:create', '--name', 'Zero Clinic EHR', '--grant', 'client_credentials', '--scope', 'hl7:submit', '--org', '0000012345', '--json');
  expect(result.code).toBe(0);
  const { client_id } = JSON.parse(result.stdout);
  const row = await t.db('oidc_clients').where({ client_id }).first();
  expect(JSON.parse(row.metadata)).toMatchObject({ grant_types: ['client_credentials'], scope: 'hl7:submit', org_iis_id: '0000012345' });
}, 60_000);

test('--scope org:members: an app that signs people in keeps the people’s scopes and may ask for a person’s admin API token; a machine client may not have it', async () => {
  const result = await cli('client:create', '--name', 'Registry', '--redirect-uri', 'https://registry.example/callback', '--scope', 'org:members', '--json');
  expect(result.code).toBe(0);
  const { client_id } = JSON.parse(result.stdout);
  const row = await t.db('oidc_clients').where({ client_id }).first();
  expect(JSON.parse(row.metadata).scope.split(' ')).toEqual(['openid', 'offline_access', 'profile', 'email', 'phone', 'orgs', 'org:members']);
  // An authorization request for the admin API resource is accepted: the sign-in page, not invalid_target.
  const authorize = new URL(`${t.url}/auth`);
  for (const [k, v] of Object.entries({ client_id, response_type: 'code', redirect_uri: 'https://registry.example/callback', scope: 'openid orgs org:members', resource: `${t.url}/api/admin/v1` })) authorize.searchParams.set(k, v);
  const answer = await fetch(authorize, { redirect: 'manual' });
  expect(answer.status).toBe(303);
  expect(answer.headers.get('location')).toMatch(/^\/interaction\//);

  const machine = await cli('client:create', '--name', 'Bad', '--grant', 'client_credentials', '--scope', 'org:members', '--json');
  expect(machine.code).toBe(1);
  expect(machine.stderr).toContain('org:members');
}, 60_000);
