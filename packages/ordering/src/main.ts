import { demoClientSecrets } from '@portal/common';
import { startApp } from '@portal/rp-kit';
import { createApp } from './app.js';
import { prepareOrdering } from './prepare.js';

/** read env → open and prepare the database → build the app → listen. Discovery waits for the first sign-in. */
await startApp(
  'ordering',
  'VAOS',
  // ORDERING_INVENTORY_AUDIENCE: the `aud` of the inventory feed's tokens; default ORDERING_URL + /api/v1 (the portal's INVENTORY_RESOURCE).
  (options) => createApp({ ...options, inventoryApi: { audience: process.env.ORDERING_INVENTORY_AUDIENCE || undefined } }),
  // Development only: the secret the portal's demo data registers for this app.
  async () => demoClientSecrets.ordering,
  {
    async prepare(db) {
      const created = await prepareOrdering(db, { demoData: process.env.NODE_ENV !== 'production' });
      if (created) console.log(`VAOS demo data: ${created} orders`);
    },
  },
);
