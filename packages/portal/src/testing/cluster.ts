import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/index.js';
import { createDb, type Db } from '../db/knex.js';
import { createPortal, type Portal } from '../portal.js';
import { createDirectory } from '../libraries/directory.js';
import { createLogger } from '../libraries/logger.js';
import type { CaptchaGenerator } from '../libraries/captcha.js';
import { startSmtpReceiver, type MailCatcher } from './smtp-receiver.js';
import { freshDatabase } from './index.js';
import { HttpAgent, type AgentResponse } from './http-agent.js';
import { freePort, haproxyBin } from './haproxy.js';

/**
 * Several production portal processes (`pnpm build` output) on one fresh database behind a private
 * HAProxy, for scale-out system tests: round robin, no stickiness, health checks on /readyz.
 * Every response through the balancer names its instance in X-Served-By (`p0`, `p1`, …).
 */
export interface PortalCluster {
  /** The balancer: PORTAL_URL (the issuer) of every instance. */
  readonly url: string;
  readonly databaseUrl: string;
  readonly instances: readonly ClusterInstance[];
  /** Mail every instance sent, received over real SMTP. */
  readonly mail: MailCatcher;
  /**
   * A portal built in the test process on the same database, never listening: for seeding users
   * and clients through the portal's own services and reading what the instances wrote. Its
   * CAPTCHA pictures (services.captchas.create) have the answer `captchaText`.
   */
  readonly portal: Portal;
  readonly db: Db;
  readonly directory: ReturnType<typeof createDirectory>;
  readonly captchaText: string;
  /** Sends a signal to instance i; resolves when the process has exited. */
  kill(i: number, signal?: NodeJS.Signals): Promise<InstanceExit>;
  /** Starts instance i again on its port (stopping it first if it runs); env entries override. */
  restart(i: number, env?: Record<string, string>): Promise<void>;
  /** Resolves once HAProxy's health checks see instance i in this state. */
  waitForBalancer(i: number, state: 'UP' | 'DOWN', timeoutMs?: number): Promise<void>;
  /** Runs the operator CLI (production build) against the cluster's database and settings. */
  cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Stops HAProxy and every instance, drops the database, removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

export interface ClusterInstance {
  /** HAProxy's name of it, the value of X-Served-By. */
  readonly name: string;
  readonly port: number;
  /** The instance's own address, bypassing the balancer. */
  readonly url: string;
  readonly pid: number | undefined;
  /** `stopping`: signalled by `kill` and not exited yet. */
  readonly state: 'running' | 'stopping' | 'exited';
  readonly running: boolean;
  /** The last lines it printed (stdout and stderr), for failure messages. */
  output(): string;
}

export interface InstanceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const portalDist = fileURLToPath(new URL('../../dist/', import.meta.url));
// What the production build turns into the code the instances run: the portal and the package it imports.
const builtSources = [fileURLToPath(new URL('../', import.meta.url)), fileURLToPath(new URL('../../../common/src/', import.meta.url))];
const mainJs = join(portalDist, 'main.js');
const cliJs = join(portalDist, 'cli', 'main.js');

/**
 * Why a cluster cannot start here, or undefined: the production build is missing or older than the
 * sources it is built from (a test of stale output would test the wrong code), or HAProxy is missing.
 */
export function clusterPrerequisiteProblem(): string | undefined {
  if (!existsSync(mainJs)) return `${mainJs} is missing: run \`pnpm build\` first (\`pnpm test\` builds before jest).`;
  const built = statSync(mainJs).mtimeMs;
  // Only from the sources (jest): run from dist/ itself, there is nothing newer to compare with.
  const fromSources = builtSources[0]!.endsWith(`${sep}src${sep}`);
  const newer = !fromSources ? undefined : builtSources.map((dir) => newestSource(dir)).reduce((a, b) => (b && (!a || b.mtimeMs > a.mtimeMs) ? b : a), undefined);
  if (newer && newer.mtimeMs > built) return `the production build is older than ${newer.path}: run \`pnpm build\` again.`;
  if (!existsSync(haproxyBin)) return `HAProxy is missing at ${haproxyBin}: apt-get install -y haproxy (or set HAPROXY_PATH).`;
  return undefined;
}

/** The newest source file the build transpiles (test helpers and tests themselves do not run in the instances). */
function newestSource(dir: string): { path: string; mtimeMs: number } | undefined {
  if (!existsSync(dir)) return undefined;
  let newest: { path: string; mtimeMs: number } | undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'testing') continue;
      const inner = newestSource(path);
      if (inner && (!newest || inner.mtimeMs > newest.mtimeMs)) newest = inner;
    } else if (!entry.name.endsWith('.test.ts')) {
      const mtimeMs = statSync(path).mtimeMs;
      if (!newest || mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
    }
  }
  return newest;
}

/** Polls until `probe` answers (its errors mean "not yet"); `stopIf` names a reason to give up at once. */
async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, options: { intervalMs?: number; stopIf?: () => string | undefined } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = options.stopIf?.();
    if (reason) throw new Error(`gave up waiting for ${what}: ${reason}`);
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}

function haproxyConfig(lbPort: number, socket: string, ports: number[]): string {
  return [
    'global',
    `  stats socket ${socket} mode 600 level admin`,
    '  maxconn 2000',
    'defaults',
    '  mode http',
    '  timeout connect 1s',
    '  timeout client 30s',
    '  timeout server 30s',
    // Without it a check times out after `inter` (200 ms): on a loaded machine both instances would
    // fail one slow /readyz together and the balancer would answer 503 with nobody down.
    '  timeout check 2s',
    // A refused or dropped connection is tried again, each time on another server.
    '  retries 3',
    '  option redispatch 1',
    '  retry-on conn-failure empty-response',
    'frontend portal',
    `  bind 127.0.0.1:${lbPort}`,
    // The client's own X-Forwarded-For is not passed on: the portal trusts this header (TRUST_PROXY).
    '  http-request del-header X-Forwarded-For',
    '  option forwardfor',
    '  default_backend portals',
    'backend portals',
    '  balance roundrobin',
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    '  http-response set-header X-Served-By %s',
    '  default-server inter 200ms fall 1 rise 2',
    ...ports.map((port, i) => `  server p${i} 127.0.0.1:${port} check`),
    '',
  ].join('\n');
}

/** Asks HAProxy's admin socket one question. */
function haproxyCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const connection = createConnection({ path: socket });
    let answer = '';
    connection.on('connect', () => connection.write(`${command}\n`));
    connection.on('data', (chunk) => (answer += chunk.toString()));
    connection.on('end', () => resolve(answer));
    connection.on('error', reject);
  });
}

class Instance implements ClusterInstance {
  child: ChildProcess | undefined;
  signalled = false;
  exited: Promise<InstanceExit> = Promise.resolve({ code: null, signal: null });
  private lines: string[] = [];

  constructor(
    readonly name: string,
    readonly port: number,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  get pid() {
    return this.child?.pid;
  }
  get running() {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }
  get state() {
    return !this.running ? 'exited' : this.signalled ? 'stopping' : 'running';
  }
  output() {
    return this.lines.join('');
  }

  start(env: Record<string, string>) {
    const child = spawn(process.execPath, ['--conditions=production', mainJs], { env: { ...env, PORTAL_PORT: String(this.port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      this.lines.push(chunk.toString());
      if (this.lines.length > 200) this.lines.splice(0, this.lines.length - 200);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.child = child;
    this.signalled = false;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  async waitReady(timeoutMs: number) {
    let exit: InstanceExit | undefined;
    void this.exited.then((e) => (exit = e));
    await poll(
      `${this.name} (${this.url}) /readyz`,
      timeoutMs,
      async () => ((await fetch(`${this.url}/readyz`)).status === 200 ? true : undefined),
      { stopIf: () => exit && `it exited (${exit.code ?? exit.signal})` },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n--- ${this.name} output ---\n${this.output()}`);
    });
  }
}

export async function startPortalCluster(options: { instances?: number; env?: Record<string, string>; captchaGenerator?: CaptchaGenerator } = {}): Promise<PortalCluster> {
  const problem = clusterPrerequisiteProblem();
  if (problem) throw new Error(`cannot start a portal cluster: ${problem}`);
  const count = options.instances ?? 2;
  const captchaText = 'K7PQX';
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) await Promise.resolve().then(step).catch(() => undefined);
  };

  try {
    const dir = mkdtempSync(join(tmpdir(), 'portal-cluster-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const database = await freshDatabase();
    cleanups.push(() => database.drop());
    const mail = await startSmtpReceiver();
    cleanups.push(() => mail.close());

    const lbPort = await freePort();
    const url = `http://127.0.0.1:${lbPort}`;
    const baseEnv: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      PORTAL_URL: url,
      PORTAL_HOST: '127.0.0.1',
      TRUST_PROXY: 'true',
      DATABASE_URL: database.url,
      // Shared by every instance: a cookie one signs, the other reads.
      COOKIE_KEYS: randomBytes(24).toString('hex'),
      SMTP_URL: mail.smtpUrl,
      DEMO_DATA: 'false',
      SIGNIN_RATE_LIMIT_PER_MINUTE: '10000',
      ...options.env,
    };

    // Migrations and seeding happen here, before any instance starts: instances then find the schema.
    const config = loadConfig(baseEnv);
    const db = createDb(config.databaseUrl);
    const generator: CaptchaGenerator = options.captchaGenerator ?? (() => ({ svg: '<svg xmlns="http://www.w3.org/2000/svg"/>', text: captchaText }));
    const portal = await createPortal(config, { db, logger: createLogger('silent'), captchaGenerator: generator });
    cleanups.push(() => db.destroy());
    cleanups.push(() => portal.close());
    const directory = createDirectory(portal.services, (m) => portal.provider.Client.validate(m as never));

    const instances: Instance[] = [];
    for (let i = 0; i < count; i++) instances.push(new Instance(`p${i}`, await freePort()));
    const envOf = new Map<Instance, Record<string, string>>(instances.map((instance) => [instance, baseEnv]));
    cleanups.push(async () => {
      for (const instance of instances) if (instance.running) instance.child!.kill('SIGKILL');
      await Promise.all(instances.map((instance) => instance.exited));
    });
    for (const instance of instances) instance.start(baseEnv);
    await Promise.all(instances.map((instance) => instance.waitReady(30_000)));

    const socket = join(dir, 'haproxy.sock');
    const cfg = join(dir, 'haproxy.cfg');
    writeFileSync(cfg, haproxyConfig(lbPort, socket, instances.map((instance) => instance.port)));
    const haproxy = spawn(haproxyBin, ['-f', cfg, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let haproxyOutput = '';
    haproxy.stdout.on('data', (c: Buffer) => (haproxyOutput += c.toString()));
    haproxy.stderr.on('data', (c: Buffer) => (haproxyOutput += c.toString()));
    const haproxyExited = new Promise<void>((resolve) => haproxy.once('exit', () => resolve()));
    cleanups.push(async () => {
      if (haproxy.exitCode === null && haproxy.signalCode === null) haproxy.kill('SIGKILL');
      await haproxyExited;
    });

    const serverState = async (name: string): Promise<string | undefined> => {
      const csv = await haproxyCommand(socket, 'show stat');
      const [header, ...rows] = csv.trim().split('\n');
      const columns = header!.replace(/^# /, '').split(',');
      const row = rows.map((r) => r.split(',')).find((r) => r[columns.indexOf('pxname')] === 'portals' && r[columns.indexOf('svname')] === name);
      return row?.[columns.indexOf('status')];
    };
    const waitForBalancer = async (i: number, state: 'UP' | 'DOWN', timeoutMs = 10_000) => {
      const instance = instances[i]!;
      await poll(
        `HAProxy to see ${instance.name} ${state}`,
        timeoutMs,
        // "UP 1/2" is on its way up, "DOWN 1/2" on its way down: only the settled state counts.
        async () => ((await serverState(instance.name)) === state ? true : undefined),
        { intervalMs: 25, stopIf: () => (haproxy.exitCode !== null || haproxy.signalCode !== null ? 'HAProxy exited' : undefined) },
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n--- HAProxy ---\n${haproxyOutput}\n--- ${instance.name} ---\n${instance.output()}`);
      });
    };
    await Promise.all(instances.map((_, i) => waitForBalancer(i, 'UP')));

    const kill = async (i: number, signal: NodeJS.Signals = 'SIGKILL') => {
      const instance = instances[i]!;
      if (!instance.running) throw new Error(`${instance.name} is not running`);
      instance.signalled = true;
      instance.child!.kill(signal);
      return instance.exited;
    };

    let stopped = false;
    return {
      url,
      databaseUrl: database.url,
      instances,
      mail,
      portal,
      db,
      directory,
      captchaText,
      kill,
      waitForBalancer,
      async restart(i, env) {
        const instance = instances[i]!;
        if (instance.running) {
          instance.child!.kill('SIGTERM');
          const timer = setTimeout(() => instance.child?.kill('SIGKILL'), 10_000);
          await instance.exited;
          clearTimeout(timer);
        }
        // The balancer must have seen it go, or "UP" below could be its memory of the old process.
        await waitForBalancer(i, 'DOWN');
        const instanceEnv = env ? { ...envOf.get(instance)!, ...env } : envOf.get(instance)!;
        envOf.set(instance, instanceEnv);
        instance.start(instanceEnv);
        await instance.waitReady(30_000);
        await waitForBalancer(i, 'UP');
      },
      cli(args) {
        return new Promise((resolve, reject) => {
          const child = spawn(process.execPath, ['--conditions=production', cliJs, ...args], { env: baseEnv, stdio: ['ignore', 'pipe', 'pipe'] });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
          child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
          child.once('error', reject);
          child.once('close', (code) => resolve({ code, stdout, stderr }));
        });
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** One response a ClusterBrowser received: which instance answered (X-Served-By) and when. */
export interface Exchange {
  method: string;
  url: string;
  status: number;
  servedBy: string | null;
  startedAt: number;
  endedAt: number;
}

/**
 * A browser on 127.0.0.1: cookies are per host name, not per port (RFC 6265 §8.5), so every
 * instance's own port and the balancer's see the same cookies — what one browser behind one
 * hostname would send to whichever instance the balancer picks. `at(origin)` is the same browser
 * (same cookies) treating another origin as "the portal" for `follow` and the sign-in helpers.
 * Every response is appended to `exchanges` (shared by `at` views and, if passed, by several browsers).
 */
export class ClusterBrowser extends HttpAgent {
  constructor(
    readonly origin: string,
    readonly exchanges: Exchange[] = [],
    jar = new Map<string, Map<string, string>>(),
  ) {
    super(origin, jar);
  }

  at(origin: string): ClusterBrowser {
    return new ClusterBrowser(origin, this.exchanges, this.jar);
  }

  protected override cookieKey(url: URL): string {
    return url.hostname;
  }

  override async request(url: string, init: Parameters<HttpAgent['request']>[1] = {}): Promise<AgentResponse> {
    const startedAt = Date.now();
    const res = await super.request(url, init);
    const method = init.method ?? (init.form || init.json !== undefined ? 'POST' : 'GET');
    this.exchanges.push({ method, url: res.url, status: res.status, servedBy: res.headers.get('x-served-by'), startedAt, endedAt: Date.now() });
    return res;
  }
}
