import { loadConfig, loadDotEnv, ConfigError } from './config/index.js';
import { createPortal } from './portal.js';
import { seedDemoData } from './cli/demo-data.js';
import { startMailCatcher } from './dev/mail-catcher.js';

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
  const catcher = config.mail.smtpUrl
    ? undefined
    : await startMailCatcher({ smtpPort: config.mail.catcherSmtpPort, webPort: config.mail.catcherWebPort });
  const portal = await createPortal(config, { smtpUrl: catcher?.smtpUrl });
  const { logger } = portal.services;
  if (catcher) logger.info({ inbox: catcher.webUrl }, 'mail catcher: read the mail the portal sends here');
  for (const warning of config.warnings) logger.warn(warning);

  if (config.demoData) {
    const printed = await seedDemoData(portal.services);
    if (printed) console.log(printed);
    if (catcher) console.log(`Mail (emailed security codes) arrives in the local inbox: http://localhost:${config.mail.catcherWebPort}`);
  }

  const server = portal.app.listen(config.port, config.host, () => {
    logger.info({ url: config.portalUrl, port: config.port }, 'HHS Enterprise Portal listening');
    // A self-check, and the first fetch of the process: oidc-provider builds its SSRF guard for
    // back-channel logout from fetch's global dispatcher, so make sure that dispatcher exists.
    void fetch(`http://127.0.0.1:${config.port}/healthz`).catch(() => logger.warn('self-check of /healthz failed'));
  });
  const sweeper = setInterval(() => void portal.sweep().catch((err) => logger.error({ err: err.message }, 'sweep failed')), 60_000); // a minute: idle sessions end (and apps hear of it) soon after their 15 minutes
  sweeper.unref();

  const stop = () => {
    clearInterval(sweeper);
    server.close(() => void Promise.all([portal.close(), catcher?.close()]).then(() => process.exit(0)));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
