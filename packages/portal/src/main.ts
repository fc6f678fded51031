import { loadConfig, loadDotEnv, ConfigError } from './config/index.js';
import { createPortal } from './portal.js';
import { seedDemoData } from './cli/demo-data.js';

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
  const portal = await createPortal(config);
  const { logger } = portal.services;
  for (const warning of config.warnings) logger.warn(warning);

  if (config.demoData) {
    const printed = await seedDemoData(portal.services);
    if (printed) console.log(printed);
  }

  const server = portal.app.listen(config.port, config.host, () =>
    logger.info({ url: config.portalUrl, port: config.port }, 'HHS Enterprise Portal listening'),
  );
  const sweeper = setInterval(() => void portal.sweep().catch((err) => logger.error({ err: err.message }, 'sweep failed')), 10 * 60_000);
  sweeper.unref();

  const stop = () => {
    clearInterval(sweeper);
    server.close(() => void portal.close().then(() => process.exit(0)));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
