import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPortal, HttpAgent, textOf, type TestPortal } from '../../src/testing/index.js';

/**
 * A relying party nobody on this team wrote: Apache httpd with mod_auth_openidc (Debian's
 * libapache2-mod-auth-openidc) protects a page with the portal. It discovers the portal, sends the
 * person through the sign-in form, redeems the code with client_secret_basic, validates the ID token,
 * and ends its own session when the portal sends a back-channel logout.
 */
const apache = '/usr/sbin/apache2';
const module = '/usr/lib/apache2/modules/mod_auth_openidc.so';
const password = 'Correct-Horse-9!';

let t: TestPortal;
let dir: string;
let httpd: ChildProcess | undefined;
let rpUrl: string;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string) {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url, { redirect: 'manual' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`Apache did not start on ${url}`);
}

beforeAll(async () => {
  if (!existsSync(apache) || !existsSync(module)) {
    throw new Error('Apache with mod_auth_openidc is needed for this test: apt-get install -y apache2 libapache2-mod-auth-openidc');
  }
  const port = await freePort();
  rpUrl = `http://127.0.0.1:${port}`;
  t = await startTestPortal({ env: { BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: rpUrl } });
  await t.directory.createOrg({ code: 'PEDS01', iisId: '1000000001', name: 'Hill Country Pediatrics' });
  await t.directory.createUser({ username: 'ana', name: 'Ana Apache', email: 'ana@example.org', password, orgs: ['PEDS01:full_access_provider:primary'] });
  const client = await t.directory.createClient({
    name: 'Apache RP',
    redirectUris: [`${rpUrl}/protected/redirect_uri`],
    backchannelLogoutUri: `${rpUrl}/protected/redirect_uri?logout=backchannel`,
  });

  dir = mkdtempSync(join(tmpdir(), 'mod-auth-openidc-'));
  mkdirSync(join(dir, 'www/protected'), { recursive: true });
  writeFileSync(join(dir, 'www/protected/index.html'), 'the protected page\n');
  const modules = ['mpm_event', 'authz_core', 'authz_user', 'authn_core'].map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`);
  writeFileSync(
    join(dir, 'httpd.conf'),
    [
      `ServerRoot ${dir}`,
      `PidFile ${dir}/httpd.pid`,
      `Listen 127.0.0.1:${port}`,
      'ServerName 127.0.0.1',
      ...modules,
      `LoadModule auth_openidc_module ${module}`,
      `ErrorLog ${dir}/error.log`,
      `DocumentRoot ${dir}/www`,
      `OIDCProviderMetadataURL ${t.url}/.well-known/openid-configuration`,
      `OIDCClientID ${client.client_id}`,
      `OIDCClientSecret ${client.client_secret}`,
      `OIDCRedirectURI ${rpUrl}/protected/redirect_uri`,
      'OIDCCryptoPassphrase a-passphrase-only-for-this-test',
      'OIDCScope "openid profile email orgs"',
      'OIDCSessionType server-cache',
      // The test's HTTP agent is fetch-based, which always says sec-fetch-mode: cors; without this
      // mod_auth_openidc treats it as an XHR and answers 401 instead of redirecting to sign in.
      'OIDCUnAuthAction auth true',
      'OIDCInfoHook userinfo id_token',
      '<Location /protected>',
      '  AuthType openid-connect',
      '  Require valid-user',
      '</Location>',
    ].join('\n'),
  );
  httpd = spawn(apache, ['-X', '-f', join(dir, 'httpd.conf')], { stdio: 'ignore' });
  await waitForHttp(`${rpUrl}/`);
}, 60_000);

afterAll(async () => {
  httpd?.kill('SIGTERM');
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('mod_auth_openidc signs a person in through the portal, sees the claims, and honours back-channel logout', async () => {
  const agent = new HttpAgent(t.url);
  const start = await agent.request(`${rpUrl}/protected/index.html`);
  expect(start.status).toBe(302);
  expect(start.location!.startsWith(`${t.url}/auth?`)).toBe(true);

  const callback = await agent.signIn(start.location!, 'ana', password);
  expect(callback.startsWith(`${rpUrl}/protected/redirect_uri?code=`)).toBe(true);
  const redeemed = await agent.request(callback);
  expect(redeemed.status).toBe(302);
  const page = await agent.request(redeemed.location!);
  expect(page.status).toBe(200);
  expect(page.body).toBe('the protected page\n');

  const info = JSON.parse((await agent.request(`${rpUrl}/protected/redirect_uri?info=json`, { headers: { accept: 'application/json' } })).body);
  expect(info.id_token).toMatchObject({ iss: t.url, preferred_username: 'ana', amr: ['pwd'] });
  expect(info.userinfo.orgs).toEqual([expect.objectContaining({ code: 'PEDS01', role: 'full_access_provider', coordinator: 'primary' })]);

  // Signing out at the portal ends the Apache session too (back-channel logout).
  const home = await agent.request(`${t.url}/`);
  const csrf = /<form method="post" action="\/logout"[^>]*><input type="hidden" name="csrf" value="([^"]+)"/.exec(home.body)![1]!;
  const out = await agent.follow(`${t.url}/logout`, { form: { csrf } });
  expect(textOf(out.response.body)).toContain('You have signed out');
  const after = await agent.request(`${rpUrl}/protected/index.html`);
  expect(after.status).toBe(302);
  expect(after.location!.startsWith(`${t.url}/auth?`)).toBe(true);
}, 60_000);
