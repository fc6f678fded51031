#!/usr/bin/env node
// Gets a fresh clone ready with nothing but Node 20 and npm, then runs a root script with pnpm.
//
//   node scripts/bootstrap.mjs                 only prepare (pnpm 12 + node_modules)
//   node scripts/bootstrap.mjs run <script> …  prepare, then `pnpm --silent run <script> …`
//
// Root `npm start` / `npm test` (and `pnpm start` / `pnpm test`) call this, so the README's two
// commands work on a fresh machine. Plain Node ESM, no dependencies: it runs before any exist.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, utimesSync, accessSync, constants } from 'node:fs';
import { dirname, join, delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_MAJOR = 12;
const isWindows = process.platform === 'win32';

function log(message) {
  process.stderr.write(`[bootstrap] ${message}\n`);
}

function fail(message) {
  log(`ERROR: ${message}`);
  process.exit(1);
}

/** Runs a command (argv array, no shell); returns its exit status, output inherited unless captured. */
function run(argv, { capture = false, env = process.env } = {}) {
  const result = spawnSync(argv[0], argv.slice(1), {
    cwd: root,
    env,
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    encoding: 'utf8',
    shell: isWindows, // npm/pnpm are .cmd shims on Windows
  });
  if (result.error && result.error.code !== 'ENOENT') throw result.error;
  return { status: result.error ? 127 : (result.status ?? 1), stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** The major version a pnpm command reports, or undefined when it does not run. */
function pnpmMajor(argv) {
  const { status, stdout } = run([...argv, '--version'], { capture: true });
  if (status !== 0) return undefined;
  const major = Number.parseInt(stdout.trim().split('.')[0], 10);
  return Number.isFinite(major) ? major : undefined;
}

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Finds pnpm 12: the one running us, on PATH, in npm's global bin, or installs it. Returns argv. */
function ensurePnpm() {
  // Started by pnpm itself (`pnpm test`): use that very pnpm.
  const execpath = process.env.npm_execpath;
  if (execpath && (process.env.npm_config_user_agent ?? '').startsWith('pnpm/')) {
    const argv = /\.[cm]?js$/.test(execpath) ? [process.execPath, execpath] : [execpath];
    const major = pnpmMajor(argv);
    if (major !== undefined && major >= PNPM_MAJOR) return argv;
  }

  const onPath = pnpmMajor(['pnpm']);
  if (onPath !== undefined && onPath >= PNPM_MAJOR) return ['pnpm'];
  if (onPath !== undefined) log(`pnpm ${onPath} on PATH is too old for this workspace (needs ${PNPM_MAJOR}); not replacing it`);

  // npm's global bin may not be on PATH (custom prefix); look there before installing.
  const prefix = run(['npm', 'prefix', '-g'], { capture: true });
  const globalBin = prefix.status === 0 ? (isWindows ? prefix.stdout.trim() : join(prefix.stdout.trim(), 'bin')) : undefined;
  const globalPnpm = globalBin && join(globalBin, isWindows ? 'pnpm.cmd' : 'pnpm');
  if (globalPnpm && isExecutable(globalPnpm) && (pnpmMajor([globalPnpm]) ?? 0) >= PNPM_MAJOR) return [globalPnpm];

  if (onPath === undefined) {
    log(`pnpm not found: npm i -g pnpm@${PNPM_MAJOR}`);
    const installed = run(['npm', 'i', '-g', `pnpm@${PNPM_MAJOR}`]);
    if (installed.status === 0) {
      if ((pnpmMajor(['pnpm']) ?? 0) >= PNPM_MAJOR) return ['pnpm'];
      if (globalPnpm && (pnpmMajor([globalPnpm]) ?? 0) >= PNPM_MAJOR) return [globalPnpm];
      log(`installed pnpm@${PNPM_MAJOR} globally but cannot find it on PATH or in ${globalBin}`);
    } else {
      log(`global install not permitted (exit ${installed.status}); falling back to npx`);
    }
  }

  const npx = ['npx', '-y', `pnpm@${PNPM_MAJOR}`];
  const viaNpx = pnpmMajor(npx);
  if (viaNpx !== undefined && viaNpx >= PNPM_MAJOR) {
    log(`using pnpm ${viaNpx} through npx`);
    return npx;
  }
  fail(`could not get pnpm ${PNPM_MAJOR}: install it with \`npm i -g pnpm@${PNPM_MAJOR}\` and try again`);
}

function mtimeMs(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** `pnpm install --frozen-lockfile` when node_modules is missing or older than the lockfile. */
function ensureInstalled(pnpm) {
  const marker = join(root, 'node_modules', '.modules.yaml');
  const lock = join(root, 'pnpm-lock.yaml');
  const installedAt = mtimeMs(marker);
  const lockedAt = mtimeMs(lock);
  if (lockedAt === undefined) fail('pnpm-lock.yaml is missing');
  if (installedAt !== undefined && installedAt >= lockedAt) return;

  log(installedAt === undefined ? 'node_modules missing: pnpm install --frozen-lockfile' : 'pnpm-lock.yaml changed: pnpm install --frozen-lockfile');
  const started = Date.now();
  const { status } = run([...pnpm, 'install', '--frozen-lockfile']);
  if (status !== 0) fail(`pnpm install failed (exit ${status})`);
  // pnpm leaves .modules.yaml alone when nothing changed; mark node_modules current so the next run skips this.
  if (existsSync(marker)) {
    const now = new Date();
    utimesSync(marker, now, now);
  }
  log(`installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// Native addons (argon2, better-sqlite3) compile against the installed Node headers, never a download.
// pnpm 12 ignores `nodedir` in .npmrc, so it has to be the environment.
if (!process.env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) process.env.npm_config_nodedir = '/usr';

const pnpm = ensurePnpm();
ensureInstalled(pnpm);

const args = process.argv.slice(2);
if (args.length > 0) {
  // Whatever pnpm we settled on is the one the scripts below find as `pnpm`.
  if (pnpm[0] !== 'pnpm' && pnpm.length === 1) process.env.PATH = `${dirname(pnpm[0])}${delimiter}${process.env.PATH ?? ''}`;
  const result = spawnSync(pnpm[0], [...pnpm.slice(1), '--silent', ...args], { cwd: root, stdio: 'inherit', env: process.env, shell: isWindows });
  if (result.error) fail(`could not run pnpm: ${result.error.message}`);
  if (result.signal) process.kill(process.pid, result.signal);
  process.exit(result.status ?? 1);
}
