import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import knex from 'knex';

/**
 * The operator CLI exactly as operators run it (`pnpm portal …` = tsx cli/main.ts), against a real
 * database file — or a fresh PostgreSQL database when TEST_DATABASE_URL is set.
 */
const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const cliMain = join(root, 'packages/portal/src/cli/main.ts');

let databaseUrl: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const pg = process.env.TEST_DATABASE_URL;
  if (pg?.startsWith('postgres')) {
    const name = `portal_cli_${randomBytes(5).toString('hex')}`;
    const admin = knex({ client: 'pg', connection: pg, pool: { min: 0, max: 1 } });
    await admin.raw(`create database ${name}`);
    const url = new URL(pg);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    cleanup = async () => {
      await admin.raw(`drop database if exists ${name} with (force)`);
      await admin.destroy();
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'portal-cli-'));
    databaseUrl = `sqlite:${join(dir, 'portal.sqlite')}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
});

afterAll(() => cleanup?.());

async function portal(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, [cliMain, ...args], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('migrate, then org:create, user:create, client:create and keys:rotate print one JSON object each', async () => {
  expect((await portal('migrate', '--json')).code).toBe(0);

  const org = await portal('org:create', '--code', 'CLINIC1', '--iis-id', '0123456789', '--name', 'Clinic One', '--json');
  expect(org.code).toBe(0);
  expect(JSON.parse(org.stdout)).toMatchObject({ code: 'CLINIC1', iis_id: '0123456789', name: 'Clinic One' });

  const user = await portal('user:create', '--username', '00012345678', '--email', 'e@example.org', '--name', 'Erin', '--temporary', '--org', 'CLINIC1:full_access_provider:primary', '--json');
  expect(user.code).toBe(0);
  const created = JSON.parse(user.stdout);
  expect(created.username).toBe('00012345678');
  expect(created.temporary_password).toMatch(/^.{12,}$/);

  // Leading zeros are significant: 12345678 is a different, free username.
  const other = await portal('user:create', '--username', '12345678', '--email', 'f@example.org', '--password', 'Another-Pass-1!', '--json');
  expect(other.code).toBe(0);

  const client = await portal(
    'client:create', '--name', 'ImmTrac2', '--redirect-uri', 'https://registry.example/callback',
    '--backchannel-logout-uri', 'https://registry.example/backchannel-logout', '--app', 'registry', '--json',
  );
  expect(client.code).toBe(0);
  const { client_id, client_secret } = JSON.parse(client.stdout);
  expect(client_id).toMatch(/^immtrac2-/);
  expect(client_secret.length).toBeGreaterThanOrEqual(43);

  const machine = await portal('client:create', '--name', 'HL7 feed', '--grant', 'client_credentials', '--auth-method', 'client_secret_post', '--json');
  expect(machine.code).toBe(0);

  const rotated = await portal('keys:rotate', '--json');
  expect(rotated.code).toBe(0);
  expect(JSON.parse(rotated.stdout).kid).toEqual(expect.any(String));

  const unlock = await portal('user:unlock', '--username', '00012345678', '--reason-code', 'locked_out', '--reason', 'Called the help line, verified', '--json');
  expect(unlock.code).toBe(0);
  expect(JSON.parse(unlock.stdout)).toMatchObject({ username: '00012345678', unlocked: true });

  // The secret is stored only as a hash; what the operator saw is nowhere in the database.
  const db = databaseUrl.startsWith('sqlite:')
    ? knex({ client: 'better-sqlite3', connection: { filename: databaseUrl.slice(7) }, useNullAsDefault: true })
    : knex({ client: 'pg', connection: databaseUrl });
  const row = await db('oidc_clients').where({ client_id }).first();
  await db.destroy();
  expect(JSON.stringify(row)).not.toContain(client_secret);
}, 120_000);

test.each([
  [['user:create', '--username', 'dup', '--email', 'd@example.org', '--password', 'Good-Pass-123!'], 0, ''],
  [['user:create', '--username', 'DUP', '--email', 'd@example.org', '--password', 'Good-Pass-123!'], 1, 'username DUP is already taken'],
  [['user:create', '--username', 'xx1', '--email', 'x@example.org', '--password', 'Good-Pass-123!', '--org', 'NOPE:view_only'], 1, 'unknown organization NOPE'],
  [['user:create', '--username', 'xx2', '--email', 'x@example.org', '--password', 'Good-Pass-123!', '--org', 'CLINIC1:boss'], 1, 'role must be one of'],
  [['user:create', '--username', 'xx3', '--email', 'not-an-email', '--password', 'Good-Pass-123!'], 1, 'email: not a valid address'],
  [['user:create', '--username', 'xx4', '--email', 'x@example.org'], 1, 'give --password P or --temporary'],
  [['user:create', '--username', 'xx5', '--email', 'x@example.org', '--temporary', '--role', 'root'], 2, '--role must be helpdesk or admin'],
  [['org:create', '--code', 'C2', '--iis-id', '12', '--name', 'Short id'], 1, 'iis-id: exactly 10 digits'],
  [['org:create', '--code', 'CLINIC1', '--iis-id', '0123456780', '--name', 'Again'], 1, 'organization CLINIC1 already exists'],
  [['client:create', '--name', 'Bad', '--redirect-uri', 'not a uri'], 1, 'not a valid absolute URL'],
  [['client:create', '--name', 'Bad', '--redirect-uri', 'https://a.example/cb#frag'], 1, 'must not contain a fragment'],
  [['client:create', '--name', 'Bad', '--public', '--grant', 'client_credentials'], 1, 'a public client cannot use client_credentials'],
  [['client:create', '--name', 'Bad'], 1, 'give at least one --redirect-uri'],
  [['user:unlock', '--username', 'ghost', '--reason-code', 'locked_out', '--reason', 'Called the help line'], 1, 'no user ghost'],
  [['user:unlock', '--username', 'ghost'], 2, '--reason-code and --reason are required: every action needs a reason'],
  [['user:create', '--username'], 2, "Option '--username <value>' argument missing"],
  [['user:create', '--bogus'], 2, "Unknown option '--bogus'"],
  [['frobnicate'], 2, 'Unknown command "frobnicate"'],
])('%j exits %i with a clear message', async (args, code, message) => {
  const result = await portal(...(args as string[]));
  expect(result.code).toBe(code);
  if (message) expect(result.stderr).toContain(message);
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // never a stack trace
}, 60_000);
