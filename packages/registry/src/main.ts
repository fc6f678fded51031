import { demoClientSecrets } from '@portal/common';
import { startApp } from '@portal/rp-kit';
import { createApp } from './app.js';
import { prepareRegistry } from './prepare.js';

/** read env → open and prepare the database → build the app → listen. Discovery waits for the first sign-in. */
// Where the Official Immunization Record prints its issue time; refused at start when unknown.
const timeZone = process.env.REGISTRY_TIME_ZONE || 'America/Chicago';
try {
  new Intl.DateTimeFormat('en-US', { timeZone });
} catch {
  console.error(`Invalid configuration:\n  - REGISTRY_TIME_ZONE: not a time zone (e.g. America/Chicago): ${timeZone}`);
  process.exit(78); // EX_CONFIG
}
// REGISTRY_HL7_MESSAGES_PER_MINUTE: the HL7 endpoint's limit per client_id and instance (docs/hl7.md).
const perMinuteSetting = process.env.REGISTRY_HL7_MESSAGES_PER_MINUTE || '600';
const messagesPerMinute = Number(perMinuteSetting);
if (!Number.isInteger(messagesPerMinute) || messagesPerMinute < 1) {
  console.error(`Invalid configuration:\n  - REGISTRY_HL7_MESSAGES_PER_MINUTE: a whole number of at least 1 (was "${perMinuteSetting}")`);
  process.exit(78); // EX_CONFIG
}

// The inventory feed (docs/ordering.md, "Doses given"): doses given here, delivered to VAOS's inventory
// API with the registry's own client_credentials token for the portal's INVENTORY_RESOURCE.
// REGISTRY_INVENTORY_FEED_URL=off keeps the outbox filling without sending it.
const orderingUrl = (process.env.ORDERING_URL || 'http://localhost:3003').replace(/\/+$/, '');
const feedSetting = process.env.REGISTRY_INVENTORY_FEED_URL || `${orderingUrl}/api/v1/administrations`;
if (feedSetting !== 'off' && !URL.canParse(feedSetting)) {
  console.error(`Invalid configuration:\n  - REGISTRY_INVENTORY_FEED_URL: a URL, or off (was "${feedSetting}")`);
  process.exit(78); // EX_CONFIG
}
const inventoryFeed = feedSetting === 'off' ? undefined : { url: feedSetting, resource: process.env.INVENTORY_RESOURCE || `${orderingUrl}/api/v1` };

await startApp(
  'registry',
  'ImmTrac2',
  // REGISTRY_HL7_AUDIENCE: the `aud` of HL7 submission tokens; default REGISTRY_URL + /hl7/v2 (docs/hl7.md).
  (options) => createApp({ ...options, timeZone, inventoryFeed, hl7: { audience: process.env.REGISTRY_HL7_AUDIENCE || undefined, messagesPerMinute } }),
  // Development only: the secret the portal's demo data registers for this app.
  async () => demoClientSecrets.registry,
  {
    async prepare(db) {
      const created = await prepareRegistry(db, { demoData: process.env.NODE_ENV !== 'production' });
      if (created) console.log(`ImmTrac2 demo data: ${created} clients`);
    },
  },
);
