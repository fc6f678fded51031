// `pnpm exec tsx scripts/bench-sqlite.ts`: the portal's hot SQL statements, straight through its
// queries (no HTTP), on a fresh SQLite file opened the way the portal opens it (createDb + migrate).
// Measures only; no thresholds. Each case runs for BENCH_SECONDS with 1 caller, then 20 callers,
// then 20 callers while argon2 hashes keep the libuv thread pool busy (as a burst of sign-ins does).
//   BENCH_SECONDS=2 BENCH_PAYLOADS=10000 BENCH_HASHES_IN_FLIGHT=4 BENCH_DATABASE_URL=sqlite:/tmp/x.sqlite pnpm exec tsx scripts/bench-sqlite.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { createDb, migrate, unitOfWork, type Db } from '../packages/portal/src/db/knex.js';
import { createOidcPayloadQueries } from '../packages/portal/src/queries/oidc-payloads.js';
import { createClientQueries } from '../packages/portal/src/queries/clients.js';
import { createUserQueries } from '../packages/portal/src/queries/users.js';
import { createOrgQueries } from '../packages/portal/src/queries/orgs.js';
import { createFlowQueries } from '../packages/portal/src/queries/flows.js';
import { createAuditQueries } from '../packages/portal/src/queries/audit.js';
import { chainLink } from '../packages/portal/src/libraries/audit.js';
import { createPasswordHasher } from '../packages/portal/src/libraries/passwords.js';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const SECONDS = num('BENCH_SECONDS', 2);
const PAYLOADS = num('BENCH_PAYLOADS', 10_000);
const USERS = 200;
const ORGS = 50;
const CLIENTS = 5;
const CALLERS = 20;
const HASHES_IN_FLIGHT = num('BENCH_HASHES_IN_FLIGHT', 4); // 4: libuv's default thread pool, every thread hashing

const id = (bytes = 16) => randomBytes(bytes).toString('base64url');
const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)]!;

/** A payload the way oidc-provider stores it: a JSON document of a few hundred bytes to ~1.5 kB. */
function payloadOf(model: string, jti: string, extra: Record<string, unknown>): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const base = { iat: now, exp: now + 3600, jti, kind: model, ...extra };
  if (model === 'Session') return { ...base, accountId: extra.accountId, loginTs: now, authorizations: { [`client-${jti.slice(0, 4)}`]: { sid: id(), grantId: id(), persistsLogout: true } } };
  if (model === 'Interaction') return { ...base, returnTo: `https://portal.example.org/auth/${jti}`, prompt: { name: 'login', reasons: ['no_session'], details: {} }, params: { client_id: 'registry', redirect_uri: 'https://registry.example.org/callback', response_type: 'code', scope: 'openid profile email orgs', state: id(), code_challenge: id(32), code_challenge_method: 'S256' }, cookieID: id() };
  if (model === 'Grant') return { ...base, clientId: 'registry', openid: { scope: 'openid profile email orgs', claims: ['sub', 'sid', 'auth_time', 'acr', 'amr'] }, resources: {} };
  return { ...base, clientId: 'registry', scope: 'openid profile email orgs', sessionUid: extra.uid, expiresWithSession: true, sid: id(), gty: 'authorization_code', claims: { id_token: { acr: { essential: false } } } };
}

async function seed(db: Db) {
  const now = Date.now();
  const work = unitOfWork(db);
  const mix: [string, number][] = [
    ['Session', 0.25],
    ['Interaction', 0.1],
    ['Grant', 0.15],
    ['AuthorizationCode', 0.1],
    ['AccessToken', 0.25],
    ['RefreshToken', 0.15],
  ];
  const userIds = Array.from({ length: USERS }, () => crypto.randomUUID());
  const byModel = new Map<string, { id: string; uid: string | null }[]>();
  const rows: Record<string, unknown>[] = [];
  for (const [model, share] of mix) {
    const list: { id: string; uid: string | null }[] = [];
    for (let i = 0; i < Math.round(PAYLOADS * share); i++) {
      const key = id();
      const uid = model === 'Session' || model === 'Interaction' ? id() : model === 'Grant' ? null : id();
      const accountId = model === 'Interaction' ? null : pick(userIds);
      list.push({ id: key, uid });
      rows.push({
        model,
        id: key,
        payload: JSON.stringify(payloadOf(model, key, { uid, accountId, grantId: model === 'Grant' || model === 'Session' ? undefined : id() })),
        grant_id: model === 'Session' || model === 'Interaction' ? null : id(),
        user_code: null,
        uid,
        account_id: accountId,
        expires_at: now + 3_600_000,
        consumed_at: null,
        created_at: now,
        last_active_at: model === 'Session' ? now : null,
      });
    }
    byModel.set(model, list);
  }
  await work(async () => {
    for (let i = 0; i < rows.length; i += 500) await db('oidc_payloads').insert(rows.slice(i, i + 500));
    const orgIds = Array.from({ length: ORGS }, () => crypto.randomUUID());
    await db('organizations').insert(
      orgIds.map((o, i) => ({ id: o, code: `ORG${i}`, code_key: `org${i}`, iis_id: String(1_000_000_000 + i), name: `Clinic ${i}`, type: 'clinic', created_at: now })),
    );
    const users = createUserQueries(db);
    for (const [i, u] of userIds.entries()) {
      await users.insert({ id: u, username: `user${i}`, name: `User ${i}`, email: `user${i}@example.org`, phone: null, password_hash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', password_temporary: false, system_role: null }, now);
      for (let m = 0; m < 2; m++) {
        await db('memberships').insert({ user_id: u, org_id: orgIds[(i + m * 7) % ORGS], role: 'provider_supervisor', coordinator: null, created_at: now });
      }
    }
    const clients = createClientQueries(db);
    for (let c = 0; c < CLIENTS; c++) {
      await clients.insert({
        client_id: `client-${c}`,
        name: `App ${c}`,
        app: 'registry',
        secret_hash: 'a'.repeat(64),
        metadata: JSON.stringify({ client_id: `client-${c}`, redirect_uris: [`https://app${c}.example.org/callback`], post_logout_redirect_uris: [`https://app${c}.example.org/`], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic', backchannel_logout_uri: `https://app${c}.example.org/backchannel-logout`, backchannel_logout_session_required: true }),
        created_at: now,
      });
    }
    const flows = createFlowQueries(db);
    for (let f = 0; f < CALLERS; f++) {
      await flows.insert({ id: `flow-${f}`, kind: 'recovery', state: 'code_sent', version: 0, user_id: userIds[f]!, username_key: `user${f}`, interaction_uid: null, data: '{}', attempts: 0, secret_hash: null, secret_expires_at: null, created_at: now, updated_at: now, expires_at: now + 365 * 86_400_000 });
    }
  });
  return { byModel, userIds };
}

interface Result {
  what: string;
  callers: string;
  ops: number;
  perSecond: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** `callers` loops each running `task` back to back for SECONDS; `task` gets its caller's number. */
async function measure(what: string, label: string, callers: number, task: (caller: number) => Promise<unknown>): Promise<Result> {
  // Warm-up: statement caches, JIT, the page cache.
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      for (let i = 0; i < 3; i++) await task(c);
    }),
  );
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await task(c);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { what, callers: label, ops: latencies.length, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Keeps `n` argon2id hashes (the portal's parameters) in flight until stopped. */
function hashLoad(n: number): () => Promise<number> {
  const hasher = createPasswordHasher({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  let running = true;
  let done = 0;
  const loops = Array.from({ length: n }, async () => {
    while (running) {
      await hasher.hash(id());
      done++;
    }
  });
  return async () => {
    running = false;
    await Promise.all(loops);
    return done;
  };
}

function printTable(results: Result[]): void {
  const header = ['statement', 'callers', 'ops', 'ops/s', 'p50 ms', 'p99 ms'];
  const body = results.map((r) => [r.what, r.callers, String(r.ops), r.perSecond.toFixed(0), r.p50.toFixed(3), r.p99.toFixed(3)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

async function main(): Promise<void> {
  const dir = process.env.BENCH_DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'bench-sqlite-'));
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? `sqlite:${join(dir!, 'portal.sqlite')}`;
  const db = createDb(databaseUrl);
  try {
    await migrate(db);
    const [{ version }] = (await db.raw('select sqlite_version() as version')) as [{ version: string }];
    console.log(`node ${process.version}, ${cpus().length} cores, knex client ${db.client.driverName}, SQLite ${version}; ${PAYLOADS} payloads, ${USERS} users; ${SECONDS} s a case\n`);
    const { byModel, userIds } = await seed(db);

    const payloads = createOidcPayloadQueries(db);
    const clients = createClientQueries(db);
    const users = createUserQueries(db);
    const orgs = createOrgQueries(db);
    const flows = createFlowQueries(db);
    const audit = createAuditQueries(db);
    const work = unitOfWork(db);
    const sessions = byModel.get('Session')!;
    const tokens = byModel.get('AccessToken')!;
    const versions = Array.from({ length: CALLERS }, () => 0);
    let upserts = 0;

    const cases: [string, (caller: number) => Promise<unknown>][] = [
      ['payload find (model, id)', () => payloads.find('AccessToken', pick(tokens).id)],
      ['payload find (model, uid)', () => payloads.findBy('Session', 'uid', pick(sessions).uid!)],
      [
        'payload upsert (1 new : 1 update)',
        async () => {
          const model = 'Session';
          const existing = upserts++ % 2 === 1;
          const key = existing ? pick(sessions).id : id();
          const now = Date.now();
          await payloads.upsert({ model, id: key, payload: JSON.stringify(payloadOf(model, key, { accountId: pick(userIds) })), grant_id: null, user_code: null, uid: id(), account_id: pick(userIds), expires_at: now + 3_600_000, created_at: now, last_active_at: now });
        },
      ],
      ['client find', () => clients.find(`client-${Math.floor(Math.random() * CLIENTS)}`)],
      ['user find (by id)', () => users.findById(pick(userIds))],
      ['memberships join', () => orgs.membershipsOf(pick(userIds))],
      [
        'unitOfWork: CAS update + audit insert',
        (caller) =>
          work(async () => {
            const now = Date.now();
            const moved = await flows.transition(`flow-${caller}`, { state: 'code_sent', version: versions[caller]! }, { data: `{"step":${versions[caller]}}` }, now);
            if (!moved) throw new Error(`flow-${caller}: compare-and-set lost`);
            versions[caller]!++;
            await audit.append({ at: now, action: 'recovery.code_sent', actor_user_id: null, subject_user_id: userIds[caller]!, subject: null, ip: '127.0.0.1', user_agent: 'bench', details: null }, chainLink);
          }),
      ],
    ];

    const results: Result[] = [];
    for (const [what, task] of cases) {
      results.push(await measure(what, '1', 1, task));
      results.push(await measure(what, String(CALLERS), CALLERS, task));
      const stop = hashLoad(HASHES_IN_FLIGHT);
      results.push(await measure(what, `${CALLERS} + ${HASHES_IN_FLIGHT} argon2`, CALLERS, task));
      await stop();
    }
    printTable(results);
  } finally {
    await db.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
