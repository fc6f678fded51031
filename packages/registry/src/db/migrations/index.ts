import { listedMigrations, type Knex } from '@portal/db';
import * as registry from './001-registry.js';
import * as hl7 from './002-hl7.js';
import * as inventoryFeed from './003-inventory-feed.js';

// Listed in code, not discovered on disk, so they run the same under tsx, jest and a build.
const migrations: Record<string, Knex.Migration> = {
  '001-registry': registry,
  '002-hl7': hl7,
  '003-inventory-feed': inventoryFeed,
};

export const registryMigrations = listedMigrations(migrations);
