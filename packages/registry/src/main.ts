import { startApp } from '@portal/rp-kit';
import { createApp } from './app.js';

/** read env → build the app → listen. Discovery waits for the first sign-in, so the portal may start later. */
await startApp(
  'registry',
  'ImmTrac2',
  createApp,
  // Development only: the secret the portal's demo data registers for this app. Loaded lazily so a
  // production app (which must set REGISTRY_CLIENT_SECRET) never loads portal code.
  async () => (await import('../../portal/src/cli/demo-data.js')).demoClientSecrets.registry,
);
