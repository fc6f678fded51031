import { migrateWith, type Db } from '@portal/db';
import { orderingMigrations } from './migrations/index.js';

/** Applies VAOS's migrations, recorded in a table of their own (rp-kit keeps `rp_kit_migrations`). */
export function migrateOrdering(db: Db): Promise<string[]> {
  return migrateWith(db, orderingMigrations, 'ordering:migrate', { tableName: 'ordering_migrations' });
}
