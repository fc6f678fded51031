// The apps' throughput bench (issue 12; `pnpm bench` includes it, `pnpm bench:apps` runs it alone):
//
// - HL7 messages accepted per second: ImmTrac2 started from its production build as a process of
//   its own, on a fresh database, verifying real client-credentials tokens from a real portal (an
//   organization's HL7 exchange credentials, as Syntropi creates them). BENCH_HL7_PARALLEL senders
//   post synthetic VXU^V04 messages (hl7-messages.ts: a new patient and two doses each) over
//   keep-alive HTTP; a message counts when its ACK says MSA|AA. Afterwards the registry's database
//   must hold exactly the doses of the accepted messages.
// - VAOS order placements per second: the orders library (the same call the order form makes,
//   role check and transaction included) on a fresh database, BENCH_ORDER_PARALLEL at once.
//
// Measures only; fails on nothing but a wrong count. Settings (environment, all optional):
//   BENCH_QUICK=1                  shorter runs (the defaults marked quick)
//   BENCH_APPS_SECONDS=10          seconds per scenario (quick: 3)
//   BENCH_HL7_PARALLEL=4           HL7 senders in flight at once
//   BENCH_ORDER_PARALLEL=4         order placements in flight at once
//   BENCH_DATABASE_URL=postgres:// a server whose user may CREATE DATABASE: both apps get fresh databases there
//   BENCH_REGISTRY_NODE_ARGS=      node options for the registry process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/registry-prof"
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createDb } from '../../packages/db/src/index.js';
import { freshDatabase, startTestPortal } from '../../packages/portal/src/testing/index.js';
import { createOrders } from '../../packages/ordering/src/libraries/orders.js';
import { createAuditQueries } from '../../packages/ordering/src/queries/audit.js';
import { createCatalogueQueries } from '../../packages/ordering/src/queries/catalogue.js';
import { createOrganizationQueries } from '../../packages/ordering/src/queries/organizations.js';
import { catalogue } from '../../packages/ordering/src/data/catalogue.js';
import { prepareOrdering } from '../../packages/ordering/src/prepare.js';
import { migrateRpKit } from '../../packages/rp-kit/src/index.js';
import { syntheticVxu } from './hl7-messages.js';
import { drive, withCpu, type Measured } from './load.js';
import { cleanup, freePort, onCleanup, startChild, tempDir, waitUntilServing } from './processes.js';
import { buildPortal } from './servers.js';
import { positive, say, type BenchSectionOptions } from './settings.js';
import { fixed, formatTable, whole } from './table.js';

const root = new URL('../../', import.meta.url).pathname;

export type AppsBenchOptions = BenchSectionOptions;


interface Row { scenario: string; target: string; m: Measured; note: string }

async function benchHl7(options: AppsBenchOptions, seconds: number): Promise<Row> {
  const parallel = positive('BENCH_HL7_PARALLEL', 4);
  const registryPort = await freePort();
  const registryUrl = `http://127.0.0.1:${registryPort}`;
  // The portal only issues the token and serves its JWKS here (SQLite; the registry is measured).
  const portal = await startTestPortal({ env: { REGISTRY_URL: registryUrl } });
  onCleanup(() => portal.close());
  const iisId = '2000000777';
  await portal.directory.createOrg({ code: 'BENCH77', iisId, name: 'Bench Pediatrics' });
  const credentials = await portal.directory.createClient({ name: 'Bench EHR', grants: ['client_credentials'], scopes: ['hl7:submit'], orgIisId: iisId });
  const tokenAnswer = await fetch(`${portal.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${credentials.client_id}:${credentials.client_secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'hl7:submit', resource: portal.config.hl7Resource }),
  });
  const token = ((await tokenAnswer.json()) as { access_token?: string }).access_token;
  if (!token) throw new Error(`the portal issued no HL7 token (${tokenAnswer.status})`);

  const database = await freshDatabase(options.databaseServerUrl ?? ''); // '' = SQLite: only BENCH_DATABASE_URL picks PostgreSQL here
  onCleanup(() => database.drop());
  const registry = startChild(process.execPath, [...(process.env.BENCH_REGISTRY_NODE_ARGS ?? '').split(' ').filter(Boolean), '--conditions=production', join(root, 'packages/registry/dist/main.js')], {
    cwd: tempDir(),
    logFile: join(tempDir(), 'registry.log'),
    env: {
      PATH: process.env.PATH,
      // Development mode: plain-http URLs on loopback, and the demo registry (3,000 clients) to match against.
      NODE_ENV: 'development',
      PORTAL_URL: portal.url,
      REGISTRY_URL: registryUrl,
      REGISTRY_PORT: String(registryPort),
      REGISTRY_CLIENT_SECRET: randomBytes(24).toString('base64url'), // no one signs in during the bench
      REGISTRY_DATABASE_URL: database.url,
      REGISTRY_HL7_AUDIENCE: portal.config.hl7Resource,
      // The per-client limit (600/min) would measure the limiter: one client sends everything here.
      REGISTRY_HL7_MESSAGES_PER_MINUTE: '100000000',
      MALLOC_ARENA_MAX: '1',
    },
  });
  // Listening once its stylesheet answers (after migrations and the demo data).
  await waitUntilServing(`${registryUrl}/static/registry/registry.css`, registry, 120_000);

  const run = randomBytes(3).toString('hex').toUpperCase();
  let firstRefusal = '';
  const post = async (i: number) => {
    const res = await fetch(`${registryUrl}/hl7/v2/vxu`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'x-application/hl7-v2+er7' }, body: syntheticVxu(i, run) });
    const ack = await res.text();
    const ok = res.status === 200 && ack.includes('\rMSA|AA|');
    // The first refusal's MSA and ERR rows, to say why in the table.
    if (!ok && !firstRefusal) firstRefusal = `${res.status} ${ack.split('\r').filter((s) => /^(MSA|ERR)\|/.test(s)).join(' ').slice(0, 200)}`;
    return ok;
  };
  // Warm-up: the JWKS fetch, the first statements prepared, the JIT.
  for (let i = 0; i < 50; i++) if (!(await post(10_000_000 + i))) throw new Error('the registry did not accept a warm-up message');
  let accepted = 0;
  let refused = 0;
  const measured = await withCpu(registry.pid, async () => {
    const { measured: m, results } = await drive(seconds, parallel, post);
    accepted = results.filter(Boolean).length;
    refused = results.length - accepted;
    return { ...m, count: accepted, rps: accepted / (results.length / m.rps), errors: refused, errorDetail: refused ? `${refused} not AA, first: ${firstRefusal}` : '' };
  });
  // Stored exactly once each: two doses per accepted message (and the warm-up's).
  const db = createDb(database.url);
  const stored = Number(((await db('immunizations').where({ source: 'hl7' }).count({ n: '*' }).first()) as { n: number | string }).n);
  await db.destroy();
  const expected = 2 * (accepted + 50);
  if (stored !== expected) throw new Error(`HL7 bench: ${stored} doses stored for ${accepted + 50} accepted messages (expected ${expected})`);
  return { scenario: `HL7 VXU accepted (AA), ${parallel} senders`, target: '≥ 200/s (SQLite)', m: measured, note: `${whole(stored)} doses stored, as acknowledged` };
}

async function benchOrders(options: AppsBenchOptions, seconds: number): Promise<Row> {
  const parallel = positive('BENCH_ORDER_PARALLEL', 4);
  const database = await freshDatabase(options.databaseServerUrl ?? ''); // '' = SQLite: only BENCH_DATABASE_URL picks PostgreSQL here
  onCleanup(() => database.drop());
  const db = createDb(database.url);
  onCleanup(() => db.destroy());
  await migrateRpKit(db);
  await prepareOrdering(db, { demoData: false });
  const clock = { now: () => Date.now() };
  const orders = createOrders({ db, clock, audit: createAuditQueries(db), catalogue: createCatalogueQueries(db), organizations: createOrganizationQueries(db) });
  const orgs = Array.from({ length: 20 }, (_, i) => ({ id: `org-${i}`, code: `BENCH${i}`, iis_id: String(3000000000 + i), name: `Bench Clinic ${i}`, role: 'full_access_provider' as const, coordinator: 'primary' as const }));
  const place = async (i: number) => {
    const org = orgs[i % orgs.length]!;
    const actor = { sub: `coordinator-${i % orgs.length}`, name: 'Bench Coordinator', orgs: [org] };
    const lines = [catalogue[i % catalogue.length]!, catalogue[(i + 3) % catalogue.length]!].map((c, n) => ({ ndc: c.ndc, packages: 1 + ((i + n) % 9) }));
    return orders.place(actor, org.iis_id, lines);
  };
  for (let i = 0; i < 50; i++) await place(i);
  const started = process.cpuUsage();
  const { measured, results } = await drive(seconds, parallel, place);
  const cpu = process.cpuUsage(started);
  const placed = Number(((await db('orders').count({ n: '*' }).first()) as { n: number | string }).n);
  if (placed !== results.length + 50) throw new Error(`orders bench: ${placed} orders stored for ${results.length + 50} placed`);
  return { scenario: `VAOS order placed (2 lines), ${parallel} at once`, target: 'measured', m: { ...measured, serverCpuMs: (cpu.user + cpu.system) / 1000 / results.length }, note: `${whole(placed)} orders stored, in-process library call` };
}

export async function benchApps(options: AppsBenchOptions): Promise<void> {
  const seconds = positive('BENCH_APPS_SECONDS', options.quick ? 3 : 10);
  const load1 = loadavg()[0]!;
  say(`apps bench: ${seconds} s a scenario on ${options.databaseServerUrl ? 'PostgreSQL' : 'SQLite'}`);
  const rows: Row[] = [];
  say('  HL7 VXU intake…');
  rows.push(await benchHl7(options, seconds));
  say('  VAOS order placement…');
  rows.push(await benchOrders(options, seconds));
  const table = formatTable(
    ['scenario', 'target', 'per second', 'p50 ms', 'p99 ms', 'app CPU ms each', 'errors', 'checked'],
    rows.map((r) => [r.scenario, r.target, fixed(r.m.rps), fixed(r.m.p50), fixed(r.m.p99), fixed(r.m.serverCpuMs, 2), whole(r.m.errors), r.note]),
  );
  const refusals = rows.filter((r) => r.m.errorDetail).map((r) => `  ${r.scenario}: ${r.m.errorDetail}\n`).join('');
  process.stdout.write(`\nApps (${options.databaseServerUrl ? 'PostgreSQL' : 'SQLite'}; load average at start ${load1.toFixed(2)})\n${table}\n${refusals}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';
  try {
    say('building (pnpm build)…');
    await buildPortal();
    await benchApps({ quick, databaseServerUrl: process.env.BENCH_DATABASE_URL || undefined });
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
}
