import { listedMigrations, type Knex } from '@portal/db';
import * as ordering from './001-ordering.js';
import * as administrations from './002-administrations.js';

// Listed in code, not discovered on disk, so they run the same under tsx, jest and a build.
const migrations: Record<string, Knex.Migration> = {
  '001-ordering': ordering,
  '002-administrations': administrations,
};

export const orderingMigrations = listedMigrations(migrations);
