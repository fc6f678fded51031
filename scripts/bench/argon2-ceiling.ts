// The most sign-ins per second this machine could do if a sign-in were nothing but its password
// check: argon2id verifications (each the work of one hash) with the portal's own hasher and
// parameters, as many at once as libuv's thread pool runs — sized as the portal sizes it
// (process-tuning.ts: the cores, unless UV_THREADPOOL_SIZE says otherwise) — in a process of its
// own while nothing else runs. Prints one JSON line.
//   ARGON2_SECONDS=3 node --import tsx scripts/bench/argon2-ceiling.ts
import '../../packages/portal/src/process-tuning.js';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../packages/portal/src/config/index.js';
import { createPasswordHasher } from '../../packages/portal/src/libraries/passwords.js';

const seconds = Number(process.env.ARGON2_SECONDS ?? 3);
const parallel = Number(process.env.UV_THREADPOOL_SIZE);
const params = loadConfig(process.env).argon2; // ARGON2_* as the portal reads them, with its defaults
const hasher = createPasswordHasher(params);
const hash = await hasher.hash('Bench-Password-9!');
await Promise.all(Array.from({ length: parallel }, () => hasher.verify(hash, 'Bench-Password-9!'))); // warm-up

let done = 0;
const cpu = process.cpuUsage();
const started = performance.now();
const deadline = started + seconds * 1000;
await Promise.all(
  Array.from({ length: parallel }, async () => {
    while (performance.now() < deadline) {
      if (!(await hasher.verify(hash, 'Bench-Password-9!'))) throw new Error('argon2 verify failed');
      done++;
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ perSecond: done / elapsed, cpuMsEach: (used.user + used.system) / 1000 / done, parallel, params }));
