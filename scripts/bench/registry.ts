// The registry's scale bench (`pnpm bench` includes it; `pnpm bench:registry` runs it alone):
// BENCH_REGISTRY_CLIENTS synthetic clients with ~10 immunizations each (registry-population.ts),
// seeded once and cached (registry-seed.ts), then the real query functions called in-process —
// quick, basic and smart search, and opening a record — for BENCH_REGISTRY_QUERIES subjects drawn
// from the population, whose real names and dates of birth are recomputed from the generator.
// Prints p50/p95/max a kind of call against the issue's targets, smart search's recall, and the
// query plans (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL). Measures only; fails on nothing.
//
// Settings (environment, all optional):
//   BENCH_QUICK=1                     50,000 clients instead of 1,000,000
//   BENCH_REGISTRY_CLIENTS=1000000    the population (quick: 50000)
//   BENCH_REGISTRY_QUERIES=500        subjects, each searched every way and opened (quick: 200)
//   BENCH_DATABASE_URL=postgres://…   PostgreSQL instead of SQLite: a database kept on that server between runs
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createDb, type Db } from '../../packages/db/src/index.js';
import { createClientQueries, type BasicCriteria } from '../../packages/registry/src/queries/clients.js';
import { createImmunizationQueries } from '../../packages/registry/src/queries/immunizations.js';
import { createOrganizationQueries } from '../../packages/registry/src/queries/organizations.js';
import { smartSearch, swappedDayMonth } from '../../packages/registry/src/search/index.js';
import { nameKey, sameGivenName } from '../../packages/registry/src/search/names.js';
import { seededRandom, type Random } from '../../packages/registry/src/demo/synthetic.js';
import { populationClient, type PopulationClient } from './registry-population.js';
import { seedRegistry } from './registry-seed.js';
import { positive, say, type BenchSectionOptions } from './settings.js';
import { fixed, formatTable } from './table.js';


export type RegistryBenchOptions = BenchSectionOptions;


// --- Subjects and what a person would type ----------------------------------------------------

/** Short forms a person may give for the generator's formal names; kept only where the nickname table agrees. */
const nicknames: Record<string, string> = {
  William: 'Bill', James: 'Jim', Benjamin: 'Ben', Daniel: 'Danny', David: 'Dave', Jose: 'Pepe', Michael: 'Mike', John: 'Jack', Jonathan: 'Jon', Robert: 'Bob',
  Christopher: 'Chris', Joshua: 'Josh', Alejandro: 'Alex', Gabriel: 'Gabe', Anthony: 'Tony', Thomas: 'Tom', Samuel: 'Sam', Nicholas: 'Nick', Richard: 'Rick', Jacob: 'Jake',
  Elizabeth: 'Liz', Victoria: 'Vicky', Jennifer: 'Jen', Catherine: 'Kate', Samantha: 'Sam', Alexandra: 'Alex', Rebecca: 'Becky', Patricia: 'Pat', Margaret: 'Maggie',
  Abigail: 'Abby', Emily: 'Emmy', Maria: 'Mari', Guadalupe: 'Lupe',
};

/** One letter dropped from inside the name ("Smith" → "Smth"), or a vowel changed in a short one. */
function typo(rng: Random, name: string): string {
  const letters = [...name];
  if (letters.length >= 5) {
    const at = 1 + Math.floor(rng() * (letters.length - 2));
    return [...letters.slice(0, at), ...letters.slice(at + 1)].join('');
  }
  const vowel = letters.findIndex((c, i) => i > 0 && /[aeiou]/i.test(c));
  if (vowel < 0) return `${name}${name.at(-1)}`;
  letters[vowel] = letters[vowel] === 'e' ? 'a' : 'e';
  return letters.join('');
}

type SmartKind = 'typo in last name' | 'nickname' | 'day and month swapped';
interface Subject {
  who: PopulationClient;
  basic: { shape: string; criteria: BasicCriteria };
  smart: { kind: SmartKind; firstName: string; lastName: string; birthDate: string };
}

const basicShapes: { shape: string; criteria: (c: PopulationClient['client']) => BasicCriteria }[] = [
  { shape: 'last-name prefix (4) + first-name prefix (3)', criteria: (c) => ({ lastName: nameKey(c.lastName).slice(0, 4), firstName: nameKey(c.firstName).slice(0, 3) }) },
  { shape: 'last name + date of birth', criteria: (c) => ({ lastName: c.lastName, birthDate: c.birthDate }) },
  { shape: 'last-name prefix (3) only', criteria: (c) => ({ lastName: nameKey(c.lastName).slice(0, 3) }) },
  { shape: 'date of birth + sex', criteria: (c) => ({ birthDate: c.birthDate, sex: c.sex }) },
  { shape: 'ZIP + last name', criteria: (c) => ({ zip: c.address.zip, lastName: c.lastName }) },
];

function subjects(count: number, clients: number): Subject[] {
  const rng = seededRandom(4_242);
  const out: Subject[] = [];
  for (let n = 0; n < count; n++) {
    const who = populationClient(1 + Math.floor(rng() * clients), clients);
    const c = who.client;
    const shape = basicShapes[n % basicShapes.length]!;
    let kind: SmartKind = (['typo in last name', 'nickname', 'day and month swapped'] as const)[n % 3]!;
    const nickname = nicknames[c.firstName];
    if (kind === 'nickname' && !(nickname && sameGivenName(nickname, c.firstName))) kind = 'typo in last name';
    const swapped = swappedDayMonth(c.birthDate);
    if (kind === 'day and month swapped' && !swapped) kind = 'typo in last name';
    out.push({
      who,
      basic: { shape: shape.shape, criteria: shape.criteria(c) },
      smart: {
        kind,
        firstName: kind === 'nickname' ? nickname! : c.firstName,
        lastName: kind === 'typo in last name' ? typo(rng, c.lastName) : c.lastName,
        birthDate: kind === 'day and month swapped' ? swapped! : c.birthDate,
      },
    });
  }
  return out;
}

// --- Timing ------------------------------------------------------------------------------------

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

interface Timed { label: string; target: number; ms: number[]; rows: number[] }

async function timeEach<T>(label: string, target: number, items: T[], call: (item: T) => Promise<number>): Promise<Timed> {
  // A first pass, not timed: the pages these queries read come into the cache, as in a running registry.
  for (const item of items.slice(0, Math.min(50, items.length))) await call(item);
  const timed: Timed = { label, target, ms: [], rows: [] };
  for (const item of items) {
    const start = performance.now();
    const rows = await call(item);
    timed.ms.push(performance.now() - start);
    timed.rows.push(rows);
  }
  return timed;
}

/** The SQL a call sends, for EXPLAIN: knex's query events while it runs. */
async function statementsOf(db: Db, call: () => Promise<unknown>): Promise<{ sql: string; bindings: unknown[] }[]> {
  const seen: { sql: string; bindings: unknown[] }[] = [];
  const listener = (q: { sql: string; bindings?: unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  db.on('query', listener);
  try {
    await call();
  } finally {
    db.removeListener('query', listener);
  }
  return seen;
}

async function planOf(db: Db, sqlite: boolean, statement: { sql: string; bindings: unknown[] }): Promise<string[]> {
  // knex numbers PostgreSQL's parameters $1, $2, … in binding order; raw() wants ? again.
  const sql = statement.sql.replace(/\$\d+/g, '?');
  const bindings = statement.bindings.map((b) => (typeof b === 'boolean' && sqlite ? Number(b) : b)) as never[];
  if (sqlite) return ((await db.raw(`explain query plan ${sql}`, bindings)) as { detail: string }[]).map((r) => r.detail);
  return ((await db.raw(`explain ${sql}`, bindings)).rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']);
}

// --- The section -------------------------------------------------------------------------------

export async function benchRegistry(options: RegistryBenchOptions): Promise<void> {
  const wallStart = performance.now();
  const load1 = loadavg()[0]!;
  const clientsWanted = positive('BENCH_REGISTRY_CLIENTS', options.quick ? 50_000 : 1_000_000);
  const queries = positive('BENCH_REGISTRY_QUERIES', options.quick ? 200 : 500);
  const sqlite = !options.databaseServerUrl;
  say(`registry bench: ${clientsWanted.toLocaleString('en-US')} clients on ${sqlite ? 'SQLite' : 'PostgreSQL'}, ${queries} subjects`);
  const seeded = await seedRegistry(clientsWanted, options.databaseServerUrl);
  say(`  ${seeded.cached ? 'cached' : 'seeded'}: ${seeded.where}, ${seeded.clients.toLocaleString('en-US')} clients, ${seeded.immunizations.toLocaleString('en-US')} immunizations, ${(seeded.bytes / 2 ** 20).toFixed(0)} MiB`);

  const db = createDb(seeded.databaseUrl);
  try {
    const clients = createClientQueries(db);
    const immunizations = createImmunizationQueries(db);
    const organizations = createOrganizationQueries(db);
    say(`  recomputing ${queries} subjects from the generator…`);
    const list = subjects(queries, seeded.clients);
    // The record as the client page opens it: the row, its organization, the doses, addresses and AKAs.
    const openRecord = async (id: number) => {
      const client = await clients.find(id);
      if (!client) throw new Error(`client ${id} not found`);
      const [org, doses, addresses, akas] = await Promise.all([organizations.find(client.organization_id), immunizations.ofClient(id), clients.addresses(id), clients.akas(id)]);
      if (!org) throw new Error(`client ${id}: no organization`);
      return 1 + doses.length + addresses.length + akas.length;
    };
    const quick = (s: Subject) => clients.quick({ lastKey: nameKey(s.who.client.lastName), firstKey: nameKey(s.who.client.firstName), birthDate: s.who.client.birthDate }, false);
    const smart = (s: Subject) => smartSearch(clients, s.smart, false);
    // Recall: the intended client among smart search's answers (and first among them).
    const found = { any: 0, first: 0, byKind: new Map<SmartKind, { n: number; found: number }>() };
    for (const s of list) {
      const answers = await smart(s);
      const at = answers.findIndex((a) => a.id === s.who.id);
      const kind = found.byKind.get(s.smart.kind) ?? { n: 0, found: 0 };
      kind.n++;
      if (at >= 0) (found.any++, kind.found++);
      if (at === 0) found.first++;
      found.byKind.set(s.smart.kind, kind);
      if (!(await quick(s)).some((c) => c.id === s.who.id)) throw new Error(`quick search did not find client ${s.who.id}`);
    }

    say('  timing…');
    const results: Timed[] = [];
    results.push(await timeEach('quick search', 20, list, async (s) => (await quick(s)).length));
    for (const shape of basicShapes) {
      results.push(await timeEach(`basic: ${shape.shape}`, 20, list.filter((s) => s.basic.shape === shape.shape), async (s) => (await clients.basic(s.basic.criteria, false)).length));
    }
    const basicAll = { label: 'basic search, all shapes', target: 20, ms: results.slice(1).flatMap((r) => r.ms), rows: results.slice(1).flatMap((r) => r.rows) };
    results.splice(1, 0, basicAll);
    results.push(await timeEach('smart search', 100, list, async (s) => (await smart(s)).length));
    results.push(await timeEach('open a record', 20, list, (s) => openRecord(s.who.id)));

    // --- The table ---
    const header = ['operation', 'calls', 'p50 ms', 'p95 ms', 'max ms', 'rows (mean)', 'target p95', 'met'];
    const body = results.map((r) => {
      const sorted = [...r.ms].sort((a, b) => a - b);
      const p95 = percentile(sorted, 95);
      return [r.label, String(r.ms.length), fixed(percentile(sorted, 50), 2), fixed(p95, 2), fixed(sorted.at(-1), 1), fixed(r.rows.reduce((a, b) => a + b, 0) / r.rows.length, 1), `≤ ${r.target} ms`, p95 <= r.target ? 'yes' : 'NO'];
    });
    console.log(`\nRegistry (ImmTrac2) on ${sqlite ? 'SQLite' : 'PostgreSQL'}: ${seeded.clients.toLocaleString('en-US')} clients, ${seeded.immunizations.toLocaleString('en-US')} immunizations, ${seeded.nameKeys.toLocaleString('en-US')} name keys`);
    console.log(formatTable(header, body));
    const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;
    const kinds = [...found.byKind].map(([kind, k]) => `${kind} ${pct(k.found, k.n)} of ${k.n}`).join(', ');
    const withDoses = list.filter((s) => s.who.doses.length);
    console.log(`smart search recall: the intended client found in ${pct(found.any, list.length)} of ${list.length} searches, first in ${pct(found.first, list.length)} (${kinds})`);
    console.log(`records opened: ${list.length} (${withDoses.length} with a history, ${fixed(withDoses.reduce((a, s) => a + s.who.doses.length, 0) / Math.max(1, withDoses.length))} doses on average, up to ${Math.max(0, ...list.map((s) => s.who.doses.length))}); the client row, its organization, doses (ofClient), addresses, AKAs`);
    console.log(`database: ${seeded.where}, ${(seeded.bytes / 2 ** 20).toFixed(0)} MiB; ${seeded.cached ? 'cached from an earlier run' : `seeded in ${fixed(seeded.seedSeconds, 0)} s`}`);

    // --- The plans: one call of each kind ---
    console.log(`\nquery plans (${sqlite ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN'}), one call each:`);
    const sample = list[0]!;
    const planned: [string, () => Promise<unknown>][] = [
      ['quick', () => quick(sample)],
      ...basicShapes.map((shape, i): [string, () => Promise<unknown>] => [`basic: ${shape.shape}`, () => clients.basic(list[i]!.basic.criteria, false)]),
      ['smart (candidates)', () => smart(sample)],
      ['open a record', () => openRecord(sample.who.id)],
    ];
    for (const [label, call] of planned) {
      for (const statement of await statementsOf(db, call)) {
        if (!/^\s*select/i.test(statement.sql)) continue;
        const plan = await planOf(db, sqlite, statement);
        console.log(`  ${label}: ${statement.sql.slice(0, 140)}${statement.sql.length > 140 ? '…' : ''}`);
        for (const line of plan) console.log(`      ${line}`);
      }
    }
    console.log(`environment: node ${process.version}, ${cpus().length} cores, load average ${fixed(load1, 2)} at the start, ${fixed(loadavg()[0], 2)} at the end; ${fixed((performance.now() - wallStart) / 1000, 0)} s`);
  } finally {
    await db.destroy();
  }
}

// `pnpm bench:registry`: this section alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';
  benchRegistry({ quick, databaseServerUrl: process.env.BENCH_DATABASE_URL || undefined }).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
