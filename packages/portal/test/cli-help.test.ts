import { portalCli } from './fixtures/portal-cli.js';

/** Operator CLI (issue 8 §4): `--help` on every command prints its usage and exits 0, without a database. */
const everyCommand = [
  'migrate', 'org:create', 'user:create', 'user:unlock', 'user:disable', 'user:enable', 'user:reset-code', 'user:temporary-password', 'user:sessions:end', 'user:second-factor:remove',
  'client:create', 'client:rotate-secret', 'aua:publish', 'keys:rotate', 'seed:scale', 'audit:verify', 'audit:export', 'audit:purge',
];

test.each(everyCommand)('%s --help prints its usage and exits 0, without opening the database', async (name) => {
  // A database nobody can reach: help must not need one.
  const result = await portalCli('postgres://nobody@127.0.0.1:1/none', [name, '--help']);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(new RegExp(`^Usage: pnpm portal ${name}( |\\n)`));
  expect(result.stdout.split('\n').length).toBeGreaterThan(2); // usage, blank line, what it does
  expect(result.stderr).not.toMatch(/error|failure/i);
}, 60_000);

test('help: --help, help COMMAND and -h; no command at all is a usage error', async () => {
  const top = await portalCli('sqlite::memory:', ['--help']);
  expect(top.code).toBe(0);
  // Every command the CLI lists is one this file asks for --help.
  const listed = top.stdout.split('\n').filter((line) => /^  [a-z]/.test(line)).map((line) => line.trim().split(' ')[0]);
  expect(listed).toEqual(everyCommand);
  const topic = await portalCli('sqlite::memory:', ['help', 'client:create']);
  expect(topic.code).toBe(0);
  expect(topic.stdout).toContain('Usage: pnpm portal client:create --name N');
  expect((await portalCli('sqlite::memory:', ['user:create', '-h'])).stdout).toContain('Usage: pnpm portal user:create --username U');
  expect((await portalCli('sqlite::memory:', [])).code).toBe(2);
}, 60_000);
