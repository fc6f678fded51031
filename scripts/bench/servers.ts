import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import knex from 'knex';
import type { Target } from './oidc-client.js';
import { freePort, onCleanup, runCommand, startChild, tempDir, waitUntilServing, type Child } from './processes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const redirectUri = 'http://127.0.0.1:3999/callback'; // never fetched: the driver reads the code off the redirect
export const benchPassword = 'Bench-Password-9!';

export interface Server {
  target: Target;
  child: Child;
}

/** The environment a child gets: nothing of the caller's portal settings, except the argon2 parameters and glibc malloc tunables to bench. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([k]) => ['PATH', 'HOME', 'TMPDIR', 'UV_THREADPOOL_SIZE'].includes(k) || k.startsWith('ARGON2_') || k.startsWith('MALLOC_'));
  return { ...Object.fromEntries(kept), ...extra };
}

/** The bare oidc-provider (bare-provider.ts, transpiled like the portal's build: plain node, no loader) on its own SQLite file. */
export async function startBare(): Promise<Server> {
  const dir = tempDir();
  // Beside the root node_modules, so that its imports resolve as they do from scripts/bench.
  const script = join(root, 'node_modules/.cache/portal-bench', `bare-provider-${process.pid}.mjs`);
  await build({ entryPoints: [join(root, 'scripts/bench/bare-provider.ts')], outfile: script, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
  onCleanup(() => rmSync(script, { force: true }));
  const port = await freePort();
  const app = { clientId: 'bench-app', clientSecret: randomBytes(32).toString('base64url'), redirectUri };
  const machine = { clientId: 'bench-machine', clientSecret: randomBytes(32).toString('base64url') };
  const clients = [
    { client_id: app.clientId, client_secret: app.clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] },
    { client_id: machine.clientId, client_secret: machine.clientSecret, redirect_uris: [], grant_types: ['client_credentials'], response_types: [] },
  ];
  const child = startChild(process.execPath, [script], {
    env: childEnv({ NODE_ENV: 'production', BARE_PORT: String(port), BARE_DATABASE: join(dir, 'bare.sqlite'), BARE_CLIENTS: JSON.stringify(clients) }),
    logFile: join(dir, 'bare.log'),
    cwd: root,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilServing(`${url}/.well-known/openid-configuration`, child);
  return { child, target: { name: 'bare', url, pid: child.pid, scope: 'openid profile email', app, machine } };
}

export interface Portal extends Server {
  databaseUrl: string;
  /** The admin API client (helpdesk:read), for the help-desk search over HTTP. */
  helpdesk: { clientId: string; clientSecret: string };
  /** Runs the production CLI on the portal's database; returns its --json answer. */
  cli(...args: string[]): Promise<Record<string, unknown>>;
}

/** A fresh database for the portal: a temp SQLite file, or a new database on BENCH_DATABASE_URL's PostgreSQL server. */
async function freshDatabase(dir: string, serverUrl: string | undefined): Promise<string> {
  if (!serverUrl) return `sqlite:${join(dir, 'portal.sqlite')}`;
  if (!/^postgres(ql)?:\/\//.test(serverUrl)) throw new Error('BENCH_DATABASE_URL must be a postgres:// URL (SQLite is the default)');
  const name = `portal_bench_${randomBytes(6).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${name}`);
  onCleanup(async () => {
    await admin.raw(`drop database if exists ${name} with (force)`);
    await admin.destroy();
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The portal's production build (`pnpm build` output, `node --conditions=production`) on a fresh
 * database, set up with its own CLI: the two clients, an admin-API client and `seed:scale` users
 * who all sign in with `benchPassword`.
 */
export async function startPortal(options: { databaseServerUrl: string | undefined; users: number; orgs: number; logLevel: string }): Promise<Portal> {
  const dir = tempDir();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const databaseUrl = await freshDatabase(dir, options.databaseServerUrl);
  const env = childEnv({
    // Not `production`: that refuses an http issuer. Nothing else in the portal reads NODE_ENV.
    NODE_ENV: 'development',
    DEMO_DATA: 'false',
    LOG_LEVEL: options.logLevel,
    DATABASE_URL: databaseUrl,
    PORTAL_URL: url,
    PORTAL_PORT: String(port),
    PORTAL_HOST: '127.0.0.1',
    COOKIE_KEYS: randomBytes(32).toString('base64url'),
    // Nothing the bench does sends mail; were something to, it would fail loudly, not be caught.
    SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
    // One client address drives all the load: the per-IP form limit would throttle it (ENVIRONMENT.md).
    SIGNIN_RATE_LIMIT_PER_MINUTE: '1000000',
    SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '10000000',
    // As docs/operations.md starts it: one malloc arena, so argon2's 19 MiB blocks are reused and
    // given back instead of one kept per thread-pool thread.
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '1',
  });
  const cli = async (...args: string[]) => {
    const out = await runCommand(process.execPath, ['--conditions=production', join(root, 'packages/portal/dist/cli/main.js'), ...args, '--json'], { env, cwd: dir });
    return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
  };
  const secretOf = (r: Record<string, unknown>) => ({ clientId: String(r.client_id), clientSecret: String(r.client_secret) });
  await cli('migrate');
  const app = { ...secretOf(await cli('client:create', '--name', 'Bench app', '--redirect-uri', redirectUri)), redirectUri };
  const machine = secretOf(await cli('client:create', '--name', 'Bench machine', '--grant', 'client_credentials'));
  const helpdesk = secretOf(await cli('client:create', '--name', 'Bench help desk', '--grant', 'client_credentials', '--scope', 'helpdesk:read'));
  await cli('seed:scale', '--users', String(options.users), '--orgs', String(options.orgs), '--password', benchPassword);

  // cwd is the temp dir, so a developer's ./.env is not read.
  // BENCH_PORTAL_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/portal-prof": a profile of the portal's run, written when it stops.
  const nodeArgs = (process.env.BENCH_PORTAL_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = startChild(process.execPath, [...nodeArgs, '--conditions=production', join(root, 'packages/portal/dist/main.js')], { env, logFile: join(dir, 'portal.log'), cwd: dir });
  await waitUntilServing(`${url}/.well-known/openid-configuration`, child);
  return { child, databaseUrl, helpdesk, cli, target: { name: 'portal', url, pid: child.pid, scope: 'openid profile email orgs', app, machine } };
}

/** `pnpm build`: the production output the portal runs from. */
export async function buildPortal(): Promise<void> {
  await runCommand(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root });
}
