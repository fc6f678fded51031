import { demoClientSecrets } from '@portal/common';
import { startApp } from '@portal/rp-kit';
import { createApp } from './app.js';

/** read env → build the app → listen. Discovery waits for the first sign-in, so the portal may start later. */
await startApp(
  'ordering',
  'VAOS',
  createApp,
  // Development only: the secret the portal's demo data registers for this app.
  async () => demoClientSecrets.ordering,
);
