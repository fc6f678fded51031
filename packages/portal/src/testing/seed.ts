import { randomUUID } from 'node:crypto';
import type { Db } from '../db/knex.js';
import { searchKey, usernameKey } from '../queries/users.js';

const firstNames = ['Ana', 'Ben', 'Carla', 'Dev', 'Elena', 'Farid', 'Grace', 'Hector', 'Ines', 'Jamal', 'Kim', 'Luis', 'Maya', 'Noah', 'Olga', 'Pat'];
const lastNames = ['Garcia', 'Nguyen', 'Smith', 'Johnson', 'Martinez', 'Lee', 'Brown', 'Lopez', 'Wilson', 'Patel', 'Kim', 'Davis'];

/**
 * A directory at planning scale (SPEC §1: about 100,000 users in 20,000 organizations), written in
 * bulk straight to the tables — for the search tests and `pnpm bench`, where only the shape of
 * the data matters. Nobody can sign in with these accounts (their hash is not a real one).
 */
export async function seedDirectory(db: Db, options: { users: number; orgs: number; now?: number }): Promise<void> {
  const now = options.now ?? Date.now();
  const orgIds: string[] = [];
  const batch = async (table: string, rows: Record<string, unknown>[]) => {
    for (let i = 0; i < rows.length; i += 400) await db(table).insert(rows.slice(i, i + 400));
  };
  const orgs = Array.from({ length: options.orgs }, (_, i) => {
    const id = randomUUID();
    orgIds.push(id);
    const code = `ORG${String(i).padStart(5, '0')}`;
    return { id, code, code_key: code.toLowerCase(), iis_id: String(2_000_000_000 + i), name: `Clinic ${i}`, type: 'clinic', created_at: now };
  });
  await batch('organizations', orgs);
  const users: Record<string, unknown>[] = [];
  const memberships: Record<string, unknown>[] = [];
  for (let i = 0; i < options.users; i++) {
    const id = randomUUID();
    const username = `user${String(i).padStart(6, '0')}`;
    const name = `${firstNames[i % firstNames.length]} ${lastNames[Math.floor(i / firstNames.length) % lastNames.length]} ${i}`;
    const email = `${username}@clinic${i % options.orgs}.example.org`;
    users.push({
      id, username, username_key: usernameKey(username), name, name_key: searchKey(name), email, email_key: searchKey(email), phone: null,
      password_hash: 'not-a-hash', password_temporary: false, password_changed_at: now, system_role: null, disabled_at: null,
      last_sign_in_at: null, password_reset_at: null, temporary_password_expires_at: null, created_at: now, updated_at: now,
    });
    memberships.push({ user_id: id, org_id: orgIds[i % options.orgs], role: 'view_only', coordinator: null, created_at: now });
  }
  await batch('users', users);
  await batch('memberships', memberships);
  if (db.client.config.client === 'pg') await db.raw('analyze users, organizations, memberships');
}
