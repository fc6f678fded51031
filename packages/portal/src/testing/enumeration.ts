import type { AgentResponse } from './http-agent.js';
import type { TestPortal } from './index.js';
import { compareTimings, type TimingComparison } from './timing.js';

/**
 * Enumeration tests (issue 14, part 2): do two kinds of request — a known and an unknown username,
 * a locked account and a locked unknown name — look alike from outside? Two proofs, one harness:
 *
 * - **The same path**, exactly: every step sends the same SQL statements (text, in order) for both
 *   sides, and answers the same shape (status, headers, cookies and page, as `shape` masks them).
 * - **The same time**, statistically: the server's time for each step (as `lastServerMs` measures
 *   it, without the in-process client's own work), alternated side by side and compared by ranks.
 *   A step that looks different is measured again, afresh, and fails only if the second look agrees
 *   (same direction): a real difference shows twice, a burst of load from the other test workers on
 *   two cores does not.
 *
 * A difference counts when it is both real (Mann–Whitney p < 0.001) and material (a Hodges–Lehmann
 * shift over 0.1 ms, or over 2% of the step's own time, whichever is larger: argon2 on two busy
 * cores jitters by milliseconds), or when the shift reaches `maxGapMs` (5 ms) whatever p says. The
 * shift (the median of all a − b differences) is used rather than the gap between medians, which
 * swings by several ms on a loaded machine when a step's times spread wide. A leak the size of the
 * 0.15–0.35 ms once measured from outside on these steps is material.
 */
export interface Probe<Step extends string> {
  /**
   * Sends one request of step `name`, timing it as the server spends it and keeping its SQL; the
   * shape kept is that of `view(answer)` when given (say, the page a redirect leads to), which is
   * also what the call resolves to.
   */
  step(name: Step, send: () => Promise<AgentResponse>, view?: (answer: AgentResponse) => Promise<AgentResponse>): Promise<AgentResponse>;
}

export interface StepVerdict<Step extends string> {
  step: Step;
  /** How many timings each side gave. */
  samples: number;
  first: TimingComparison;
  /** The second look, when the first one counted as a difference. */
  again?: TimingComparison;
  /** A difference seen twice in the same direction: a leak. */
  confirmed: boolean;
  sameSql: boolean;
  sameShape: boolean;
  sql: { a: string[]; b: string[] };
  shape: { a: unknown; b: unknown };
}

interface Side<Step extends string> {
  times: Map<Step, number[]>;
  sql: Map<Step, string[]>;
  shapes: Map<Step, unknown>;
}

export async function compareSides<Step extends string>(options: {
  portal: TestPortal;
  steps: readonly Step[];
  rounds: number;
  warmupRounds?: number;
  maxGapMs?: number;
  /** What of an answer must be identical on both sides (mask what differs by nature: ids, tokens). */
  shape: (res: AgentResponse) => unknown;
  /** One round: walk side a and side b once each (the harness alternates which goes first by `aFirst`). */
  round: (probes: { a: Probe<Step>; b: Probe<Step> }, aFirst: boolean, i: number) => Promise<void>;
}): Promise<StepVerdict<Step>[]> {
  const { portal: t, steps } = options;
  const maxGap = options.maxGapMs ?? Number(process.env.TIMING_MAX_GAP_MS ?? 5);
  let sql: string[] = [];
  // The key ring's timer reloads signing keys every KEYS_REFRESH_SECONDS whatever the requests are
  // (seen once on PostgreSQL, inside one side's step): not the request's SQL, so not compared.
  const background = /^select \* from ["`]signing_keys["`]/;
  const onQuery = (query: { sql: string }) => void (background.test(query.sql) || sql.push(query.sql));
  const side = (): Side<Step> => ({ times: new Map(steps.map((s) => [s, []])), sql: new Map(), shapes: new Map() });
  const probe = (into: Side<Step>): Probe<Step> => ({
    async step(name, send, view) {
      sql = [];
      const answer = await send();
      into.times.get(name)!.push(t.lastServerMs()!);
      into.sql.set(name, [...sql]);
      const page = view ? await view(answer) : answer;
      into.shapes.set(name, options.shape(page));
      return page;
    },
  });
  const measure = async (rounds: number) => {
    const a = side();
    const b = side();
    for (let i = 0; i < rounds; i++) await options.round({ a: probe(a), b: probe(b) }, i % 2 === 0, i);
    return { a, b };
  };
  const judge = (c: TimingComparison) => {
    const material = Math.max(0.1, Math.max(c.medianA, c.medianB) * 0.02);
    return (c.p < 0.001 && Math.abs(c.shift) > material) || Math.abs(c.shift) >= maxGap;
  };

  await measure(options.warmupRounds ?? 5); // JIT, connection pools, the first argon2 hashes
  t.db.on('query', onQuery);
  let first: Awaited<ReturnType<typeof measure>>;
  try {
    first = await measure(options.rounds);
  } finally {
    t.db.off('query', onQuery);
  }
  const comparisons = steps.map((step) => compareTimings(first.a.times.get(step)!, first.b.times.get(step)!));
  const suspects = steps.filter((_, i) => judge(comparisons[i]!));
  const second = suspects.length ? await measure(options.rounds) : undefined;

  return steps.map((step, i) => {
    const c = comparisons[i]!;
    const again = suspects.includes(step) ? compareTimings(second!.a.times.get(step)!, second!.b.times.get(step)!) : undefined;
    const verdict: StepVerdict<Step> = {
      step,
      samples: first.a.times.get(step)!.length,
      first: c,
      ...(again ? { again } : {}),
      confirmed: again !== undefined && judge(again) && Math.sign(again.shift) === Math.sign(c.shift),
      sameSql: JSON.stringify(first.a.sql.get(step)) === JSON.stringify(first.b.sql.get(step)),
      sameShape: JSON.stringify(first.a.shapes.get(step)) === JSON.stringify(first.b.shapes.get(step)),
      sql: { a: first.a.sql.get(step) ?? [], b: first.b.sql.get(step) ?? [] },
      shape: { a: first.a.shapes.get(step), b: first.b.shapes.get(step) },
    };
    if (process.env.TIMING_REPORT) {
      const line = (label: string, x: TimingComparison) => `[timing] ${String(step).padEnd(17)} ${label} a ${x.medianA.toFixed(2)} ms, b ${x.medianB.toFixed(2)} ms, shift ${x.shift.toFixed(3)} ms [${x.shiftLow.toFixed(3)}, ${x.shiftHigh.toFixed(3)}], p = ${x.p.toPrecision(2)}\n`;
      process.stderr.write(line('first', c) + (again ? line('again', again) : ''));
    }
    return verdict;
  });
}

/** A page with what differs by nature masked: form ids and tokens, and the names given. */
export function maskedShape(page: AgentResponse, names: readonly string[], extra: (body: string) => string = (b) => b) {
  let body = page.body.replace(/name="(csrf|flow|captcha_id)" value="[^"]*"/g, 'name="$1" value="…"').replace(/\/interaction\/[A-Za-z0-9_-]+/g, '/interaction/…');
  for (const name of [...names].sort((x, y) => y.length - x.length)) body = body.replaceAll(name, '…'); // longest first: one name may start another
  body = extra(body);
  const headers = [...page.headers.entries()].filter(([name]) => !['date', 'content-length', 'etag', 'set-cookie', 'ratelimit', 'x-request-id'].includes(name));
  const cookies = page.headers.getSetCookie().map((c) => c.replace(/=[^;]*/, '=…'));
  return { status: page.status, location: page.location?.replace(/\/interaction\/[A-Za-z0-9_-]+/g, '/interaction/…').replace(/flow=[^&]+/, 'flow=…'), headers, cookies, body };
}
