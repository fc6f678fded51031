#!/usr/bin/env node
// The one test command (root `test:all`, behind `npm test` / `pnpm test` and `.ci/run`):
//   1. `pnpm typecheck`, then `pnpm build` (the production output some system tests start)
//   2. Chromium for the browser project: $CHROMIUM_PATH or /usr/bin/chromium, installed with apt-get
//      when missing and we are root; still missing is a failure, never a silent skip
//   3. every jest project (unit, system, security, browser) in one jest run, extra CLI args passed through
// TEST_DATABASE_URL=postgres://… (a server whose user may CREATE DATABASE) runs the system tests on
// PostgreSQL; unset, they use temp SQLite files. Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, delimiter } from 'node:path';
import { constants as os } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const failures = [];

function log(message) {
  process.stderr.write(`[test] ${message}\n`);
}

function run(argv, env = process.env) {
  const result = spawnSync(argv[0], argv.slice(1), { cwd: root, stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (result.error) {
    log(`could not run ${argv[0]}: ${result.error.message}`);
    return 127;
  }
  if (result.signal) return 128 + (os.signals[result.signal] ?? 1);
  return result.status ?? 1;
}

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** `pnpm run` with the pnpm that started us (`pnpm run test:all`), else `pnpm` on PATH, else `npm run`. */
function pnpmRun() {
  const execpath = process.env.npm_execpath;
  if (execpath && (process.env.npm_config_user_agent ?? '').startsWith('pnpm/')) {
    return [...(/\.[cm]?js$/.test(execpath) ? [process.execPath, execpath] : [execpath]), 'run'];
  }
  const probe = spawnSync('pnpm', ['--version'], { stdio: 'ignore', shell: process.platform === 'win32' });
  return probe.status === 0 ? ['pnpm', 'run'] : ['npm', 'run', '--silent'];
}

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function findChromium() {
  if (process.env.CHROMIUM_PATH && !isExecutable(process.env.CHROMIUM_PATH)) log(`warning: CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable file`);
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir) candidates.push(join(dir, 'chromium'));
  return candidates.find((c) => c && isExecutable(c));
}

function hasBrowserTests() {
  const packages = join(root, 'packages');
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    return entries.some((e) => (e.isDirectory() ? e.name !== 'node_modules' && walk(join(dir, e.name)) : e.name.endsWith('.test.ts')));
  };
  return readdirSync(packages, { withFileTypes: true }).some((p) => p.isDirectory() && walk(join(packages, p.name, 'test', 'browser')));
}

/** False when the caller picked jest projects (--selectProjects …) that leave out the browser one. */
function browserProjectSelected() {
  const i = args.findIndex((a) => a === '--selectProjects' || a.startsWith('--selectProjects='));
  if (i === -1) return true;
  const inline = args[i].includes('=') ? [args[i].split('=')[1]] : [];
  const listed = [...inline];
  for (let j = i + 1; !inline.length && j < args.length && !args[j].startsWith('-'); j++) listed.push(args[j]);
  return listed.some((p) => p.split(',').includes('browser'));
}

/** Installs Debian packages when running as root with apt-get; returns whether it tried. */
function aptInstall(packages) {
  if (process.getuid?.() !== 0 || run(['sh', '-c', 'command -v apt-get >/dev/null']) !== 0) return false;
  log(`missing: apt-get install -y ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run(['apt-get', 'install', '-y', '--no-install-recommends', ...packages], env) !== 0) {
    run(['apt-get', 'update'], env);
    run(['apt-get', 'install', '-y', '--no-install-recommends', ...packages], env);
  }
  return true;
}

function ensureChromium() {
  let chromium = findChromium();
  if (!chromium && aptInstall(['chromium'])) chromium = findChromium();
  return chromium;
}

// The interop test runs a relying party nobody on this team wrote: Apache with mod_auth_openidc.
// Missing, it fails with a message saying what to install (never a silent skip).
function ensureModAuthOpenidc() {
  const present = () => existsSync('/usr/sbin/apache2') && existsSync('/usr/lib/apache2/modules/mod_auth_openidc.so');
  if (!present()) aptInstall(['apache2', 'libapache2-mod-auth-openidc']);
  if (!present()) log('WARNING: Apache with mod_auth_openidc is missing; the interop test will fail (apt-get install -y apache2 libapache2-mod-auth-openidc)');
}

const started = Date.now();

// 1. Types.
let step = Date.now();
log('pnpm typecheck');
const typecheck = run([...pnpmRun(), 'typecheck']);
if (typecheck !== 0) failures.push(`typecheck (exit ${typecheck})`);
log(`typecheck ${typecheck === 0 ? 'passed' : 'FAILED'} in ${seconds(step)}`);

// 1b. The production build: the scale-out test and the bench run what an operator runs.
step = Date.now();
log('pnpm build');
const built = run([...pnpmRun(), 'build']);
if (built !== 0) failures.push(`build (exit ${built})`);
log(`build ${built === 0 ? 'passed' : 'FAILED'} in ${seconds(step)}`);

// 2. Chromium, before any browser test can need it.
const env = { ...process.env };
let jestArgs = args;
if (browserProjectSelected() && hasBrowserTests()) {
  const chromium = ensureChromium();
  if (chromium) {
    env.CHROMIUM_PATH = chromium;
    log(`browser tests use ${chromium}`);
  } else {
    failures.push('Chromium missing, browser tests not run');
    const userPicked = args.some((a) => a === '--selectProjects' || a.startsWith('--selectProjects='));
    // Run what can run, then fail: the browser project is left out loudly, never silently.
    jestArgs = userPicked ? null : [...args, '--selectProjects', 'unit', 'system'];
    log(
      `ERROR: the browser tests need Chromium; found none at ${[process.env.CHROMIUM_PATH && `CHROMIUM_PATH=${process.env.CHROMIUM_PATH}`, '/usr/bin/chromium', 'chromium on PATH'].filter(Boolean).join(', ')}.\n` +
        '       Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH, then run again.\n' +
        (jestArgs ? '       The unit and system tests run now; the run fails because the browser tests could not.' : '       Nothing else was selected, so no tests run.'),
    );
  }
} else if (browserProjectSelected()) {
  log('no browser tests in packages/*/test/browser yet; Chromium not needed');
}

ensureModAuthOpenidc();

// 3. Jest: all projects in one run.
const database = process.env.TEST_DATABASE_URL && /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL) ? 'PostgreSQL (TEST_DATABASE_URL)' : 'SQLite (temp files)';
if (jestArgs) {
  step = Date.now();
  log(`jest on ${database}`);
  const jest = run([process.execPath, '--experimental-vm-modules', join('node_modules', 'jest', 'bin', 'jest.js'), '--maxWorkers=2', ...jestArgs], env);
  if (jest !== 0) failures.push(`jest (exit ${jest})`);
  log(`jest ${jest === 0 ? 'passed' : 'FAILED'} in ${seconds(step)}`);
}

if (failures.length) {
  log(`FAILED after ${seconds(started)}: ${failures.join(', ')}`);
  process.exit(1);
}
log(`all passed in ${seconds(started)} (${database})`);
