import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import knex from 'knex';
import { loadConfig, type PortalConfig } from '../config/index.js';
import { createDb, type Db } from '../db/knex.js';
import { createPortal, type Portal } from '../portal.js';
import { createDirectory } from '../libraries/directory.js';
import { createLogger } from '../libraries/logger.js';
import type { Clock } from '../libraries/clock.js';
import type { CaptchaGenerator } from '../libraries/captcha.js';
import { startSmtpReceiver, type MailCatcher } from './smtp-receiver.js';

export { HttpAgent, mainTextOf, parseForm, textOf, type AgentResponse } from './http-agent.js';

/**
 * A whole portal on a fresh database, listening on a free port, for system tests
 * (better-auth's getTestInstance). SQLite by default; a fresh PostgreSQL database per portal
 * when TEST_DATABASE_URL names a PostgreSQL server.
 */
export interface TestPortal {
  url: string;
  portal: Portal;
  config: PortalConfig;
  db: Db;
  /** Mail the portal sent, received over real SMTP. */
  mail: MailCatcher;
  directory: ReturnType<typeof createDirectory>;
  /** Stops and rebuilds the portal on the same port and database: nobody should notice. */
  restart(): Promise<void>;
  /**
   * A second instance on the same database, with its own connections, caches and port — what a
   * second process behind a load balancer is. Closed with the first.
   */
  twin(): Promise<{ url: string; portal: Portal }>;
  /**
   * How long the server took for the last request it finished (from its arrival to the response
   * handed to the network), in ms: the server-side time a timing attack measures, without the
   * in-process test client's own work in it.
   */
  lastServerMs(): number | undefined;
  close(): Promise<void>;
}

export async function startTestPortal(
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    captchaGenerator?: CaptchaGenerator;
    /** Receives every log line (at debug level) instead of silence: for tests that read the logs. */
    logSink?: (line: string) => void;
    /**
     * The host name in PORTAL_URL (the server still listens on 127.0.0.1): `localhost` for passkeys,
     * since browsers refuse WebAuthn on an IP address.
     */
    hostname?: 'localhost';
  } = {},
): Promise<TestPortal> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.hostname ?? '127.0.0.1'}:${port}`;
  const database = await freshDatabase();
  const mail = await startSmtpReceiver();

  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORTAL_URL: url,
    DATABASE_URL: database.url,
    DEMO_DATA: 'false',
    SMTP_URL: mail.smtpUrl,
    SIGNIN_RATE_LIMIT_PER_MINUTE: '10000',
    SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
    // Staff sign-ins are tried without a second factor here; the MFA tests turn the rule back on.
    MFA_REQUIRED_FOR_STAFF: 'false',
    ...options.env,
  });
  const db = createDb(config.databaseUrl);
  const sink = options.logSink;
  const logger = sink ? createLogger('debug', { write: (line: string) => sink(line) }) : createLogger(config.logLevel);

  let portal = await createPortal(config, { db, logger, clock: options.clock, captchaGenerator: options.captchaGenerator });
  let lastServerMs: number | undefined;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => (lastServerMs = Number(process.hrtime.bigint() - started) / 1e6));
    portal.app(req as never, res as never);
  };
  server.on('request', handle);
  // `localhost` may resolve to ::1 first (another machine's /etc/hosts): answer there too, when it exists.
  const ipv6 = options.hostname ? createServer(handle) : undefined;
  if (ipv6) await new Promise<void>((resolve) => ipv6.once('error', () => resolve()).listen(port, '::1', resolve));
  const twins: { server: Server; portal: Portal; db: Db }[] = [];

  const instance: TestPortal = {
    url,
    config,
    db,
    mail,
    get portal() {
      return portal;
    },
    get directory() {
      return createDirectory(portal.services, (m) => portal.provider.Client.validate(m as never));
    },
    async restart() {
      // A new provider, new in-memory caches, same database: what a process restart would do.
      portal = await createPortal(config, { db, logger, clock: options.clock, captchaGenerator: options.captchaGenerator });
    },
    lastServerMs: () => lastServerMs,
    async twin() {
      const twinDb = createDb(config.databaseUrl);
      const twinPortal = await createPortal(config, { db: twinDb, logger, clock: options.clock, captchaGenerator: options.captchaGenerator });
      const twinServer = createServer((req, res) => twinPortal.app(req as never, res as never));
      await new Promise<void>((resolve) => twinServer.listen(0, '127.0.0.1', resolve));
      twins.push({ server: twinServer, portal: twinPortal, db: twinDb });
      return { url: `http://127.0.0.1:${(twinServer.address() as AddressInfo).port}`, portal: twinPortal };
    },
    async close() {
      for (const twin of twins) {
        twin.server.closeAllConnections();
        await new Promise<void>((resolve) => twin.server.close(() => resolve()));
        await twin.portal.close();
        await twin.db.destroy();
      }
      for (const s of ipv6?.listening ? [server, ipv6] : [server]) {
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      await portal.close();
      await db.destroy();
      await database.drop();
      await mail.close();
    },
  };
  return instance;
}

/**
 * An empty database for one test: a new PostgreSQL database on `serverUrl`'s server (default
 * TEST_DATABASE_URL), or a temp SQLite file.
 */
export async function freshDatabase(serverUrl: string | undefined = process.env.TEST_DATABASE_URL): Promise<{ url: string; drop(): Promise<void> }> {
  const pgUrl = serverUrl;
  if (pgUrl && /^postgres(ql)?:\/\//.test(pgUrl)) {
    const name = `portal_test_${randomBytes(6).toString('hex')}`;
    const admin = knex({ client: 'pg', connection: pgUrl, pool: { min: 0, max: 1 } });
    await admin.raw(`create database ${name}`);
    const url = new URL(pgUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async drop() {
        await admin.raw(`drop database if exists ${name} with (force)`);
        await admin.destroy();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'portal-test-'));
  return {
    url: `sqlite:${join(dir, 'portal.sqlite')}`,
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ReceivedLogout {
  path: string;
  logoutToken: string;
}

/** An HTTP server that records back-channel logout tokens POSTed to it, as an app would receive them. */
export async function startBackchannelReceiver(): Promise<{ url: string; received: ReceivedLogout[]; waitFor(n: number, ms?: number): Promise<ReceivedLogout[]>; close(): Promise<void> }> {
  const received: ReceivedLogout[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const token = new URLSearchParams(body).get('logout_token');
    if (req.method === 'POST' && token) {
      received.push({ path: req.url ?? '/', logoutToken: token });
      res.writeHead(200).end();
    } else {
      res.writeHead(400).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    async waitFor(n, ms = 5000) {
      const deadline = Date.now() + ms;
      while (received.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export { recordSecurityResult, type SecurityResult } from './security-summary.js';
export * from './fuzz.js';
export * from './csrf-table.js';
export { compareSides, maskedShape, type Probe, type StepVerdict } from './enumeration.js';
export { createAppHosts, type AppHosts } from './app-hosts.js';
export { startSmtpReceiver, type CaughtMail, type MailCatcher } from './smtp-receiver.js';
export { answerFirstSignInSteps, countingCaptcha, expectHeading, launchChromium, pictureDigits, press, stepTimeoutMs, watchCspViolations, wordsLeftInEnglish } from './browser.js';
export { startPortalCluster, clusterPrerequisiteProblem, ClusterBrowser, type PortalCluster, type ClusterInstance, type InstanceExit, type Exchange } from './cluster.js';
export { createTlsProxy, type TlsProxy } from './tls-proxy.js';
export { freePort } from './haproxy.js';
export { portalRejectedWrites, appRejectedWrite } from './rejected-writes.js';
