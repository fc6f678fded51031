import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPortal, HttpAgent, textOf, type TestPortal } from '../src/testing/index.js';
import { portalCli } from './fixtures/portal-cli.js';

/**
 * The help desk's and the administrator's actions at the operator CLI (issue #8 §4): the same
 * library as the console and the API, so the same reason is required, the same audit row written,
 * and — acting `--actor` as a help-desk user — the same refusal to touch staff accounts.
 */
const password = 'Correct-Horse-9!';
const reason = ['--reason-code', 'locked_out', '--reason', 'Caller verified by phone'];
let t: TestPortal;

beforeAll(async () => {
  t = await startTestPortal();
  await t.directory.createUser({ username: 'pat', email: 'pat@example.org', password, name: 'Pat Provider' });
  await t.directory.createUser({ username: 'desk', email: 'desk@example.org', password, role: 'helpdesk' });
  await t.directory.createUser({ username: 'boss', email: 'boss@example.org', password, role: 'admin' });
}, 60_000);
afterAll(() => t?.close());

// The CLI runs with the portal's own settings (its PORTAL_URL registers the portal's own client).
const cli = (...args: string[]) => portalCli(t.config.databaseUrl, args, { PORTAL_URL: t.url });
const user = async (username: string) => (await t.portal.services.users.findByUsername(username))!;

test('an action without a reason is refused (exit 2) and changes nothing', async () => {
  const result = await cli('user:disable', '--username', 'pat');
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('--reason-code and --reason are required');
  const short = await cli('user:disable', '--username', 'pat', '--reason-code', 'other', '--reason', 'short');
  expect(short.code).toBe(1);
  expect(short.stderr).toContain('Say why in at least 10 characters');
  expect((await user('pat')).disabled_at).toBeNull();
}, 60_000);

test('acting as a help-desk user, the CLI cannot touch an administrator, another desk user or itself', async () => {
  for (const target of ['boss', 'desk']) {
    const result = await cli('user:disable', '--username', target, '--actor', 'desk', ...reason);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/The help desk cannot act on administrators|You cannot do this to your own account/);
    expect((await user(target)).disabled_at).toBeNull();
  }
  const plain = await cli('user:unlock', '--username', 'pat', '--actor', 'pat', ...reason);
  expect(plain.code).toBe(1);
  expect(plain.stderr).toContain('not an active help-desk or admin user');
}, 90_000);

test('disable, enable, temporary password and sessions:end do what the console does, audited with the reason', async () => {
  const disabled = await cli('user:disable', '--username', 'pat', '--actor', 'desk', ...reason, '--ticket', 'INC-7', '--json');
  expect(disabled.code).toBe(0);
  expect(JSON.parse(disabled.stdout)).toMatchObject({ username: 'pat', disabled: true, changed: true });
  const agent = new HttpAgent(t.url);
  const login = await agent.follow(`${t.url}/login`);
  const refused = await agent.submitSignIn(login.response, 'pat', password);
  expect(textOf(refused.response.body)).toContain('The username or password you entered is incorrect');
  const row = await t.db('audit_events').where({ action: 'support.disable', subject_user_id: (await user('pat')).id }).first();
  expect(row.actor_user_id).toBe((await user('desk')).id);
  expect(JSON.parse(row.details)).toMatchObject({ reasonCode: 'locked_out', reason: 'Caller verified by phone', ticket: 'INC-7', via: 'helpdesk_console' });

  expect((await cli('user:enable', '--username', 'pat', ...reason)).code).toBe(0);
  const temporary = await cli('user:temporary-password', '--username', 'pat', ...reason, '--json');
  expect(temporary.code).toBe(0);
  const { temporary_password } = JSON.parse(temporary.stdout);
  expect(temporary_password).toMatch(/^.{16}$/);
  expect((await user('pat')).password_temporary).toBe(true);
  expect(JSON.stringify(await t.db('audit_events'))).not.toContain(temporary_password);
  expect((await cli('user:sessions:end', '--username', 'pat', ...reason)).code).toBe(0);
}, 90_000);

test('client:rotate-secret prints the new secret once; aua:publish publishes a text everyone must accept', async () => {
  const client = await t.directory.createClient({ name: 'Feed', grants: ['client_credentials'] });
  const rotated = await cli('client:rotate-secret', '--client-id', client.client_id, '--old-expires-in', '1h', '--reason-code', 'suspected_compromise', '--reason', 'Secret seen in a ticket', '--json');
  expect(rotated.code).toBe(0);
  const { client_secret } = JSON.parse(rotated.stdout);
  expect(client_secret).not.toBe(client.client_secret);
  for (const secret of [client.client_secret!, client_secret]) {
    const token = await fetch(`${t.url}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(200);
  }
  expect((await cli('client:rotate-secret', '--client-id', client.client_id, '--old-expires-in', 'soon', ...reason)).code).toBe(2);

  const dir = mkdtempSync(join(tmpdir(), 'aua-'));
  const file = join(dir, 'aua.txt');
  writeFileSync(file, 'HHS Acceptable Use Agreement, version 2027-01.\n\nI will use these systems only for the work of my organization, and keep my password to myself.');
  const published = await cli('aua:publish', '--file', file, '--version', '2027-01', '--reason-code', 'other', '--reason', 'Annual legal review of the text', '--json');
  expect(published.code).toBe(0);
  expect((await t.portal.services.aua.current()).version).toBe('2027-01');
  const again = await cli('aua:publish', '--file', file, '--version', '2027-01', '--reason-code', 'other', '--reason', 'Annual legal review of the text');
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('version 2027-01 is already published');
}, 90_000);

test('seed:scale adds a directory at scale whose people can sign in with the shared password', async () => {
  const seeded = await cli('seed:scale', '--users', '2000', '--orgs', '400', '--prefix', 'scale', '--password', password, '--json');
  expect(seeded.code).toBe(0);
  expect(JSON.parse(seeded.stdout)).toMatchObject({ users: 2000, orgs: 400, first_username: 'scale000000' });
  expect(Number((await t.db('users').where('username', 'like', 'scale%').count({ n: '*' }).first())!.n)).toBe(2000);
  const agent = new HttpAgent(t.url);
  await agent.signInToPortal('scale001999', password);
  expect(textOf((await agent.request(`${t.url}/`)).body)).toContain('Welcome,');
  expect((await cli('seed:scale', '--users', 'lots')).code).toBe(2);
}, 90_000);
