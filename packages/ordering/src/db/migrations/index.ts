import { listedMigrations, type Knex } from '@portal/db';
import * as ordering from './001-ordering.js';

// Listed in code, not discovered on disk, so they run the same under tsx, jest and a build.
const migrations: Record<string, Knex.Migration> = {
  '001-ordering': ordering,
};

export const orderingMigrations = listedMigrations(migrations);
