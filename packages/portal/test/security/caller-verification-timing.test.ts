import { compareSides, HttpAgent, recordSecurityResult, startTestPortal, type AgentResponse, type Probe, type TestPortal } from '@portal/portal/testing';

/**
 * The help desk's caller verification (issue 14, part 2) answers only "matches" or "does not
 * match": its time and path must not say more. Measured with the enumeration harness (same SQL and
 * answer exactly, same server time by ranks, a suspect step measured twice) through the admin API:
 *
 * - `question`: a wrong answer to a question the person chose, against an answer to a question they
 *   never chose (no stored answer: a dummy argon2 verification instead) — the desk cannot learn
 *   which questions someone picked.
 * - `no_answers`: the same question asked about a person with answers and about one without any.
 *
 * The per-account and per-agent try limits (5 per 15 minutes, 30 an hour) are cleared between
 * rounds, outside the timing; the limits themselves are tested in test/helpdesk.test.ts.
 */
const rounds = Number(process.env.TIMING_SAMPLES ?? 300);
const password = 'Correct-Horse-9!';

let t: TestPortal;
let bearer: string;
let withAnswers: string;
let withoutAnswers: string;
let chosen: string;
let notChosen: string;

beforeAll(async () => {
  t = await startTestPortal();
  const questions = t.portal.services.questionCatalogue.all().map((q) => q.id);
  [chosen, notChosen] = [questions[0]!, questions[3]!];
  withAnswers = (await t.directory.createUser({ username: 'caller-with', email: 'with@example.org', password, name: 'Caller With' })).id;
  withoutAnswers = (await t.directory.createUser({ username: 'caller-without', email: 'without@example.org', password, name: 'Caller Without' })).id;
  const saved = await t.portal.services.securityQuestions.save(withAnswers, questions.slice(0, 3).map((questionId, i) => ({ questionId, answer: `answer ${i + 1}` })), {});
  expect(saved).toEqual({ ok: true });
  const desk = await t.directory.createClient({ name: 'Help desk tool', grants: ['client_credentials'], scopes: ['helpdesk:verify'] });
  const res = await fetch(`${t.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${desk.client_id}:${desk.client_secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'helpdesk:verify', resource: `${t.url}/api/admin/v1` }),
  });
  bearer = ((await res.json()) as { access_token: string }).access_token;
}, 60_000);

afterAll(async () => {
  await t?.close();
});

type Step = 'question' | 'no_answers';
const agent = () => new HttpAgent(t.url);

function ask(probe: Probe<Step>, step: Step, userId: string, questionId: string): Promise<AgentResponse> {
  return probe.step(step, () => agent().request(`${t.url}/api/admin/v1/users/${userId}/verify-caller`, { method: 'POST', json: { method: 'question', questionId, answer: 'not the answer' }, headers: { authorization: `Bearer ${bearer}` } }));
}

test(`caller verification takes as long, and says as much, whichever question and whoever is asked about (${rounds} rounds)`, async () => {
  const verdicts = await compareSides<Step>({
    portal: t,
    steps: ['question', 'no_answers'],
    rounds,
    shape: (res) => ({ status: res.status, body: res.body, type: res.headers.get('content-type') }),
    async round({ a, b }, aFirst) {
      const first: [Probe<Step>, string][] = [[a, chosen], [b, notChosen]];
      for (const [probe, question] of aFirst ? first : first.reverse()) await ask(probe, 'question', withAnswers, question);
      const second: [Probe<Step>, string][] = [[a, withAnswers], [b, withoutAnswers]];
      for (const [probe, user] of aFirst ? second : second.reverse()) await ask(probe, 'no_answers', user, chosen);
      await t.db('action_counters').where('key', 'like', 'verify:%').del();
    },
  });
  for (const v of verdicts) {
    expect({ step: v.step, shape: v.shape.b }).toEqual({ step: v.step, shape: v.shape.a });
    expect({ step: v.step, sql: v.sql.b }).toEqual({ step: v.step, sql: v.sql.a });
    expect({ step: v.step, confirmed: v.confirmed }).toEqual({ step: v.step, confirmed: false });
  }
  expect(verdicts[0]!.shape.a).toMatchObject({ status: 200, body: '{"matches":false}' });
  recordSecurityResult({ check: 'timing: caller verification', figures: Object.fromEntries(verdicts.flatMap((v) => [[`${v.step} n`, v.samples], [`${v.step} shift ms`, Number(v.first.shift.toFixed(3))], [`${v.step} p`, Number(v.first.p.toPrecision(2))]])) });
}, 900_000);
