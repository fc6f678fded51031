import './process-tuning.js'; // first: before anything starts libuv's thread pool
import { loadConfig, loadDotEnv, ConfigError } from './config/index.js';
import { createPortal } from './portal.js';

/** load config → open db → build provider → build app → listen */
async function main() {
  let config;
  try {
    loadDotEnv();
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  // Development: without SMTP_URL, mail goes to a local catcher with a web inbox (SPEC §6).
  // Loaded only then: an SMTP server and a mail parser have no business in a production process.
  const catcher = config.mail.smtpUrl
    ? undefined
    : await (await import('./dev/mail-catcher.js')).startMailCatcher({ smtpPort: config.mail.catcherSmtpPort, webPort: config.mail.catcherWebPort });
  const portal = await createPortal(config, { smtpUrl: catcher?.smtpUrl, processMetrics: true });
  const { logger } = portal.services;
  if (catcher) logger.info({ inbox: catcher.webUrl }, 'mail catcher: read the mail the portal sends here');
  for (const warning of config.warnings) logger.warn(warning);

  if (config.demoData) {
    const { seedDemoData } = await import('./cli/demo-data.js');
    const printed = await seedDemoData(portal.services);
    if (printed) console.log(printed);
    if (catcher) console.log(`Mail (emailed security codes) arrives in the local inbox: http://localhost:${config.mail.catcherWebPort}`);
  }

  // A process killed between committing a reset (a temporary password, a disabled account) and
  // ending that account's sessions left the promise in pending_session_ends. Kept before this one
  // serves anybody, not a sweep or two later: until then the old sessions — perhaps the very
  // ones the reset was for — would still be honoured (found by test/security/crash-safety.test.ts).
  // Another instance may be carrying out the same request now; ending sessions twice is harmless.
  const owed = await portal.sessions.retryPending(0).catch((err: Error) => {
    logger.error({ event: 'sessions.retry_error', err: err.message }, 'ending sessions left by a stopped process failed; the sweeper retries');
    return 0;
  });
  if (owed) logger.warn({ event: 'sessions.retried', requests: owed }, 'ended the sessions a stopped process still owed');

  const server = portal.app.listen(config.port, config.host, () => {
    logger.info({ url: config.portalUrl, port: config.port }, 'HHS Enterprise Portal listening');
    // A self-check, and the first fetch of the process: oidc-provider builds its SSRF guard for
    // back-channel logout from fetch's global dispatcher, so make sure that dispatcher exists.
    void fetch(`http://127.0.0.1:${config.port}/healthz`).catch(() => logger.warn('self-check of /healthz failed'));
  });
  const sweeper = setInterval(() => void portal.sweep().catch((err) => logger.error({ err: err.message }, 'sweep failed')), 60_000); // a minute: idle sessions end (and apps hear of it) soon after their 15 minutes
  sweeper.unref();

  // SIGTERM (systemd, a rolling deploy): tell the load balancer first (`/readyz` fails), keep
  // serving for the grace period while it takes this instance out, then stop taking connections,
  // let in-flight requests finish, close the pool and exit 0. SIGINT does the same, without the grace.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    portal.lifecycle.draining = true;
    clearInterval(sweeper);
    const graceMs = signal === 'SIGTERM' ? config.shutdownGraceSeconds * 1000 : 0;
    logger.info({ signal, graceMs }, 'draining: /readyz now fails; stopping after the grace period');
    const hardStop = setTimeout(() => {
      logger.warn('shutdown timeout: closing the connections still open');
      server.closeAllConnections();
    }, graceMs + config.shutdownTimeoutSeconds * 1000);
    hardStop.unref();
    setTimeout(() => {
      server.close(() => {
        void Promise.all([portal.close(), catcher?.close()]).then(
          () => {
            logger.info('stopped');
            process.exit(0);
          },
          (err: Error) => {
            logger.error({ err: err.message }, 'shutdown failed');
            process.exit(1);
          },
        );
      });
      // Kept-alive connections with no request in flight close now; busy ones after their answer.
      server.closeIdleConnections();
    }, graceMs);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
