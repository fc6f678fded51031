import { listedMigrations, migrateWith, type Db, type Knex } from '@portal/db';
import * as rpSessions from './001-rp-sessions.js';

// Listed in code, not discovered on disk, so they run the same under tsx, jest and a build.
const migrations: Record<string, Knex.Migration> = {
  '001-rp-sessions': rpSessions,
};

/** knex's record of rp-kit's migrations: its own table, so an app's own list can live beside it. */
export const rpKitMigrationsTable = 'rp_kit_migrations';

/**
 * Creates or updates rp-kit's tables (rp_sessions). Each app calls it at start, beside its own
 * migrations; instances that start together take turns. Returns the names it applied.
 */
export function migrateRpKit(db: Db): Promise<string[]> {
  return migrateWith(db, listedMigrations(migrations), 'rp-kit:migrate', { tableName: rpKitMigrationsTable });
}
