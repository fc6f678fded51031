import { migrateWith, type Db } from '@portal/db';
import { enrollmentMigrations } from './migrations/index.js';

export { createDb, unitOfWork, isSqlite, type Db } from '@portal/db';

/** Applies Syntropi's migrations, recorded in a table of their own beside rp-kit's (instances take turns). */
export function migrateEnrollment(db: Db): Promise<string[]> {
  return migrateWith(db, enrollmentMigrations, 'enrollment:migrate', { tableName: 'enrollment_migrations' });
}
