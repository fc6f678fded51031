import { compareSides, HttpAgent, parseForm, recordSecurityResult, startTestPortal, type AgentResponse, type Probe, type TestPortal } from '@portal/portal/testing';

/**
 * The email change of My Profile (issue 14, part 2) must not tell a signed-in person whose address
 * exists: asking to move one's account to an address another account already uses answers exactly
 * as a free address does — the same SQL, the same page (the address itself masked), the same
 * server time by ranks (the enumeration harness, a suspect step measured twice). And the code's
 * tries are counted atomically: a burst of wrong codes gets exactly RECOVERY_CODE_MAX_ATTEMPTS
 * compares, then the change is abandoned, as for reset codes.
 */
const rounds = Number(process.env.TIMING_SAMPLES ?? 300);
const password = 'Correct-Horse-9!';

let t: TestPortal;
let agent: HttpAgent;

beforeAll(async () => {
  t = await startTestPortal();
  await t.directory.createUser({ username: 'mover', email: 'mover@example.org', password, name: 'Mover Person' });
  await t.directory.createUser({ username: 'owner', email: 'taken@example.org', password, name: 'Owner Person' });
  agent = await signedIn('mover');
}, 60_000);

afterAll(async () => {
  await t?.close();
});

async function signedIn(username: string): Promise<HttpAgent> {
  const a = new HttpAgent(t.url);
  const login = await a.follow(`${t.url}/login`);
  const home = await a.completeSteps(await a.submitSignIn(login.response, username, password));
  expect(home.response.body).toContain('<h1 id="home-title">HHS Enterprise Portal</h1>');
  return a;
}

/** Edit Profile's form as the page gives it, ready to post with a new address. */
async function editForm(a: HttpAgent): Promise<{ action: string; fields: Record<string, string> }> {
  const page = await a.request(`${t.url}/profile/edit`);
  expect(page.status).toBe(200);
  return parseForm(page.body, page.url);
}

type Step = 'request';
/** The page after the request, with what differs by nature masked: the address asked for, the flow and CSRF values. */
const masked = (res: AgentResponse) => ({
  status: res.status,
  type: res.headers.get('content-type'),
  body: res.body.replace(/[\w.+-]+@example\.org/g, '<address>').replace(/value="[A-Za-z0-9_-]{16,}"/g, 'value="<id>"'),
});

test(`asking for an address another account uses looks exactly like asking for a free one (${rounds} rounds)`, async () => {
  const verdicts = await compareSides<Step>({
    portal: t,
    steps: ['request'],
    rounds,
    shape: masked,
    async round({ a, b }, aFirst, i) {
      const sides: [Probe<Step>, string][] = [
        [a, 'taken@example.org'],
        [b, `free-${i}@example.org`],
      ];
      for (const [probe, email] of aFirst ? sides : sides.reverse()) {
        const form = await editForm(agent);
        await probe.step('request', () => agent.request(form.action, { method: 'POST', form: { ...form.fields, email } }), (answer) => agent.request(new URL(answer.location ?? '/profile/email', t.url).href));
      }
    },
  });
  const [v] = verdicts;
  expect(v!.shape.a).toMatchObject({ status: 200 });
  expect((v!.shape.a as { body: string }).body).toContain('We emailed a security code to');
  expect(v!.shape.b).toEqual(v!.shape.a);
  expect(v!.sql.b).toEqual(v!.sql.a);
  expect(v!.confirmed).toBe(false);
  // The owner of the address in use was not moved, nor told anything by this.
  expect((await t.portal.services.users.findByUsername('owner'))!.email).toBe('taken@example.org');
  recordSecurityResult({ check: 'timing: email change (address in use vs free)', figures: { n: v!.samples, 'shift ms': Number(v!.first.shift.toFixed(3)), p: Number(v!.first.p.toPrecision(2)) } });
}, 900_000);

test('a burst of 50 wrong codes gets exactly five compares, then the change is abandoned', async () => {
  const burst = await signedIn('owner');
  const form = await editForm(burst);
  const asked = await burst.follow(form.action, { form: { ...form.fields, email: 'owner-new@example.org' } });
  const codeForm = parseForm(asked.response.body, asked.response.url);
  expect(codeForm.fields.code).toBeDefined();
  const answers = await Promise.all(Array.from({ length: 50 }, () => burst.request(codeForm.action, { method: 'POST', form: { ...codeForm.fields, code: '000000' } })));
  const statuses = answers.map((a) => a.status);
  // Each compare of a wrong code writes one audit row: exactly five, whatever the burst; four said
  // "not correct" (400), the fifth abandoned the change, and every other request was refused
  // without a compare (429 / 410). None was a 5xx.
  const owner = (await t.portal.services.users.findByUsername('owner'))!;
  const compared = Number((await t.db('audit_events').where({ action: 'profile.email_change_failure', subject_user_id: owner.id }).count({ n: '*' }))[0]!.n);
  expect(compared).toBe(5);
  expect(statuses.filter((s) => s === 400)).toHaveLength(4);
  expect(statuses.every((s) => [400, 410, 429].includes(s))).toBe(true);
  expect((await t.portal.services.users.findByUsername('owner'))!.email).toBe('taken@example.org');
  recordSecurityResult({ check: 'email change: 50 parallel wrong codes', figures: { requests: 50, compares: compared } });
}, 60_000);
