import type { Db } from '@portal/db';
import { migrateEnrollment } from './db/index.js';
import { seedEnrollmentDemoData } from './demo/demo-data.js';

/** Readies Syntropi's database at start: its migrations, and outside production the demo enrollments. */
export async function prepareEnrollment(db: Db, options: { demoData: boolean; now?: number }): Promise<number> {
  await migrateEnrollment(db);
  if (!options.demoData) return 0;
  return seedEnrollmentDemoData(db, options.now ?? Date.now());
}
