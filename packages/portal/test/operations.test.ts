import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as oidc from 'openid-client';
import { createDb, migrate, withDatabaseLock } from '../src/db/knex.js';
import { freshDatabase, HttpAgent, startTestPortal, type TestPortal } from '../src/testing/index.js';

/** What an operator relies on when running instances behind a load balancer (issue #9). */
let t: TestPortal;
const lines: string[] = [];

beforeAll(async () => {
  t = await startTestPortal({ logSink: (line) => lines.push(line) });
});
afterAll(() => t?.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${t.url}${path}`, { headers });

test('/metrics counts sign-ins by outcome, tokens by grant and request latency, for a local scraper only', async () => {
  const c = await t.directory.createClient({ name: 'Feed', grants: ['client_credentials'] });
  const config = await oidc.discovery(new URL(t.url), c.client_id, c.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
  await oidc.clientCredentialsGrant(config);
  const app = await t.directory.createClient({ name: 'ImmTrac2', redirectUris: ['http://127.0.0.1:3990/callback'] });
  const appConfig = await oidc.discovery(new URL(t.url), app.client_id, app.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
  const agent = new HttpAgent(t.url);
  const page = await agent.follow(oidc.buildAuthorizationUrl(appConfig, { redirect_uri: 'http://127.0.0.1:3990/callback', scope: 'openid', code_challenge: 'm'.repeat(43), code_challenge_method: 'S256' }).href);
  expect((await agent.submitSignIn(page.response, 'nobody', 'wrong-password')).response.status).toBe(401);

  const res = await get('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  expect(text).toMatch(/^portal_sign_ins_total\{outcome="failure"\} 1$/m);
  expect(text).toMatch(/^portal_tokens_issued_total\{grant="client_credentials"\} 1$/m);
  expect(text).toMatch(/^portal_http_request_duration_seconds_count\{area="token",method="POST",status="2xx"\} 1$/m);
  expect(text).toMatch(/^portal_db_pool_used \d+$/m);
  // No usernames, client ids or secrets in a label.
  expect(text).not.toContain('nobody');
  expect(text).not.toContain(c.client_id);

  // Through a proxy (the load balancer adds X-Forwarded-For) it is our ordinary 404.
  const viaProxy = await get('/metrics', { 'x-forwarded-for': '203.0.113.9' });
  expect(viaProxy.status).toBe(404);
  expect(await viaProxy.text()).not.toContain('portal_');
});

test('with METRICS_TOKEN set, a scraper must send it; a trusted proxy\'s request id is kept', async () => {
  const token = 'metrics-token-for-the-scraper-1';
  const guarded = await startTestPortal({ env: { METRICS_TOKEN: token, TRUST_PROXY: 'loopback' } });
  try {
    expect((await fetch(`${guarded.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(404);
    const ok = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '203.0.113.9' } });
    expect(ok.status).toBe(200);
    const traced = await fetch(`${guarded.url}/healthz`, { headers: { 'x-request-id': 'lb-7f3a-0001' } });
    expect(traced.headers.get('x-request-id')).toBe('lb-7f3a-0001');
    const malformed = await fetch(`${guarded.url}/healthz`, { headers: { 'x-request-id': 'a b\tc' } });
    expect(malformed.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  } finally {
    await guarded.close();
  }
});

test('every answer carries a request id, and the log line about it says the same id', async () => {
  const a = await get('/healthz');
  const b = await get('/no-such-page');
  const ids = [a.headers.get('x-request-id'), b.headers.get('x-request-id')];
  expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(ids[1]).not.toBe(ids[0]);
  const logged = lines.map((l) => JSON.parse(l) as { reqId?: string; path?: string }).find((l) => l.reqId === ids[1]);
  expect(logged).toMatchObject({ path: '/no-such-page' });
  // Without TRUST_PROXY a caller's own id is not believed.
  const spoofed = await get('/healthz', { 'x-request-id': 'mine-123' });
  expect(spoofed.headers.get('x-request-id')).not.toBe('mine-123');
});

test('machine endpoints answer JSON without the HTML pages\' headers; pages keep them', async () => {
  const discovery = await get('/.well-known/openid-configuration');
  expect(discovery.status).toBe(200);
  expect(discovery.headers.get('x-content-type-options')).toBe('nosniff');
  expect(discovery.headers.get('content-security-policy')).toBeNull();
  const page = await get('/forgot-password');
  expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
});

test('while draining, /readyz fails and answers close their connections', async () => {
  expect(await (await get('/readyz')).json()).toEqual({ status: 'ready' });
  t.portal.lifecycle.draining = true;
  try {
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'draining' });
    const page = await get('/.well-known/openid-configuration');
    expect(page.status).toBe(200); // still served while the load balancer takes the instance out
    expect(page.headers.get('connection')).toBe('close');
  } finally {
    t.portal.lifecycle.draining = false;
  }
});

test('instances starting together on a fresh database both migrate; a lock is held by one at a time', async () => {
  const database = await freshDatabase();
  const a = createDb(database.url);
  const b = createDb(database.url);
  try {
    const [first, second] = await Promise.all([migrate(a), migrate(b)]);
    expect([...first, ...second].length).toBeGreaterThan(0);
    expect(first.length === 0 || second.length === 0).toBe(true); // one did the work, the other found it done
    let release!: () => void;
    const holding = withDatabaseLock(a, 'portal:sweep', { wait: false }, () => new Promise<string>((r) => (release = () => r('held'))));
    await new Promise((r) => setTimeout(r, 100));
    expect(await withDatabaseLock(b, 'portal:sweep', { wait: false }, async () => 'ran')).toBeUndefined();
    release();
    expect(await holding).toBe('held');
    expect(await withDatabaseLock(b, 'portal:sweep', { wait: false }, async () => 'ran')).toBe('ran');
  } finally {
    await a.destroy();
    await b.destroy();
    await database.drop();
  }
});

const mainJs = fileURLToPath(new URL('../dist/main.js', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

test('the production build starts with node alone and drains on SIGTERM', async () => {
  if (!existsSync(mainJs)) throw new Error('packages/portal/dist/main.js is missing: run `pnpm build` (the test command does)');
  const database = await freshDatabase();
  const [port, smtp, web] = [await freePort(), await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--conditions=production', mainJs], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      PORTAL_URL: url,
      PORTAL_PORT: String(port),
      PORTAL_HOST: '127.0.0.1',
      MAILCATCHER_SMTP_PORT: String(smtp),
      MAILCATCHER_WEB_PORT: String(web),
      SHUTDOWN_GRACE_SECONDS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    const deadline = Date.now() + 20_000;
    while (!(await fetch(`${url}/readyz`).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the portal did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGTERM');
    const stoppedAt = Date.now();
    // During the grace period: the load balancer sees "draining", requests are still answered.
    let draining: Response | undefined;
    for (let i = 0; i < 20 && draining?.status !== 503; i++) draining = await fetch(`${url}/readyz`);
    expect(draining!.status).toBe(503);
    expect(await draining!.json()).toEqual({ status: 'draining' });
    expect((await fetch(`${url}/.well-known/openid-configuration`)).status).toBe(200);
    expect(await exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(900);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(output).toContain('"msg":"stopped"');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await database.drop();
  }
}, 40_000);
