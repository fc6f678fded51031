import { migrateWith, type Db } from '@portal/db';
import { registryMigrations } from './migrations/index.js';

export { createDb, unitOfWork, isSqlite, type Db } from '@portal/db';

/** Applies ImmTrac2's migrations (instances that start together take turns). */
export function migrateRegistry(db: Db): Promise<string[]> {
  return migrateWith(db, registryMigrations, 'registry:migrate');
}
