import { randomUUID } from 'node:crypto';
import type { Db } from '../db/knex.js';
import { searchKey, usernameKey } from '../queries/users.js';

const firstNames = ['Ana', 'Ben', 'Carla', 'Dev', 'Elena', 'Farid', 'Grace', 'Hector', 'Ines', 'Jamal', 'Kim', 'Luis', 'Maya', 'Noah', 'Olga', 'Pat'];
const lastNames = ['Garcia', 'Nguyen', 'Smith', 'Johnson', 'Martinez', 'Lee', 'Brown', 'Lopez', 'Wilson', 'Patel', 'Kim', 'Davis'];

/**
 * A directory at planning scale (SPEC §1: about 100,000 users in 20,000 organizations), written in
 * bulk straight to the tables (`pnpm portal seed:scale`, `pnpm bench`, the search tests). Every
 * account gets the same precomputed argon2id hash — one hash instead of 100,000 — so when
 * `passwordHash` is given they can all sign in with its password; without it nobody can.
 */
export async function seedDirectory(db: Db, options: { users: number; orgs: number; now?: number; passwordHash?: string; prefix?: string }): Promise<{ users: number; orgs: number; firstUsername: string }> {
  const prefix = options.prefix ?? 'user';
  const now = options.now ?? Date.now();
  const orgIds: string[] = [];
  const batch = async (table: string, rows: Record<string, unknown>[]) => {
    for (let i = 0; i < rows.length; i += 400) await db(table).insert(rows.slice(i, i + 400));
  };
  const orgs = Array.from({ length: options.orgs }, (_, i) => {
    const id = randomUUID();
    orgIds.push(id);
    // ORG00042 for the default seed; another prefix gets its own codes (SCALEORG00042).
    const code = `${options.prefix ? prefix.toUpperCase() : ''}ORG${String(i).padStart(5, '0')}`.slice(0, 40);
    return { id, code, code_key: code.toLowerCase(), iis_id: String(2_000_000_000 + (options.prefix ? hashOffset(options.prefix) : 0) + i).slice(-10), name: `Clinic ${i}`, type: 'clinic', created_at: now };
  });
  await batch('organizations', orgs);
  const users: Record<string, unknown>[] = [];
  const memberships: Record<string, unknown>[] = [];
  for (let i = 0; i < options.users; i++) {
    const id = randomUUID();
    const username = `${prefix}${String(i).padStart(6, '0')}`;
    const name = `${firstNames[i % firstNames.length]} ${lastNames[Math.floor(i / firstNames.length) % lastNames.length]} ${i}`;
    const email = `${username}@clinic${i % options.orgs}.example.org`;
    users.push({
      id, username, username_key: usernameKey(username), name, name_key: searchKey(name), email, email_key: searchKey(email), phone: null,
      password_hash: options.passwordHash ?? 'not-a-hash', password_temporary: false, password_changed_at: now, system_role: null, disabled_at: null,
      last_sign_in_at: null, password_reset_at: null, temporary_password_expires_at: null, created_at: now, updated_at: now,
    });
    memberships.push({ user_id: id, org_id: orgIds[i % options.orgs], role: 'view_only', coordinator: null, created_at: now });
  }
  await batch('users', users);
  await batch('memberships', memberships);
  if (db.client.config.client === 'pg') await db.raw('analyze users, organizations, memberships');
  return { users: options.users, orgs: options.orgs, firstUsername: `${prefix}${'0'.repeat(6)}` };
}

/** Spreads the IIS ids of seeds with different prefixes apart (a seed is run once per prefix). */
function hashOffset(prefix: string): number {
  let h = 0;
  for (const c of prefix) h = (h * 31 + c.charCodeAt(0)) % 97;
  return (h + 1) * 1_000_000;
}
