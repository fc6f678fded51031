import { createServer, type RequestListener } from 'node:http';
import { createDb, type Db } from '@portal/db';
import { AppSettingsError, readAppSettings, type AppKey, type AppSettings } from './app-env.js';
import { migrateRpKit } from './migrations/index.js';
import { consoleLogger, type RelyingPartyOptions } from './relying-party.js';

/** What an app's createApp takes: rp-kit's options, less the name the app gives itself. */
export type AppOptions = Omit<RelyingPartyOptions, 'appName' | 'accessDenied'>;

export interface StartAppHooks {
  /**
   * Runs after rp-kit's migrations and before createApp: the app's own migrations, say
   * `migrateWith(db, source, 'registry:migrate', { tableName: 'registry_migrations' })`.
   */
  prepare?(db: Db): Promise<void>;
}

/**
 * What each app's main.ts does: read the environment, open and migrate the app's database, build
 * the app, listen, stop on a signal. `developmentSecret` is only called when no client secret is
 * configured outside production.
 */
export async function startApp(
  app: AppKey,
  appName: string,
  createApp: (options: AppOptions) => RequestListener | Promise<RequestListener>,
  developmentSecret: () => Promise<string>,
  hooks: StartAppHooks = {},
): Promise<void> {
  let settings: AppSettings;
  try {
    settings = readAppSettings(app);
  } catch (err) {
    if (!(err instanceof AppSettingsError)) throw err;
    console.error(err.message);
    process.exit(78); // EX_CONFIG
  }
  let clientSecret = settings.clientSecret;
  if (clientSecret === undefined) {
    console.warn(`${app.toUpperCase()}_CLIENT_SECRET unset: using the development client secret from the demo data`);
    clientSecret = await developmentSecret();
  }
  const db = createDb(settings.databaseUrl);
  await migrateRpKit(db);
  await hooks.prepare?.(db);
  const server = createServer(
    await createApp({
      issuerUrl: settings.portalUrl,
      clientId: settings.clientId,
      clientSecret,
      db,
      baseUrl: settings.appUrl,
      idleMinutes: settings.idleMinutes,
      idleWarningSeconds: settings.idleWarningSeconds,
      maxSessionHours: settings.maxSessionHours,
      agency: settings.agency,
      log: consoleLogger({ info: true }),
    }),
  );
  server.on('error', (err) => {
    console.error(`${appName} could not listen on port ${settings.port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(settings.port, () => console.log(`${appName} listening on ${settings.appUrl} (Enterprise Portal ${settings.portalUrl})`));
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // In-flight requests finish before the pool closes: a session write is not cut in half.
    server.close(() => {
      db.destroy().then(
        () => process.exit(0),
        (err: Error) => {
          console.error(`${appName}: closing the database failed: ${err.message}`);
          process.exit(1);
        },
      );
    });
    server.closeIdleConnections();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
