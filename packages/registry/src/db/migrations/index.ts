import { listedMigrations, type Knex } from '@portal/db';
import * as registry from './001-registry.js';

// Listed in code, not discovered on disk, so they run the same under tsx, jest and a build.
const migrations: Record<string, Knex.Migration> = {
  '001-registry': registry,
};

export const registryMigrations = listedMigrations(migrations);
