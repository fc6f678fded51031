/**
 * `pnpm dev`: the portal and the three apps on their embedded defaults, one child process each,
 * every output line prefixed with its source; Ctrl-C stops them all.
 *
 * The portal migrates, seeds the demo data and prints the demo sign-ins. The apps start at the same
 * time: they discover the portal on their first sign-in, not at start, so the order does not matter.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const colour = process.stdout.isTTY && !process.env.NO_COLOR;

const services = [
  { name: 'portal', entry: 'packages/portal/src/main.ts', colour: 36 },
  { name: 'registry', entry: 'packages/registry/src/main.ts', colour: 32 },
  { name: 'enrollment', entry: 'packages/enrollment/src/main.ts', colour: 35 },
  { name: 'ordering', entry: 'packages/ordering/src/main.ts', colour: 33 },
];
const width = Math.max(...services.map((s) => s.name.length));

const running = new Map<string, ChildProcess>();
let stopping = false;
let exitCode = 0;

function prefix(name: string, code: number): string {
  const label = `[${name.padEnd(width)}]`;
  return colour ? `\x1b[${code}m${label}\x1b[0m ` : `${label} `;
}

function pipe(stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream, label: string): void {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => out.write(`${label}${line}\n`));
}

for (const service of services) {
  const label = prefix(service.name, service.colour);
  // The same Node, with tsx as a loader: no shell, no global tsx needed.
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, service.entry)], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.set(service.name, child);
  pipe(child.stdout, process.stdout, label);
  pipe(child.stderr, process.stderr, label);
  child.on('error', (err) => {
    process.stderr.write(`${label}could not start: ${err.message}\n`);
  });
  child.on('exit', (code, signal) => {
    running.delete(service.name);
    if (!stopping) {
      // One part down means the whole set-up is broken (a port in use, a bad setting): stop the rest.
      process.stderr.write(`${label}exited (${signal ?? `code ${code}`}); stopping everything\n`);
      exitCode = code || 1;
      stop();
    }
    if (running.size === 0) process.exit(exitCode);
  });
}

function stop(): void {
  if (stopping) return;
  stopping = true;
  for (const child of running.values()) child.kill('SIGTERM');
  // A child that ignores SIGTERM for 10 seconds is killed.
  setTimeout(() => {
    for (const child of running.values()) child.kill('SIGKILL');
  }, 10_000).unref();
}

process.on('SIGINT', () => {
  if (!stopping) process.stderr.write('\nStopping…\n');
  stop();
});
process.on('SIGTERM', stop);
