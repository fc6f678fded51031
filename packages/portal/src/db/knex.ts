import { migrateWith, type Db } from '@portal/db';
import { migrationSource } from './migrations/index.js';

// The database layer every package shares lives in @portal/db; the portal adds its own migrations.
export { createDb, unitOfWork, isSqlite, withDatabaseLock, type Db, type UnitOfWork } from '@portal/db';

/** Applies the portal's migrations (instances that start together take turns). */
export function migrate(db: Db): Promise<string[]> {
  return migrateWith(db, migrationSource, 'portal:migrate');
}
