import { demoClientSecrets } from '@portal/common';
import { startApp } from '@portal/rp-kit';
import { createApp } from './app.js';
import { MailSettingsError, readMailSettings, type MailSettings } from './config/mail-settings.js';
import { createMailer } from './libraries/mailer.js';
import { prepareEnrollment } from './prepare.js';

/** read env → open and prepare the database → build the app → listen. Discovery waits for the first sign-in. */
let mail: MailSettings;
try {
  mail = readMailSettings();
} catch (err) {
  if (!(err instanceof MailSettingsError)) throw err;
  console.error(err.message);
  process.exit(78); // EX_CONFIG
}
if (mail.catcher) console.warn(`SMTP_URL unset: Syntropi's mail goes to the local mail catcher (${mail.smtpUrl}), not to people`);

await startApp(
  'enrollment',
  'Syntropi',
  (options) => createApp({ ...options, mailer: createMailer({ smtpUrl: mail.smtpUrl, from: mail.from, log: options.log ?? (() => {}) }) }),
  // Development only: the secret the portal's demo data registers for this app.
  async () => demoClientSecrets.enrollment,
  {
    async prepare(db) {
      const created = await prepareEnrollment(db, { demoData: process.env.NODE_ENV !== 'production' });
      if (created) console.log(`Syntropi demo data: ${created} enrollments`);
    },
  },
);
