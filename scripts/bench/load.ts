import autocannon from 'autocannon';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { cpuMsOf } from './processes.js';

/** One measured scenario run against one server. */
export interface Measured {
  /** Successful requests (or flows) per second. */
  rps: number;
  p50: number;
  p99: number;
  /** Successful requests (or flows) counted. */
  count: number;
  /** Anything that was not a success: non-2xx answers, socket errors, timeouts. Counted, never in `rps`. */
  errors: number;
  /** e.g. "401×3" when there were errors. */
  errorDetail: string;
  /** CPU time the server process used per success (set by the caller that watched it). */
  serverCpuMs?: number;
  /** CPU time the bench process (the load generator) used per success. */
  clientCpuMs?: number;
}

/** Runs `measure` and adds the CPU time the server and this process spent per success: unlike a rate, barely moved by other load on a shared machine. */
export async function withCpu(serverPid: number, measure: () => Promise<Measured>): Promise<Measured> {
  const server = cpuMsOf(serverPid);
  const client = process.cpuUsage();
  const m = await measure();
  const used = process.cpuUsage(client);
  return { ...m, serverCpuMs: (cpuMsOf(serverPid) - server) / m.count, clientCpuMs: (used.user + used.system) / 1000 / m.count };
}

export interface LoadSpec {
  url: string;
  seconds: number;
  connections: number;
  /** Requests per second across all connections (autocannon's overallRate); unset = as fast as it goes. */
  overallRate?: number;
  method?: 'GET' | 'POST';
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  /** For requests that change per call (a rotated refresh token): see autocannon's `requests`. */
  requests?: autocannon.Request[];
}

/** Drives one endpoint with autocannon; every request that is not a 2xx is an error. */
export async function load(spec: LoadSpec): Promise<Measured> {
  const result = await autocannon({
    url: `${spec.url}${spec.path ?? ''}`,
    duration: spec.seconds,
    connections: spec.connections,
    ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
    method: spec.method ?? 'GET',
    headers: spec.headers,
    ...(spec.body !== undefined ? { body: spec.body } : {}),
    ...(spec.requests ? { requests: spec.requests } : {}),
    timeout: 10,
  });
  // autocannon's `errors` already counts its `timeouts`.
  const errors = result.non2xx + result.errors;
  const codes = Object.entries(result.statusCodeStats as unknown as Record<string, { count: number }>)
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, { count }]) => `${code}×${count}`);
  if (result.errors - result.timeouts) codes.push(`socket errors×${result.errors - result.timeouts}`);
  if (result.timeouts) codes.push(`timeouts×${result.timeouts}`);
  return {
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    count: result['2xx'],
    errors,
    errorDetail: codes.join(', '),
  };
}

/**
 * Runs `flow` with `parallel` in flight until `seconds` have passed (flows started before then
 * finish). A flow that throws stops the run: the sign-in driver accepts no unexpected answer.
 */
export async function drive<T>(seconds: number, parallel: number, flow: (i: number) => Promise<T>): Promise<{ measured: Measured; results: T[] }> {
  const latencies: number[] = [];
  const results: T[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        results.push(await flow(next++));
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { measured: summary(latencies, (performance.now() - started) / 1000, new Map()), results };
}

function summary(latencies: number[], seconds: number, failures: Map<string, number>): Measured {
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
  return {
    rps: latencies.length / seconds,
    p50: at(50),
    p99: at(99),
    count: latencies.length,
    errors: [...failures.values()].reduce((a, b) => a + b, 0),
    errorDetail: [...failures].map(([why, n]) => `${why}×${n}`).join(', '),
  };
}

/**
 * Open-loop load at an even pace: request i is sent at start + i/rate whether or not earlier ones
 * have answered (a slow answer cannot hold the next requests back), its latency counted from when
 * it was sent (not when it was due: on this shared machine the client itself is sometimes late).
 * autocannon's `overallRate` instead lets each connection send its quota for the second as fast as
 * it can and then wait: at half the saturation rate the server is saturated for half of every
 * second. Both are reported.
 */
export async function paced(spec: { url: string; seconds: number; rate: number; request: (i: number) => { path: string; headers: Record<string, string> } }): Promise<Measured> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const { hostname, port } = new URL(spec.url);
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  const fail = (why: string) => failures.set(why, (failures.get(why) ?? 0) + 1);
  const send = (i: number) =>
    new Promise<void>((resolve) => {
      const { path, headers } = spec.request(i);
      const sentAt = performance.now();
      const req = http.request({ agent, hostname, port, path, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode && res.statusCode >= 200 && res.statusCode < 300) latencies.push(performance.now() - sentAt);
          else fail(String(res.statusCode));
          resolve();
        });
      });
      req.on('error', (err) => {
        fail(err.message);
        resolve();
      });
      req.end();
    });
  const interval = 1000 / spec.rate;
  const total = Math.max(1, Math.round(spec.rate * spec.seconds));
  const started = performance.now();
  const sent: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = started + i * interval - performance.now();
    if (wait >= 1) await new Promise((r) => setTimeout(r, wait));
    sent.push(send(i));
  }
  await Promise.all(sent);
  agent.destroy();
  return summary(latencies, (performance.now() - started) / 1000, failures);
}
