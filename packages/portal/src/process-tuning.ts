import { availableParallelism } from 'node:os';

/**
 * Imported first by main.ts, before anything can touch libuv's thread pool (it reads this once,
 * when the pool starts). argon2 hashes on that pool: more threads than cores add no throughput,
 * only contention and one 19 MiB buffer per thread that glibc keeps after use — on 2 cores the
 * default of 4 costs ≈ 40 MiB and ≈ 10 % more CPU a hash (docs/performance.md). An operator's own
 * UV_THREADPOOL_SIZE wins.
 */
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(2, availableParallelism()));
