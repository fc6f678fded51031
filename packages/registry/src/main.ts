import { demoClientSecrets } from '@portal/common';
import { startApp } from '@portal/rp-kit';
import { createApp } from './app.js';
import { prepareRegistry } from './prepare.js';

/** read env → open and prepare the database → build the app → listen. Discovery waits for the first sign-in. */
await startApp(
  'registry',
  'ImmTrac2',
  createApp,
  // Development only: the secret the portal's demo data registers for this app.
  async () => demoClientSecrets.registry,
  {
    async prepare(db) {
      const created = await prepareRegistry(db, { demoData: process.env.NODE_ENV !== 'production' });
      if (created) console.log(`ImmTrac2 demo data: ${created} clients`);
    },
  },
);
