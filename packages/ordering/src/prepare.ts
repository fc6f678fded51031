import type { Db } from '@portal/db';
import { migrateOrdering } from './db/index.js';
import { seedOrderingDemoData } from './demo/demo-data.js';
import { createCatalogueQueries } from './queries/catalogue.js';

/**
 * Readies VAOS's database at start (after rp-kit's own migrations): its migrations, the curated
 * catalogue, and outside production the demo lots and orders on a VAOS without orders.
 */
export async function prepareOrdering(db: Db, options: { demoData: boolean; now?: number }): Promise<number> {
  await migrateOrdering(db);
  await createCatalogueQueries(db).load();
  if (!options.demoData) return 0;
  return seedOrderingDemoData(db, options.now ?? Date.now());
}
