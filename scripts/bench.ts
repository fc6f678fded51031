// `pnpm bench`: the portal side by side with a bare oidc-provider 9 (issue #9). It builds the portal
// (`pnpm build`) and starts it from its production output, starts scripts/bench/bare-provider.ts
// (oidc-provider with a plain knex-SQLite adapter), each a process of its own on its own database,
// drives both over real HTTP — autocannon for single endpoints, a fetch driver for whole sign-ins —
// alternating bare and portal scenario by scenario, and prints one table; then the registry's scale
// section (scripts/bench/registry.ts) prints its own. It measures only: the targets are read off the
// tables, nothing here fails on them.
//
// Settings (environment, all optional):
//   BENCH_QUICK=1            a run of about a minute (CI): the defaults marked "quick" below
//   BENCH_SECONDS=5          autocannon duration (and sign-in driver duration) per scenario and server (quick: 1)
//   BENCH_CONNECTIONS=10     autocannon connections
//   BENCH_SIGNIN_PARALLEL=8  whole sign-ins in flight at once
//   BENCH_ROUNDS=2           rounds of every scenario on both servers; the table shows each one's best round (quick: 1)
//   BENCH_USERS=100000       the large directory (organizations: a fifth of it); the small one is 1,000 users in 200 (quick: 10000)
//   BENCH_SESSIONS=100000    live SSO sessions added to the portal's database before its last RSS reading (quick: 2000)
//   BENCH_DATABASE_URL=      postgres://… a server whose user may CREATE DATABASE: the portal gets a fresh database on it
//                            for this run (dropped after); unset: a temp SQLite file. The bare provider is always SQLite.
//   BENCH_LOG_LEVEL=info     the portal's LOG_LEVEL (info, its production default, logs a line a request; to a temp file)
//   BENCH_PORTAL_NODE_ARGS=  node options for the portal process only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/portal-prof"
//   ARGON2_MEMORY_KIB, ARGON2_TIME_COST, ARGON2_PARALLELISM, UV_THREADPOOL_SIZE, MALLOC_*: passed to the servers and the argon2 ceiling
//   BENCH_APPS=0             skip the apps section (scripts/bench/apps.ts: HL7 messages and VAOS orders per second; `pnpm bench:apps` alone)
//   BENCH_REGISTRY=0         skip the registry section (scripts/bench/registry.ts; its own settings are there), which
//                            runs after the portal's table, once the servers are stopped; `pnpm bench:registry` runs it alone
// Progress goes to stderr, the table to stdout. Ctrl-C stops the servers and removes the temp files.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import { drive, load, paced, withCpu, type Measured } from './bench/load.js';
import { basic, expectOk, openSignInPage, signIn, type Tokens } from './bench/oidc-client.js';
import { cleanup, memoryOf, runCommand, stopping } from './bench/processes.js';
import { benchPassword, buildPortal, startBare, startPortal, type Portal, type Server } from './bench/servers.js';
import { addLiveSessions, countSessions } from './bench/sessions.js';
import { benchRegistry } from './bench/registry.js';
import { benchApps } from './bench/apps.js';
import type { BenchSectionOptions } from './bench/settings.js';
import { fixed, formatTable, whole } from './bench/table.js';

const quick = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';
const setting = (name: string, full: number, quickValue = full) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return quick ? quickValue : full;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive whole number (was "${raw}")`);
  return v;
};
const SECONDS = setting('BENCH_SECONDS', 5, 1);
const CONNECTIONS = setting('BENCH_CONNECTIONS', 10);
const SIGNIN_PARALLEL = setting('BENCH_SIGNIN_PARALLEL', 8);
const ROUNDS = setting('BENCH_ROUNDS', 2, 1);
const SMALL_USERS = 1_000;
const USERS = Math.max(setting('BENCH_USERS', 100_000, 10_000), SMALL_USERS + 1);
const SESSIONS = setting('BENCH_SESSIONS', 100_000, 2_000);
const orgsFor = (users: number) => Math.max(1, Math.round(users / 5));
const DATABASE_URL = process.env.BENCH_DATABASE_URL || undefined;
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL || 'info';
/** The same people sign in again and again (after a first sign-in that did their AUA and questions). */
const SIGNIN_POOL = 16;

const say = (line: string) => process.stderr.write(`${line}\n`);
const scaleName = (users: number) => `${(users / 1000).toLocaleString('en-US')}k`;

// --- Results -----------------------------------------------------------------------------------

type Side = 'bare' | 'portal';
interface Row {
  scenario: string;
  scale: string;
  target: string;
  runs: Record<Side, Measured[]>;
}
const rows: Row[] = [];
function record(scenario: string, scale: string, target: string, side: Side, m: Measured): void {
  let row = rows.find((r) => r.scenario === scenario && r.scale === scale);
  if (!row) rows.push((row = { scenario, scale, target, runs: { bare: [], portal: [] } }));
  row.runs[side].push(m);
  const errors = m.errors ? `  ERRORS ${m.errors} (${m.errorDetail})` : '';
  say(`    ${side.padEnd(6)} ${fixed(m.rps).padStart(8)}/s  p50 ${fixed(m.p50)} ms  p99 ${fixed(m.p99)} ms  server CPU ${fixed(m.serverCpuMs, 2)} ms each${errors}`);
}
/** The round with the highest rate, and its latencies (2 rounds: a median would be their mean). */
const best = (runs: Measured[]) => runs.reduce<Measured | undefined>((b, m) => (!b || m.rps > b.rps ? m : b), undefined);
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
};
const find = (scenario: string, scale = '') => rows.find((r) => r.scenario === scenario && (scale === '' || r.scale === scale));

// --- Scenarios ---------------------------------------------------------------------------------

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const pools: Record<Side, string[]> = { bare: [], portal: [] };
/** Tokens of the last sign-in run of each server: the refresh, introspection and userinfo runs use them. */
const latest: Record<Side, Tokens[]> = { bare: [], portal: [] };

async function signInRun(server: Server): Promise<Measured> {
  const { target } = server;
  const pool = pools[target.name];
  const { measured, results } = await drive(SECONDS, SIGNIN_PARALLEL, (i) => signIn(target, pool[i % pool.length]!, benchPassword));
  latest[target.name] = results;
  return measured;
}

/** Signs in more people when the last sign-in run left fewer than `n` unused token sets. */
async function ensureTokens({ target }: Server, n: number): Promise<void> {
  const pool = pools[target.name];
  while (latest[target.name].length < n) latest[target.name].push(await signIn(target, pool[latest[target.name].length % pool.length]!, benchPassword));
}

/** Rotated refresh tokens: each connection's answer hands it the next token (a replay would revoke the grant). */
async function refreshRun(server: Server): Promise<Measured> {
  const { target } = server;
  await ensureTokens(server, CONNECTIONS + 1); // one more for introspection and userinfo
  const tokens = latest[target.name].slice(0, CONNECTIONS).map((t) => t.refresh_token);
  latest[target.name] = latest[target.name].slice(CONNECTIONS);
  return load({
    url: target.url,
    seconds: SECONDS,
    connections: CONNECTIONS,
    requests: [
      {
        method: 'POST',
        path: '/token',
        headers: { ...form, authorization: basic(target.app.clientId, target.app.clientSecret) },
        setupRequest: (req) => ({ ...req, body: `grant_type=refresh_token&refresh_token=${tokens.shift() ?? 'none-left'}` }),
        onResponse: (status, body) => {
          if (status === 200) tokens.push((JSON.parse(body) as Tokens).refresh_token);
        },
      },
    ],
  });
}

const clientCredentialsRun = ({ target }: Server) =>
  load({
    url: target.url,
    seconds: SECONDS,
    connections: CONNECTIONS,
    method: 'POST',
    path: '/token',
    headers: { ...form, authorization: basic(target.machine.clientId, target.machine.clientSecret) },
    body: 'grant_type=client_credentials',
  });

/** An access token of the last sign-in run that no refresh run used. */
function accessToken(side: Side): string {
  const tokens = latest[side];
  if (!tokens.length) throw new Error(`${side}: no access token left`);
  return tokens[tokens.length - 1]!.access_token;
}

async function introspectionRun({ target }: Server): Promise<Measured> {
  const token = accessToken(target.name);
  const init = { method: 'POST', headers: { ...form, authorization: basic(target.app.clientId, target.app.clientSecret) }, body: `token=${token}` };
  const active = async () => {
    if ((await expectOk(target, '/token/introspection', init)).active !== true) throw new Error(`${target.name}: introspection says the token is not active`);
  };
  await active();
  const measured = await load({ url: target.url, seconds: SECONDS, connections: CONNECTIONS, path: '/token/introspection', ...init, method: 'POST' });
  await active(); // every 200 counted was an answer about a live token
  return measured;
}

async function userinfoRun({ target }: Server): Promise<Measured> {
  const headers = { authorization: `Bearer ${accessToken(target.name)}` };
  if (!(await expectOk(target, '/me', { headers })).sub) throw new Error(`${target.name}: userinfo without sub`);
  return load({ url: target.url, seconds: SECONDS, connections: CONNECTIONS, path: '/me', headers });
}

const getRun = (path: string) => ({ target }: Server) => load({ url: target.url, seconds: SECONDS, connections: CONNECTIONS, path });

/** The sign-in page as a browser sees it after the /auth redirect, GET again and again on one interaction per connection. */
async function signInPageRuns({ target }: Server): Promise<{ saturated: Measured; half: Measured; halfPaced: Measured }> {
  const pages = await Promise.all(Array.from({ length: CONNECTIONS }, () => openSignInPage(target)));
  let next = 0;
  const requests: autocannon.Request[] = [
    {
      setupRequest: (req) => {
        const page = pages[next++ % pages.length]!;
        return { ...req, path: page.path, headers: { ...req.headers, accept: 'text/html', cookie: page.cookie } };
      },
    },
  ];
  const saturated = await withCpu(target.pid, () => load({ url: target.url, seconds: SECONDS, connections: CONNECTIONS, requests }));
  const rate = Math.max(1, Math.floor(saturated.rps / 2));
  const half = await withCpu(target.pid, () => load({ url: target.url, seconds: SECONDS, connections: CONNECTIONS, requests, overallRate: rate }));
  const halfPaced = await withCpu(target.pid, () => paced({
    url: target.url,
    seconds: SECONDS,
    rate,
    request: (i) => ({ path: pages[i % pages.length]!.path, headers: { accept: 'text/html', cookie: pages[i % pages.length]!.cookie } }),
  }));
  return { saturated, half, halfPaced };
}

/** The help desk's search over HTTP: the admin API (`GET /api/admin/v1/users`), each search an audit row. */
async function searchRun(portal: Portal): Promise<Measured> {
  const { target } = portal;
  const resource = `${target.url}/api/admin/v1`;
  const token = (await expectOk(target, '/token', {
    method: 'POST',
    headers: { ...form, authorization: basic(portal.helpdesk.clientId, portal.helpdesk.clientSecret) },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'helpdesk:read' }),
  })).access_token as string;
  // The same four searches at both scales: a name (many matches, paged), an email prefix, a username, an organization code prefix.
  const searches = ['field=name&q=grace%20ng', 'field=email&q=user0001', 'field=username&q=user000420', 'field=org&q=org0001'];
  const headers = { authorization: `Bearer ${token}` };
  for (const q of searches) await expectOk(target, `/api/admin/v1/users?${q}`, { headers });
  return load({
    url: target.url,
    seconds: SECONDS,
    connections: CONNECTIONS,
    headers,
    requests: searches.map((q) => ({ method: 'GET' as const, path: `/api/admin/v1/users?${q}` })),
  });
}

// --- The run -----------------------------------------------------------------------------------

interface Ceiling {
  perSecond: number;
  cpuMsEach: number;
  parallel: number;
  params: { memoryCost: number; timeCost: number; parallelism: number };
}
async function argon2Ceiling(): Promise<Ceiling> {
  const script = fileURLToPath(new URL('./bench/argon2-ceiling.ts', import.meta.url));
  const out = await runCommand(process.execPath, ['--import', import.meta.resolve('tsx'), script], { env: { ...process.env, ARGON2_SECONDS: String(SECONDS) } });
  return JSON.parse(out.trim().split('\n').pop()!) as never;
}

/** A first sign-in for each person of the pool (AUA, security questions): the measured ones are the everyday kind. */
async function warmUp(server: Server, usernames: string[]): Promise<void> {
  pools[server.target.name] = usernames;
  for (const username of usernames) latest[server.target.name].push(await signIn(server.target, username, benchPassword));
}

/** The argon2id ceiling, measured in each round just before its sign-ins (servers idle): the sign-in ratio is to the one of its round. */
const ceilings: ({ scale: string; round: number } & Ceiling)[] = [];
async function signInsAgainstCeiling(round: number, scale: string, servers: Server[], name: string): Promise<void> {
  say(`  argon2id ceiling (${scale})`);
  const ceiling = await argon2Ceiling();
  ceilings.push({ scale, round, ...ceiling });
  say(`    ${fixed(ceiling.perSecond)} verifications/s, ${ceiling.parallel} at once`);
  await alternate(round, name, scale, '≥ 0.9× argon2 ↓', servers, signInRun);
}

async function alternate<S extends Server>(round: number, scenario: string, scale: string, target: string, servers: S[], run: (s: S) => Promise<Measured>): Promise<void> {
  say(`  ${scenario} (${scale})`);
  const order = round % 2 ? servers : [...servers].reverse();
  for (const server of order) record(scenario, scale, target, server.target.name, await withCpu(server.target.pid, () => run(server)));
}

async function main(): Promise<void> {
  const wallStart = performance.now();
  const load1 = loadavg()[0]!;
  say(`pnpm bench: ${quick ? 'quick, ' : ''}${SECONDS} s a scenario, ${ROUNDS} round(s), ${CONNECTIONS} connections; building the portal…`);
  await buildPortal();

  say(`starting the bare provider and the portal (${SMALL_USERS.toLocaleString('en-US')} users)…`);
  const bare = await startBare();
  const portal = await startPortal({ databaseServerUrl: DATABASE_URL, users: SMALL_USERS, orgs: orgsFor(SMALL_USERS), logLevel: LOG_LEVEL });
  const both = [bare, portal];
  const rssIdle = { bare: memoryOf(bare.target.pid), portal: memoryOf(portal.target.pid) };
  const smallPool = Array.from({ length: SIGNIN_POOL }, (_, i) => `user${String(i * 37).padStart(6, '0')}`);
  for (const s of both) await warmUp(s, smallPool);

  const small = scaleName(SMALL_USERS);
  const large = scaleName(USERS);
  const signInName = `full sign-in, ${SIGNIN_PARALLEL} parallel`;
  const halfAutocannon = 'sign-in page GET, ½ rate, autocannon';
  const halfEven = 'sign-in page GET, ½ rate, even pace';
  for (let round = 1; round <= ROUNDS; round++) {
    say(`round ${round}/${ROUNDS}, ${SMALL_USERS.toLocaleString('en-US')} users:`);
    await signInsAgainstCeiling(round, small, both, signInName);
    await alternate(round, 'refresh_token grant', small, '≥ 1.0× bare', both, refreshRun);
    await alternate(round, 'client_credentials grant', small, '≥ 1.0× bare', both, clientCredentialsRun);
    await alternate(round, 'introspection', small, '≥ 1.5× bare', both, introspectionRun);
    await alternate(round, 'userinfo', small, '≥ 1.5× bare', both, userinfoRun);
    await alternate(round, 'discovery', small, '', both, getRun('/.well-known/openid-configuration'));
    await alternate(round, 'jwks', small, '', both, getRun('/jwks'));
    say(`  sign-in page GET (${small}): saturated, then at half that rate`);
    for (const server of round % 2 ? both : [...both].reverse()) {
      const { saturated, half, halfPaced } = await signInPageRuns(server);
      record('sign-in page GET, saturated', small, '', server.target.name, saturated);
      record(halfAutocannon, small, 'p99 ≤ 50 ms', server.target.name, half);
      record(halfEven, small, 'p99 ≤ 50 ms', server.target.name, halfPaced);
    }
    await alternate(round, 'help-desk search (admin API)', small, 'flat', [portal], searchRun);
  }
  const rssSmall = { portal: memoryOf(portal.target.pid) };

  const added = { users: USERS - SMALL_USERS, orgs: orgsFor(USERS - SMALL_USERS) };
  say(`adding ${added.users.toLocaleString('en-US')} users in ${added.orgs.toLocaleString('en-US')} organizations (seed:scale)…`);
  await portal.cli('seed:scale', '--users', String(added.users), '--orgs', String(added.orgs), '--prefix', 'big', '--password', benchPassword);
  const largePool = Array.from({ length: SIGNIN_POOL }, (_, i) => `big${String(Math.floor(((i + 0.5) * (USERS - SMALL_USERS)) / SIGNIN_POOL)).padStart(6, '0')}`);
  latest.portal = [];
  await warmUp(portal, largePool);
  for (let round = 1; round <= ROUNDS; round++) {
    say(`round ${round}/${ROUNDS}, ${USERS.toLocaleString('en-US')} users:`);
    await signInsAgainstCeiling(round, large, both, signInName);
    await alternate(round, 'userinfo', large, '≥ 1.5× bare', both, userinfoRun);
    await alternate(round, 'help-desk search (admin API)', large, 'flat', [portal], searchRun);
  }
  const rssLarge = memoryOf(portal.target.pid);

  say(`adding ${SESSIONS.toLocaleString('en-US')} live SSO sessions to the portal's database, then using it again…`);
  await addLiveSessions(portal.databaseUrl, SESSIONS);
  const liveSessions = await countSessions(portal.databaseUrl);
  // Not in the table: these runs only make the portal work with that many sessions stored.
  for (const run of [signInRun, refreshRun, userinfoRun, introspectionRun, async (s: Server) => (await signInPageRuns(s)).saturated]) {
    const m = await run(portal);
    if (m.errors) throw new Error(`with ${liveSessions} sessions: ${m.errors} errors (${m.errorDetail})`);
  }
  const rssSessions = memoryOf(portal.target.pid);
  const rssBare = memoryOf(bare.target.pid);

  // --- The table ---
  const header = ['scenario', 'users', 'bare /s', 'portal /s', 'ratio', 'target', 'portal p50 ms', 'portal p99 ms', 'bare p99 ms', 'bare CPU ms', 'portal CPU ms', 'errors'];
  const body = rows.map((row) => {
    const b = best(row.runs.bare);
    const p = best(row.runs.portal);
    const errors = (['bare', 'portal'] as const)
      .flatMap((side) => row.runs[side].filter((m) => m.errors).map((m) => `${side}: ${m.errors} (${m.errorDetail})`))
      .join('; ');
    const cpu = (side: Side) => fixed(median(row.runs[side].map((m) => m.serverCpuMs!)), 2);
    return [row.scenario, row.scale, whole(b?.rps), whole(p?.rps), b && p ? `${fixed(p.rps / b.rps, 2)}×` : '—', row.target, fixed(p?.p50), fixed(p?.p99), fixed(b?.p99), cpu('bare'), cpu('portal'), errors || '0'];
  });
  console.log(formatTable(header, body));

  // Rounds alternate bare and portal; the portal's sign-in runs are its round's in order.
  const againstCeiling = (scale: string) =>
    ceilings
      .filter((c) => c.scale === scale)
      .map((c, i) => `${fixed(find(signInName, scale)!.runs.portal[i]!.rps / c.perSecond, 2)}×`)
      .join(', ');
  const cpuOf = (scenario: string, scale: string, side: Side, what: 'serverCpuMs' | 'clientCpuMs' = 'serverCpuMs') => median(find(scenario, scale)!.runs[side].map((m) => m[what]!))!;
  const flat = (scenario: string) => {
    const rate = best(find(scenario, large)!.runs.portal)!.rps / best(find(scenario, small)!.runs.portal)!.rps;
    return `${scenario} ${fixed(cpuOf(scenario, large, 'portal') / cpuOf(scenario, small, 'portal'), 2)}× CPU, ${fixed(rate, 2)}× rate`;
  };
  const argon2Ms = median(ceilings.map((c) => c.cpuMsEach))!;
  const signInCost = (side: Side) => {
    const server = cpuOf(signInName, small, side);
    const client = cpuOf(signInName, small, side, 'clientCpuMs');
    const hash = side === 'portal' ? ` (its argon2 verify ≈ ${fixed(argon2Ms)} ms)` : '';
    return `${side} server ${fixed(server)} ms${hash} + load generator ${fixed(client)} ms → at most ${fixed((cpus().length * 1000) / (server + client), 0)}/s on ${cpus().length} cores`;
  };
  const halfLine = (scenario: string) => {
    const { runs } = find(scenario)!;
    return `portal ${fixed(best(runs.portal)?.p99)} ms at ${whole(best(runs.portal)?.rps)}/s, bare ${fixed(best(runs.bare)?.p99)} ms at ${whole(best(runs.bare)?.rps)}/s`;
  };
  const mib = (m: { rssMiB: number; peakMiB: number }) => `${fixed(m.rssMiB, 0)} MiB (peak ${fixed(m.peakMiB, 0)})`;
  const { params, parallel } = ceilings[0]!;
  const sqliteOrPg = DATABASE_URL ? `PostgreSQL (${DATABASE_URL.replace(/\/\/[^@]*@/, '//')}, a fresh database; its own CPU is not in the portal's CPU column)` : 'SQLite (a temp file, WAL)';
  console.log(`
argon2id ceiling: ${ceilings.map((c) => fixed(c.perSecond)).join(', ')} verifications/s (each round's, just before its sign-ins, servers idle), ${fixed(argon2Ms)} ms CPU each; m=${params.memoryCost} KiB, t=${params.timeCost}, p=${params.parallelism}; ${parallel} at once (the libuv pool), in a process of its own
portal full sign-ins / that round's argon2 ceiling (target ≥ 0.9×): ${againstCeiling(small)} at ${small} users; ${againstCeiling(large)} at ${large} users; ≈ ${fixed(argon2Ms / (cpuOf(signInName, small, 'portal') + cpuOf(signInName, small, 'portal', 'clientCpuMs')), 2)}× from CPU time, which other load barely moves (argon2 ms per verify / (portal + load generator ms per sign-in))
  CPU per full sign-in (${small} users): ${signInCost('portal')}; ${signInCost('bare')}
cost at ${large} against ${small} users (portal CPU per request, and rate; 1.00× = flat): ${[signInName, 'userinfo', 'help-desk search (admin API)'].map(flat).join(', ')}
sign-in page p99 at ½ saturation (target ≤ 50 ms): evenly paced ${halfLine(halfEven)}; autocannon overallRate ${halfLine(halfAutocannon)}
  (autocannon sends each connection's quota for the second as fast as it can, then waits: half of each second is at saturation; the even pace sends one request every 1/rate s, open loop)
RSS bare: ${mib(rssIdle.bare)} at start, ${mib(rssBare)} after all its runs
RSS portal: ${mib(rssIdle.portal)} at start, ${mib(rssSmall.portal)} after the ${small} runs; ${mib(rssLarge)} after the ${large} runs; ${mib(rssSessions)} with ${liveSessions.toLocaleString('en-US')} live SSO sessions stored (target ≤ 200 MiB at 100,000)
  the sessions: ${SESSIONS.toLocaleString('en-US')} copies of a real Session row inserted straight into oidc_payloads (own ids, spread over the users), then sign-ins, refreshes, userinfo, introspection and the sign-in page run ${SECONDS} s each
how: best of ${ROUNDS} round(s) (the round with the highest rate, and its latencies; CPU ms: the server's CPU time per success from /proc/<pid>/stat, median of the rounds), bare and portal alternating; ${SECONDS} s a run; autocannon ${CONNECTIONS} connections; sign-ins: ${SIGNIN_PARALLEL} at once by a fetch driver (authorize → form → password → code → token), ${SIGNIN_POOL} people in turn
  portal: production build (node --conditions=production packages/portal/dist/main.js, MALLOC_ARENA_MAX=1 as docs/operations.md starts it; its thread pool sized to the cores, see process-tuning.ts), LOG_LEVEL=${LOG_LEVEL}, ${sqliteOrPg}; help-desk search over HTTP (admin API, an audit row each)
  bare: scripts/bench/bare-provider.ts, oidc-provider ${packageVersion('oidc-provider')} + knex-SQLite, one fixed account, no hashing
  users: ${SMALL_USERS.toLocaleString('en-US')} in ${orgsFor(SMALL_USERS).toLocaleString('en-US')} organizations, then ${USERS.toLocaleString('en-US')} in ${(orgsFor(SMALL_USERS) + orgsFor(USERS - SMALL_USERS)).toLocaleString('en-US')} (seed:scale)
environment: node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${fixed(load1, 2)} at the start, ${fixed(loadavg()[0], 2)} at the end; autocannon ${packageVersion('autocannon')}; ${gitRevision()}; ${fixed((performance.now() - wallStart) / 1000, 0)} s`);
}

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;
}

function gitRevision(): string {
  try {
    return `git ${execFileSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8' }).trim()}`;
  } catch {
    return 'git ?';
  }
}

try {
  await main();
} catch (err) {
  if (!stopping()) console.error(err);
  process.exitCode = 1;
} finally {
  await cleanup();
}
/** A later section, unless switched off (`BENCH_REGISTRY=0`, `BENCH_APPS=0`) or an earlier one failed. */
async function section(switchedOff: boolean, run: (options: BenchSectionOptions) => Promise<void>): Promise<void> {
  if (switchedOff || process.exitCode) return;
  try {
    await run({ quick, databaseServerUrl: DATABASE_URL });
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
}
await section(process.env.BENCH_REGISTRY === '0', benchRegistry);
await section(process.env.BENCH_APPS === '0', benchApps);
