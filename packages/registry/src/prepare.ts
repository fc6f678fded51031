import type { Db } from '@portal/db';
import { migrateRegistry } from './db/index.js';
import { seedRegistryDemoData } from './demo/demo-data.js';
import { createReferenceQueries } from './queries/reference.js';

/**
 * Readies the registry's database at start: its migrations, the admin-support tables, and outside
 * production the demo clients on an empty registry.
 */
export async function prepareRegistry(db: Db, options: { demoData: boolean; now?: number; demoClients?: number }): Promise<number> {
  await migrateRegistry(db);
  await createReferenceQueries(db).load();
  if (!options.demoData) return 0;
  const now = options.now ?? Date.now();
  return seedRegistryDemoData(db, { now, today: new Date(now).toISOString().slice(0, 10), clients: options.demoClients });
}
