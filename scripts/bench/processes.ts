import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The bench's child processes and temp files, and their end: whatever way the bench stops (done,
 * failed, Ctrl-C), every child is killed and every temp dir and database removed.
 */
const children = new Set<ChildProcess>();
const cleanups: (() => Promise<void> | void)[] = [];
let cleaning: Promise<void> | undefined;

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function onCleanup(task: () => Promise<void> | void): void {
  cleanups.push(task);
}

/** True once the bench is stopping (Ctrl-C): errors from servers going away are expected then. */
export const stopping = () => cleaning !== undefined;

/** Kills the children (SIGTERM, then SIGKILL after 2 s), then runs the cleanups registered so far, newest first. */
export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.all([...children].map((child) => stopChild(child)));
    for (const task of cleanups.splice(0).reverse()) {
      try {
        await task();
      } catch (err) {
        console.error(`cleanup: ${(err as Error).message}`);
      }
    }
    // Done: a later section of the bench (the apps after the portal) starts and cleans up its own.
    cleaning = undefined;
  })();
  return cleaning;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the servers and removing temp files…`);
    void cleanup().finally(() => process.exit(130));
  });
}
// Last resort (an uncaught exit): no async work is possible here, but the children still die.
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

export interface Child {
  process: ChildProcess;
  pid: number;
  logFile: string;
  /** The last lines of its output, for an error message. */
  tail(): string;
}

/** Starts a long-running child with its stdout and stderr in `logFile`. */
export function startChild(command: string, args: string[], options: { env: NodeJS.ProcessEnv; logFile: string; cwd?: string }): Child {
  const out = openSync(options.logFile, 'a');
  const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', out, out] });
  closeSync(out); // the child has its own copy
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!child.pid) throw new Error(`could not start ${command} ${args.join(' ')}`);
  return {
    process: child,
    pid: child.pid,
    logFile: options.logFile,
    tail: () => readFileSync(options.logFile, 'utf8').split('\n').slice(-15).join('\n'),
  };
}

/** Runs a command to its end; resolves with its stdout, rejects with its stderr on a non-zero exit. */
export function runCommand(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      children.delete(child);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} exited ${code ?? signal}: ${stderr.trim().slice(-2000) || stdout.trim().slice(-2000)}`));
    });
  });
}

/** A TCP port free right now on 127.0.0.1 (and outside undici's bad-ports list, which is all below 10081). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    if (port > 10080) return port;
  }
}

/** Polls `url` until it answers 200, the child dies, or `ms` pass. */
export async function waitUntilServing(url: string, child: Child, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`${url}: the server exited (${child.process.exitCode}):\n${child.tail()}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url}: not serving after ${ms} ms:\n${child.tail()}`);
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (Linux, 100 ticks a second). */
export function cpuMsOf(pid: number): number {
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime (fields 14 and 15)
}

/** Resident and peak resident memory of a process in MiB, from /proc/<pid>/status (Linux). */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}
