import { listedMigrations, type Knex } from '@portal/db';
import * as enrollment from './001-enrollment.js';

// Listed in code, not discovered on disk, so they run the same under tsx, jest and a build.
const migrations: Record<string, Knex.Migration> = {
  '001-enrollment': enrollment,
};

export const enrollmentMigrations = listedMigrations(migrations);
