import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { consoleLogger, createRelyingParty, isVaccineCoordinator, systemClock, type AppOptions, type RelyingParty } from '@portal/rp-kit';
import type { Db } from '@portal/db';
import { t } from './locales.js';
import { createAdministrations } from './libraries/administrations.js';
import { createInventory } from './libraries/inventory.js';
import { createAdministrationsApi, type InventoryApiSettings } from './routes/administrations-api.js';
import { createOrders } from './libraries/orders.js';
import { createAuditQueries } from './queries/audit.js';
import { createCatalogueQueries } from './queries/catalogue.js';
import { createOrganizationQueries } from './queries/organizations.js';
import { requireWorkspace, type Context } from './routes/context.js';
import { createHomeRoutes } from './routes/home.js';
import { createInventoryRoutes } from './routes/inventory.js';
import { createOrderRoutes } from './routes/orders.js';

export type { AppOptions };

// What the app's own guard says, and what a portal refusal (access_denied) says when it gives no reason of its own.
// Getters: read as the refusal is shown, in that page's language.
const coordinatorsOnly = {
  get title() {
    return t('access.coordinatorsOnlyTitle');
  },
  get message() {
    return t('access.coordinatorsOnly');
  },
};

/**
 * VAOS, the Vaccine Allocation and Ordering System (SPEC §5, seed 004), on rp-kit: catalogue,
 * orders, wasted doses and inventory, for Primary and Secondary Vaccine Coordinators. The database
 * must be prepared first (`prepareOrdering`: migrations and the catalogue).
 */
export function createApp(options: AppOptions & { inventoryApi?: InventoryApiSettings }): Express & { relyingParty: RelyingParty; db: Db; inventory: ReturnType<typeof createInventory> } {
  const clock = options.clock ?? systemClock;
  const db = options.db;
  const rp = createRelyingParty({ appName: 'VAOS', accessDenied: coordinatorsOnly, stylesheets: ['/static/ordering/ordering.css'], ...options });
  const audit = createAuditQueries(db);
  const catalogue = createCatalogueQueries(db);
  const organizations = createOrganizationQueries(db);
  const orders = createOrders({ db, clock, audit, catalogue, organizations });
  const inventory = createInventory({ db, clock, audit });
  const administrations = createAdministrations({ db, clock, audit, inventory });
  const ctx: Context = { rp, orders, inventory, catalogue };
  const today = () => new Date(clock.now()).toISOString().slice(0, 10);

  const app = express();
  app.disable('x-powered-by');
  app.use(rp.router);
  // The registry's inventory feed: a machine API, before the person-facing routes.
  app.use(createAdministrationsApi({ administrations, issuerUrl: options.issuerUrl, baseUrl: options.baseUrl, clock, log: options.log ?? consoleLogger({ info: false }), settings: options.inventoryApi }));
  app.use('/static/ordering', express.static(fileURLToPath(new URL('./static', import.meta.url)), { maxAge: '1h' }));

  // The app's own check, beside the portal's: a coordinator somewhere, or a 403 page saying so.
  const coordinatorOnly = rp.requireAccess((orgs) => isVaccineCoordinator(orgs), coordinatorsOnly);
  const workspace = requireWorkspace(ctx, coordinatorOnly);
  app.use(createHomeRoutes({ ...ctx, workspace, coordinatorOnly, today }));
  app.use(createOrderRoutes({ ...ctx, workspace }));
  app.use(createInventoryRoutes({ ...ctx, workspace }));

  app.use(rp.notFound);
  app.use(rp.errorHandler);
  return Object.assign(app, { relyingParty: rp, db, inventory });
}
