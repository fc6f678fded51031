import { createServer, type RequestListener } from 'node:http';
import { AppSettingsError, readAppSettings, type AppKey, type AppSettings } from './app-env.js';
import { consoleLogger, type RelyingPartyOptions } from './relying-party.js';

/** What an app's createApp takes: rp-kit's options, less the name the app gives itself. */
export type AppOptions = Omit<RelyingPartyOptions, 'appName' | 'accessDenied'>;

/**
 * What each app's main.ts does: read the environment, build the app, listen, stop on a signal.
 * `developmentSecret` is only called when no client secret is configured outside production.
 */
export async function startApp(
  app: AppKey,
  appName: string,
  createApp: (options: AppOptions) => RequestListener,
  developmentSecret: () => Promise<string>,
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
  const server = createServer(
    createApp({
      issuerUrl: settings.portalUrl,
      clientId: settings.clientId,
      clientSecret,
      baseUrl: settings.appUrl,
      idleMinutes: settings.idleMinutes,
      idleWarningSeconds: settings.idleWarningSeconds,
      maxSessionHours: settings.maxSessionHours,
      log: consoleLogger({ info: true }),
    }),
  );
  server.on('error', (err) => {
    console.error(`${appName} could not listen on port ${settings.port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(settings.port, () => console.log(`${appName} listening on ${settings.appUrl} (Enterprise Portal ${settings.portalUrl})`));
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
