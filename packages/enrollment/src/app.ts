import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { createRelyingParty, systemClock, type AppOptions, type RelyingParty } from '@portal/rp-kit';
import type { Db } from '@portal/db';
import { readMailSettings } from './config/mail-settings.js';
import { createEnrollments } from './libraries/enrollments.js';
import { createExchanges } from './libraries/exchanges.js';
import { createMailer, type Mailer } from './libraries/mailer.js';
import { createPortalCredentials, type PortalCredentials } from './libraries/portal-credentials.js';
import { createAuditQueries } from './queries/audit.js';
import { createEnrollmentRoutes } from './routes/enrollments.js';
import { createSiteRoutes } from './routes/sites.js';

export type { AppOptions };

export interface EnrollmentOptions extends AppOptions {
  /** Outgoing mail; default: SMTP from SMTP_URL / MAIL_FROM as the portal reads them (the dev catcher when unset). */
  mailer?: Mailer;
  /** The portal's admin API for HL7 credentials; default: the portal at `issuerUrl`, as this app's own client. */
  credentials?: PortalCredentials;
}

/**
 * Syntropi, provider enrollment (SPEC §5, seeds 003 and 004), on rp-kit. The database must be
 * prepared first (`prepareEnrollment`: migrations, and outside production the demo enrollments).
 */
export function createApp(options: EnrollmentOptions): Express & { relyingParty: RelyingParty; db: Db } {
  const { mailer: givenMailer, credentials: givenCredentials, ...rpOptions } = options;
  const clock = options.clock ?? systemClock;
  const db = options.db;
  const rp = createRelyingParty({ appName: 'Syntropi', stylesheets: ['/static/enrollment/enrollment.css'], ...rpOptions });
  const log = options.log ?? (() => {});
  const mailer = givenMailer ?? createMailer({ ...readMailSettings(), log });
  // Syntropi's own client at the portal (client_credentials): the same id and secret as its sign-in.
  const credentials = givenCredentials ?? createPortalCredentials({ portalUrl: options.issuerUrl, clientId: options.clientId, clientSecret: options.clientSecret, clock });
  const audit = createAuditQueries(db);
  const appUrl = options.baseUrl.replace(/\/+$/, '');
  const enrollments = createEnrollments({ db, clock, audit, mailer, appUrl, log });
  const exchanges = createExchanges({ db, clock, audit, mailer, credentials, appUrl, log });

  const app = express();
  app.disable('x-powered-by');
  app.use(rp.router);
  app.use('/static/enrollment', express.static(fileURLToPath(new URL('./static', import.meta.url)), { maxAge: '1h' }));
  app.use(createEnrollmentRoutes({ rp, enrollments, exchanges }));
  app.use(createSiteRoutes({ rp, exchanges }));

  app.use(rp.notFound);
  app.use(rp.errorHandler);
  return Object.assign(app, { relyingParty: rp, db });
}
