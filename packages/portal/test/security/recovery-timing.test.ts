import { compareSides, maskedShape, recordSecurityResult, startTestPortal, HttpAgent, parseForm, textOf, type Probe, type TestPortal } from '../../src/testing/index.js';

/**
 * Forgot Password takes the same path and time for known and unknown usernames at every step
 * (SPEC §3.1, §3.6; issue #7). Known and unknown attempts alternate, each step is timed where its
 * work happens (the form POST, as the server spends it: the test's client shares the process, and
 * the mail that leaves after the response would otherwise be counted against the known name), and
 * the two samples are compared by ranks (src/testing/enumeration.ts says when a difference fails), and the answers must
 * be the same — status, headers, cookies and page, apart from the flow's own ids and the question.
 *
 * The known person is the harder case: they answer their first question right, so a code is
 * really generated and mailed to them; the unknown username's answer cannot be right.
 *
 * Two kinds of proof. The same path is asserted exactly: every step sends the same SQL statements
 * (text, in order) for both names. The same time is asserted statistically, and a step that looks
 * different is measured again before it fails: a real difference shows twice, a burst of load
 * from the other test workers on two cores does not. The code mail is left to arrive between
 * steps (the unknown walk waits as long), because in this process the SMTP conversation runs on
 * the same event loop as the next request and would be timed against the known name — a cost an
 * outside guesser cannot trigger, since a code goes out only after a right answer.
 */
// Rounds; each walks both ways (code, questions) for both names: ≥ 200 timings per step and name.
const samples = Number(process.env.TIMING_SAMPLES ?? 200);
const password = 'Correct-Horse-9!';

let t: TestPortal;
const known = 'timing-known';
const unknown = 'timing-nobody';

beforeAll(async () => {
  t = await startTestPortal();
  await t.directory.createUser({ username: known, email: 'timing@example.org', password, name: 'Known Person' });
  const agent = new HttpAgent(t.url);
  const login = await agent.follow(`${t.url}/login`);
  await agent.completeSteps(await agent.submitSignIn(login.response, known, password)); // AUA and questions ("answer 1…3")
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const catalogueOrder = ['What was the name of your first pet?', 'What was the name of the street you lived on as a child?', 'What was the first name of your best friend as a child?'];

type Step = 'identify' | 'question' | 'choose_method' | 'enter_code' | 'answer_questions';
const steps: Step[] = ['identify', 'question', 'choose_method', 'enter_code', 'answer_questions'];

// How long the last code mail took to arrive: the unknown walk waits as long at the same point.
let mailWaitMs = 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One person through Forgot Password, each step's POST timed by the probe. */
async function walk(username: string, method: 'email' | 'questions', probe: Probe<Step>) {
  const agent = new HttpAgent(t.url);
  let page = await agent.request(`${t.url}/forgot-password`);
  const step = async (name: Step, fields: Record<string, string>) => {
    const form = parseForm(page.body, page.url);
    page = await probe.step(name, () => agent.request(form.action, { form: { ...form.fields, ...fields } }), async (answer) => (answer.status === 303 ? agent.request(answer.location!) : answer));
  };
  await step('identify', { username });
  const question = textOf(/<label class="usa-label" for="answer">([^<]+)<\/label>/.exec(page.body)![1]!);
  // The known person knows their answer; nobody knows the unknown username's.
  await step('question', { answer: username === known ? `Answer ${catalogueOrder.indexOf(question) + 1}` : 'Answer 1' });
  // The newest mail's id: the catcher keeps only the last 200, so their count stops growing.
  const newest = () => t.mail.messages()[0]?.id;
  const mailed = newest();
  await step('choose_method', { method });
  if (method === 'email') {
    if (username === known) {
      const started = performance.now();
      // Bounded: a code mail that never arrives fails the test plainly instead of hanging it.
      while (newest() === mailed) {
        if (performance.now() - started > 10_000) throw new Error('the recovery code mail did not arrive within 10 s');
        await sleep(1);
      }
      mailWaitMs = performance.now() - started;
    } else await sleep(mailWaitMs);
    await step('enter_code', { code: '000000' });
  } else await step('answer_questions', { answer_0: 'not it', answer_1: 'not it either' });
}

test(`every Forgot Password step answers known and unknown usernames alike, on the same path, in the same time (${samples} rounds of alternated tries)`, async () => {
  const verdicts = await compareSides<Step>({
    portal: t,
    steps,
    rounds: samples,
    // The question asked differs by nature (the known person's own, a plausible one for the other).
    shape: (page) => maskedShape(page, [known, unknown], (body) => body.replace(/<label class="usa-label" for="answer(_\d)?">[^<]*<\/label>/g, '<label>…</label>')),
    async round({ a, b }, knownFirst) {
      for (const method of ['email', 'questions'] as const) {
        for (const who of knownFirst ? [known, unknown] : [unknown, known]) await walk(who, method, who === known ? a : b);
      }
    },
  });
  for (const v of verdicts) {
    expect({ step: v.step, ...(v.shape.b as object) }).toEqual({ step: v.step, ...(v.shape.a as object) });
    expect({ step: v.step, sql: v.sql.b }).toEqual({ step: v.step, sql: v.sql.a });
    expect({ step: v.step, confirmed: v.confirmed }).toEqual({ step: v.step, confirmed: false });
  }
  recordSecurityResult({ check: 'timing: Forgot Password', figures: Object.fromEntries(verdicts.flatMap((v) => [[`${v.step} shift ms`, Number(v.first.shift.toFixed(3))], [`${v.step} p`, Number(v.first.p.toPrecision(2))]])) });
  // The known person really was mailed codes (the path measured is the real one).
  expect(t.mail.messages().filter((m) => m.to.includes('timing@example.org')).length).toBeGreaterThan(0);
}, 900_000);
