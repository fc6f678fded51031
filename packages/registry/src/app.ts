import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { consoleLogger, createMachineTokens, createRelyingParty, systemClock, type AppOptions, type RelyingParty } from '@portal/rp-kit';
import type { Db } from '@portal/db';
import { createClientRecords } from './libraries/client-records.js';
import { createSchools } from './libraries/schools.js';
import { officialRecordStaticDir, officialRecordStaticPath } from './official-record/index.js';
import { createAuditQueries } from './queries/audit.js';
import { createOrganizationQueries } from './queries/organizations.js';
import { createReferenceQueries } from './queries/reference.js';
import { createAdminSupportRoutes } from './routes/admin-support.js';
import { createClientRoutes } from './routes/clients.js';
import type { Context } from './routes/context.js';
import { createJourneyRoutes } from './routes/journey.js';
import { createSchoolRoutes } from './routes/schools.js';
import { forecastFor, recommendedForRecord, recommendedSection } from './views/recommended.js';
import { createOfficialRecordRoutes } from './routes/official-record.js';
import { createUserRoutes } from './routes/users.js';
import { createHl7Routes, type Hl7Options } from './routes/hl7.js';
import { createInventoryFeedSender, type InventoryFeedSender } from './libraries/inventory-feed.js';
import { createRecall } from './libraries/recall.js';
import { createReports } from './libraries/reports.js';
import { createRecallRoutes } from './routes/recall.js';
import { createReportRoutes } from './routes/reports.js';

export type { AppOptions };

export interface RegistryOptions extends AppOptions, Hl7Options {
  /** Where the printed record's issue time is shown (MAIL_TIME_ZONE's sibling); default America/Chicago. */
  timeZone?: string;
  /**
   * Doses given, delivered to VAOS's inventory API with the registry's own client_credentials token
   * (libraries/inventory-feed.ts). Unset: the outbox fills and nothing is sent.
   */
  inventoryFeed?: { url: string; resource: string; intervalMs?: number; fetchImpl?: typeof fetch };
}

/**
 * ImmTrac2, the Texas immunization registry (SPEC §5, seeds 000 and 004), on rp-kit. The database
 * must be prepared first (`prepareRegistry`: migrations and the admin-support tables).
 */
export function createApp(options: RegistryOptions): Express & { relyingParty: RelyingParty; db: Db; inventoryFeed: InventoryFeedSender | undefined } {
  const { timeZone = 'America/Chicago', inventoryFeed: feedOptions, ...rpOptions } = options;
  const clock = options.clock ?? systemClock;
  const db = options.db;
  // Manage Users calls the portal's admin API as the person: their own token, for that API only.
  const apiBase = `${options.issuerUrl.replace(/\/+$/, '')}/api/admin/v1`;
  const rp = createRelyingParty({ appName: 'ImmTrac2', stylesheets: ['/static/registry/registry.css'], api: { resource: apiBase, scope: 'org:members' }, ...rpOptions });
  const audit = createAuditQueries(db);
  const reference = createReferenceQueries(db);
  const orgs = createOrganizationQueries(db);
  const log = options.log ?? consoleLogger({ info: false });
  const inventoryFeed = feedOptions
    ? createInventoryFeedSender({
        db, clock, log, url: feedOptions.url, intervalMs: feedOptions.intervalMs, fetchImpl: feedOptions.fetchImpl,
        tokens: createMachineTokens({ portalUrl: options.issuerUrl, clientId: options.clientId, clientSecret: options.clientSecret, scope: 'inventory:administered', resource: feedOptions.resource, clock, fetchImpl: feedOptions.fetchImpl }),
      })
    : undefined;
  inventoryFeed?.start();
  const afterDoses = inventoryFeed ? () => inventoryFeed.nudge() : undefined;
  const records = createClientRecords({ db, clock, audit, reference, afterDoses });
  const today = () => new Date(clock.now()).toISOString().slice(0, 10);
  const ctx: Context = { rp, orgs, saveSessionData: (session, patch) => rp.updateSessionData(session, patch as Record<string, unknown>) };

  const app = express();
  app.disable('x-powered-by');
  app.use(rp.router);
  app.use('/static/registry', express.static(fileURLToPath(new URL('./static', import.meta.url)), { maxAge: '1h' }));
  app.use(officialRecordStaticPath, express.static(officialRecordStaticDir, { maxAge: '1h' }));
  // HL7 v2 VXU intake (docs/hl7.md): a bearer token, no session or CSRF; its body parser is on that route only.
  app.use(createHl7Routes({ db, clock, audit, issuerUrl: options.issuerUrl, baseUrl: options.baseUrl, log, settings: options.hl7, afterDoses }));

  app.use(createJourneyRoutes({ ...ctx, db, audit, clock }));
  app.use(createClientRoutes({ ...ctx, records, reference, today, recommended: (record, day) => recommendedSection(forecastFor(record.client, record.doses, day), day) }));
  app.use(createOfficialRecordRoutes({ ...ctx, records, audit, clock, timeZone, today, recommendedFor: (record, day) => recommendedForRecord(forecastFor(record.client, record.doses, day)) }));
  app.use(createSchoolRoutes({ ...ctx, records, today, timeZone, schools: createSchools({ db, clock, audit }) }));

  app.use(createAdminSupportRoutes({ ...ctx, reference }));
  app.use(createUserRoutes({ ...ctx, apiBase, audit, clock }));

  app.use(createReportRoutes({ ...ctx, today, reports: createReports({ db, clock, audit, records, reference }) }));
  app.use(createRecallRoutes({ ...ctx, recall: createRecall({ db, clock, orgs }) }));

  app.use(rp.notFound);
  app.use(rp.errorHandler);
  return Object.assign(app, { relyingParty: rp, db, inventoryFeed });
}
