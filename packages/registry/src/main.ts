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

await startApp(
  'registry',
  'ImmTrac2',
  // REGISTRY_HL7_AUDIENCE: the `aud` of HL7 submission tokens; default REGISTRY_URL + /hl7/v2 (docs/hl7.md).
  (options) => createApp({ ...options, timeZone, hl7: { audience: process.env.REGISTRY_HL7_AUDIENCE || undefined, messagesPerMinute } }),
  // Development only: the secret the portal's demo data registers for this app.
  async () => demoClientSecrets.registry,
  {
    async prepare(db) {
      const created = await prepareRegistry(db, { demoData: process.env.NODE_ENV !== 'production' });
      if (created) console.log(`ImmTrac2 demo data: ${created} clients`);
    },
  },
);
