import { createHash } from 'node:crypto';
import { startTestPortal, HttpAgent, parseForm, type AgentResponse, type TestPortal } from '../src/testing/index.js';

/**
 * Redaction corpus (issue #8 §6): known secrets are planted — a password, a security answer, an
 * emailed reset code, client secrets, a temporary password — then every help-desk and admin action
 * is run through the console, the libraries behind the API and the CLI, and the audit export; then
 * every response body, every audit row, the CSV export and every log line are searched for them.
 * A secret may appear exactly once: in the one answer that hands it over (a new temporary password,
 * a new client secret), and nowhere else. No hash of any of them may appear at all.
 */
const password = 'Plain-Secret-Pass-81!';
const answer = 'Purple Zebra Seventy Seven';
const reason = { reason_code: 'caller_verified_phone', reason: 'Caller verified by first pet answer' };
const libReason = { code: 'caller_verified_phone', text: 'Caller verified by first pet answer' };

const logLines: string[] = [];
let t: TestPortal;

/** A browser whose every answer is kept for the search. */
class RecordingAgent extends HttpAgent {
  readonly pages: AgentResponse[] = [];
  override async request(url: string, init: Parameters<HttpAgent['request']>[1] = {}): Promise<AgentResponse> {
    const response = await super.request(url, init);
    this.pages.push(response);
    return response;
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

beforeAll(async () => {
  t = await startTestPortal({ logSink: (line) => logLines.push(line) });
  await t.directory.createOrg({ code: 'HCP01', iisId: '0000012345', name: 'Hill Country Pediatrics' });
  await t.directory.createUser({ username: 'pat', name: 'Pat Provider', email: 'pat@example.org', password, orgs: ['HCP01:full_access_provider'] });
  await t.directory.createUser({ username: 'dana', name: 'Dana Desk', email: 'dana@example.org', password, role: 'helpdesk' });
  await t.directory.createUser({ username: 'ada', name: 'Ada Admin', email: 'ada@example.org', password, role: 'admin' });
  const pat = (await t.portal.services.users.findByUsername('pat'))!;
  await t.portal.services.securityQuestions.save(pat.id, [
    { questionId: 'first-pet', answer },
    { questionId: 'first-car', answer: 'Ford Pinto' },
    { questionId: 'favorite-teacher', answer: 'Smith' },
  ], {});
}, 60_000);

afterAll(() => t?.close());

const signedIn = (username: string) => new RecordingAgent(t.url).signInToPortal(username, password);

async function act(agent: HttpAgent, userId: string, action: string): Promise<AgentResponse> {
  const confirm = await agent.request(`${t.url}/helpdesk/users/${userId}/${action}`);
  const form = parseForm(confirm.body, confirm.url);
  return (await agent.follow(form.action, { form: { ...form.fields, ...reason } })).response;
}

test('no secret or hash leaves the portal except in the one answer that hands it over', async () => {
  const pat = (await t.portal.services.users.findByUsername('pat'))!;
  const desk = await signedIn('dana');
  const handedOver = new Map<string, AgentResponse | string>(); // secret → the one place it may appear

  // Someone types their password into the username box, twice (once at Forgot Password). Their own
  // page may show them what they typed; the audit rows and the logs must not keep it.
  const typo = new RecordingAgent(t.url);
  const login = await typo.follow(`${t.url}/login`);
  await typo.submitSignIn(login.response, password, 'whatever-else');
  const forgot = await typo.request(`${t.url}/forgot-password`);
  const form = parseForm(forgot.body, forgot.url);
  await typo.follow(form.action, { form: { ...form.fields, username: password } });

  // The desk: search, card, caller verification (with the real answer and email typed), every action.
  await desk.request(`${t.url}/helpdesk?field=name&q=pat`);
  const card = await desk.request(`${t.url}/helpdesk/users/${pat.id}`);
  const verify = parseForm(card.body, card.url);
  await desk.request(verify.action, { form: { csrf: verify.fields.csrf!, method: 'question', question: 'first-pet', answer } });
  await desk.request(verify.action, { form: { csrf: verify.fields.csrf!, method: 'email', email: 'pat@example.org' } });
  await act(desk, pat.id, 'reset-code');
  const mail = await t.mail.waitFor((m) => m.to.includes('pat@example.org') && m.subject === 'Your HHS Enterprise Portal security code');
  const resetCode = /^\s*(\d{6})\s*$/m.exec(mail.text)![1]!;
  const temporaryPage = await act(desk, pat.id, 'temporary-password');
  const temporary = /<code>([^<]+)<\/code>/.exec(temporaryPage.body)![1]!;
  handedOver.set(temporary, temporaryPage);
  for (const action of ['unlock', 'end-sessions', 'disable', 'enable']) await act(desk, pat.id, action);
  await t.db('users').where({ id: pat.id }).update({ password_reset_at: Date.now() });
  await act(desk, pat.id, 'clear-reset-limit');
  await desk.request(`${t.url}/helpdesk/users/${pat.id}`);

  // Administration, through the library every admin page and API route calls.
  const ada = (await t.portal.services.users.findByUsername('ada'))!;
  const admin = { kind: 'person', userId: ada.id, username: 'ada', role: 'admin' } as const;
  const created = await t.portal.administration.createUser(admin, { username: 'newbie', email: 'newbie@example.org', name: 'New Person' }, libReason, {});
  handedOver.set(created.temporary_password!, JSON.stringify(created));
  const client = await t.portal.administration.createClient(admin, { name: 'Feed', grants: ['client_credentials'] }, libReason, {});
  handedOver.set(client.client_secret!, JSON.stringify(client));
  const rotated = await t.portal.administration.rotateSecret(admin, client.client_id, 3_600_000, libReason, {});
  handedOver.set(rotated.clientSecret, JSON.stringify(rotated));
  await t.portal.administration.updateUser(admin, pat.id, { name: 'Pat Provider', email: 'pat.provider@example.org', phone: '512-555-0100' }, libReason, {});
  await t.portal.administration.setRole(admin, (await t.portal.services.users.findByUsername('newbie'))!.id, 'helpdesk', libReason, {});
  const listed = JSON.stringify(await t.portal.administration.listClients(admin));

  // The administration pages: a new user, a new application, a rotation, an AUA, a role.
  const adminAgent = await signedIn('ada');
  const submit = async (path: string, fields: Record<string, string>) => {
    const page = await adminAgent.request(`${t.url}${path}`);
    const form = parseForm(page.body, page.url);
    return (await adminAgent.follow(form.action, { form: { ...form.fields, ...fields } })).response;
  };
  const shown = (page: AgentResponse) => /<p class="temporary-password"><code>([^<]+)<\/code>/.exec(page.body)![1]!;
  const pageUser = await submit('/admin/users/new', { username: 'viapage', email: 'viapage@example.org', name: 'Via Page', ...reason });
  handedOver.set(shown(pageUser), pageUser);
  const pageClient = await submit('/admin/applications/new', { name: 'Page feed', grant: 'client_credentials', scopes: 'helpdesk:read', ...reason });
  const pageClientSecret = shown(pageClient);
  handedOver.set(pageClientSecret, pageClient);
  const pageClientId = (await t.db('oidc_clients').where({ name: 'Page feed' }).first()).client_id as string;
  const pageRotated = await submit(`/admin/applications/${encodeURIComponent(pageClientId)}/rotate`, { old_secret_works: '1h', ...reason });
  handedOver.set(shown(pageRotated), pageRotated);
  await submit('/admin/aua/publish', { version: '2027-02', text: 'You agree to use the immunization systems only for your organization. '.repeat(2), ...reason });
  await adminAgent.request(`${t.url}/admin/users/${pat.id}`);
  await adminAgent.request(`${t.url}/admin/applications`);

  // The admin API, with a token of the application just registered (it may read users).
  const api: { url: string; body: string }[] = [];
  const tokenResponse = await fetch(`${t.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${pageClientId}:${shown(pageRotated)}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: `${t.url}/api/admin/v1`, scope: 'helpdesk:read' }),
  });
  const { access_token: bearer } = (await tokenResponse.json()) as { access_token: string };
  for (const path of [`/users?field=name&q=pat`, `/users/${pat.id}`, '/orgs?q=hcp']) {
    const res = await fetch(`${t.url}/api/admin/v1${path}`, { headers: { authorization: `Bearer ${bearer}` } });
    expect(res.status).toBe(200);
    api.push({ url: path, body: await res.text() });
  }

  // The audit log, searched and exported by an administrator.
  await adminAgent.request(`${t.url}/admin/audit`);
  const csv = (await adminAgent.request(`${t.url}/admin/audit/export.csv`)).body;

  const secrets = [password, answer, resetCode, temporary, created.temporary_password!, client.client_secret!, rotated.clientSecret, shown(pageUser), pageClientSecret, shown(pageRotated), bearer];
  const hashes = [
    ...(await t.db('users').pluck('password_hash')),
    ...(await t.db('security_answers').pluck('answer_hash')),
    ...(await t.db('oidc_clients').whereNotNull('secret_hash').pluck('secret_hash')),
    sha256(client.client_secret!),
    sha256(rotated.clientSecret),
    sha256(pageClientSecret),
  ] as string[];
  const places: [string, string][] = [
    ...[...desk.pages, ...adminAgent.pages].map((p): [string, string] => [`response ${p.url}`, p.body]),
    ...(await t.db('audit_events').select()).map((r): [string, string] => [`audit row ${r.id} (${r.action})`, JSON.stringify(r)]),
    ['audit CSV export', csv],
    ...api.map((r): [string, string] => [`admin API ${r.url}`, r.body]),
    ['client list', listed],
    ...logLines.map((l, i): [string, string] => [`log line ${i}`, l]),
  ];
  const found: string[] = [];
  for (const [where, text] of places) {
    for (const secret of secrets) {
      const allowed = handedOver.get(secret);
      const isHandover = allowed !== undefined && (typeof allowed === 'string' ? false : allowed.body === text);
      if (text.includes(secret) && !isHandover) found.push(`${where} holds a secret (${secret.slice(0, 3)}…)`);
    }
    for (const hash of hashes) if (text.includes(hash)) found.push(`${where} holds a stored hash (${hash.slice(0, 12)}…)`);
    if (/\$argon2id\$/.test(text)) found.push(`${where} holds an argon2 hash`);
  }
  expect(found).toEqual([]);
  // The hand-overs themselves: each shown once, on a page nobody caches.
  expect(temporaryPage.headers.get('cache-control')).toBe('no-store');
  expect(places.length).toBeGreaterThan(40);
  expect(logLines.length).toBeGreaterThan(10);
});
