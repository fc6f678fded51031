// `pnpm bench`: how fast the portal is on this machine, printed as a table. Measures only; no thresholds.
//   BENCH_USERS=8 BENCH_SIGNINS=10 BENCH_HASHES=30 BENCH_TOKENS=1000 BENCH_META=2000 BENCH_CONCURRENCY=8 pnpm bench
//   TEST_DATABASE_URL=postgres://… pnpm bench   (a fresh PostgreSQL database instead of SQLite)
// Portal and clients share this one process, so every number includes the client's own work too.
import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import * as oidc from 'openid-client';
import { createPasswordHasher } from '../packages/portal/src/libraries/passwords.js';
import { startTestPortal, HttpAgent, type TestPortal } from '../packages/portal/src/testing/index.js';
import { seedDirectory } from '../packages/portal/src/cli/seed-scale.js';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const USERS = num('BENCH_USERS', 8); // people signing in at the same time
const SIGNINS = num('BENCH_SIGNINS', 10); // sign-ins each of them does, one after another
const HASHES = num('BENCH_HASHES', 30);
const TOKENS = num('BENCH_TOKENS', 1000);
const META = num('BENCH_META', 2000);
const CONCURRENCY = num('BENCH_CONCURRENCY', 8);
const DIRECTORY = num('BENCH_DIRECTORY_USERS', 100_000); // the help desk searches a directory this big
const SEARCHES = num('BENCH_SEARCHES', 500);

const password = 'Bench-Password-9!';
const appUrl = 'http://127.0.0.1:3999';

interface Row {
  what: string;
  n: number;
  p50: number;
  p95: number;
  perSecond: number;
}
const rows: Row[] = [];

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs `task` `total` times with `concurrency` in flight; records latencies and overall rate. */
async function measure(what: string, total: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await task(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  rows.push({ what, n: total, p50: percentile(latencies, 50), p95: percentile(latencies, 95), perSecond: total / seconds });
}

function printTable(): void {
  const header = ['what', 'n', 'p50 ms', 'p95 ms', 'per second'];
  const body = rows.map((r) => [r.what, String(r.n), r.p50.toFixed(1), r.p95.toFixed(1), r.perSecond.toFixed(1)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

async function main(): Promise<void> {
  const wallStart = performance.now();
  const t: TestPortal = await startTestPortal();
  try {
    const params = t.config.argon2;
    const database = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite';
    console.log(
      `node ${process.version}, ${cpus().length} cores, ${database}; argon2id m=${params.memoryCost} KiB t=${params.timeCost} p=${params.parallelism}; ` +
        `${USERS} parallel users x ${SIGNINS} sign-ins, concurrency ${CONCURRENCY} for token/discovery/JWKS\n`,
    );

    // argon2id at the configured parameters, one at a time.
    const hasher = createPasswordHasher(params);
    const hashes: string[] = [];
    await measure('argon2id hash', HASHES, 1, async () => hashes.push(await hasher.hash(password)));
    await measure('argon2id verify', HASHES, 1, (i) => hasher.verify(hashes[i], password));

    // People and apps.
    await t.directory.createOrg({ code: 'BENCH01', iisId: '1000000001', name: 'Bench Clinic' });
    for (let u = 0; u < USERS; u++) {
      await t.directory.createUser({ username: `bench${u}`, email: `bench${u}@example.org`, password, orgs: ['BENCH01:provider_supervisor'] });
    }
    const app = await t.directory.createClient({ name: 'Bench app', redirectUris: [`${appUrl}/callback`] });
    const machine = await t.directory.createClient({ name: 'Bench machine', grants: ['client_credentials'] });
    const discover = (id: string, secret: string) =>
      oidc.discovery(new URL(t.url), id, { client_secret: secret }, oidc.ClientSecretBasic(secret), { execute: [oidc.allowInsecureRequests] });
    const appConfig = await discover(app.client_id, app.client_secret!);
    const machineConfig = await discover(machine.client_id, machine.client_secret!);

    // Full sign-in: authorization request, the real form, argon2 verify, consent-free redirect, code exchange.
    const signIn = async (username: string) => {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(appConfig, {
        redirect_uri: `${appUrl}/callback`,
        scope: 'openid profile email orgs',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      const callback = await new HttpAgent(t.url).signIn(url.href, username, password); // a new browser: no SSO
      const tokens = await oidc.authorizationCodeGrant(appConfig, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state });
      if (!tokens.id_token) throw new Error('no id_token');
    };
    await signIn('bench0'); // warm-up: first-use costs (JIT, key import) are not what we measure
    await measure('sign-in (form + code exchange), 1 user', SIGNINS, 1, () => signIn('bench0'));
    await measure(`sign-in (form + code exchange), ${USERS} parallel`, USERS * SIGNINS, USERS, (i) => signIn(`bench${i % USERS}`));

    // Token endpoint, client_credentials.
    await measure(`token client_credentials, ${CONCURRENCY} parallel`, TOKENS, CONCURRENCY, async () => {
      const tokens = await oidc.clientCredentialsGrant(machineConfig);
      if (!tokens.access_token) throw new Error('no access_token');
    });

    // Discovery and JWKS, as relying parties and resource servers fetch them.
    const getJson = async (path: string) => {
      const res = await fetch(`${t.url}${path}`);
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
      await res.json();
    };
    await measure(`discovery, ${CONCURRENCY} parallel`, META, CONCURRENCY, () => getJson('/.well-known/openid-configuration'));
    await measure(`JWKS, ${CONCURRENCY} parallel`, META, CONCURRENCY, () => getJson('/jwks'));

    // The help desk's search over a directory at planning scale (SPEC §1), through the library the
    // console and the API share (its audit row included).
    await seedDirectory(t.db, { users: DIRECTORY, orgs: Math.max(1, Math.round(DIRECTORY / 5)) });
    const operator = { kind: 'operator' } as const;
    const searches = [
      { field: 'name', text: 'grace ng' },
      { field: 'email', text: 'user01' },
      { field: 'username', text: 'user004242' },
      { field: 'org', text: 'org001' },
    ];
    await measure(`help desk search, ${DIRECTORY.toLocaleString('en-US')} users, ${CONCURRENCY} parallel`, SEARCHES, CONCURRENCY, (i) => t.portal.support.search(operator, searches[i % searches.length], {}));
  } finally {
    await t.close();
  }

  printTable();
  const { rss, heapUsed } = process.memoryUsage();
  console.log(`\nRSS after the run: ${(rss / 2 ** 20).toFixed(0)} MiB (heap used ${(heapUsed / 2 ** 20).toFixed(0)} MiB); wall time ${((performance.now() - wallStart) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
