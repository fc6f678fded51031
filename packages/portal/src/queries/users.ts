import type { Db } from '../db/knex.js';

export interface UserRow {
  id: string;
  username: string;
  username_key: string;
  name: string;
  email: string;
  phone: string | null;
  password_hash: string;
  password_temporary: boolean;
  password_changed_at: number;
  system_role: 'helpdesk' | 'admin' | null;
  disabled_at: number | null;
  last_sign_in_at: number | null;
  password_reset_at: number | null;
  created_at: number;
  updated_at: number;
}

export type NewUser = Pick<UserRow, 'id' | 'username' | 'name' | 'email' | 'phone' | 'password_hash' | 'password_temporary' | 'system_role'>;

/** Lookup key: Unicode-normalised and case-folded. Digits fold to themselves, so leading zeros stay significant. */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

export function createUserQueries(db: Db) {
  const users = () => db<UserRow>('users');
  const fromRow = (row: UserRow | undefined): UserRow | undefined =>
    row && { ...row, password_temporary: Boolean(row.password_temporary) };

  return {
    async findById(id: string): Promise<UserRow | undefined> {
      return fromRow(await users().where({ id }).first());
    },
    async findByUsername(username: string): Promise<UserRow | undefined> {
      return fromRow(await users().where({ username_key: usernameKey(username) }).first());
    },
    async insert(user: NewUser, now: number, trx: Db = db): Promise<void> {
      await trx<UserRow>('users').insert({
        ...user,
        username_key: usernameKey(user.username),
        password_changed_at: now,
        disabled_at: null,
        last_sign_in_at: null,
        password_reset_at: null,
        created_at: now,
        updated_at: now,
      });
    },
    /**
     * A new password: its age starts now and it is no longer temporary. With `expectedHash`, only
     * over that password (compare-and-set): false when another change came first.
     */
    async setPassword(id: string, passwordHash: string, now: number, opts: { temporary?: boolean; viaReset?: boolean; expectedHash?: string } = {}): Promise<boolean> {
      const n = await users()
        .where({ id, ...(opts.expectedHash !== undefined ? { password_hash: opts.expectedHash } : {}) })
        .update({
          password_hash: passwordHash,
          password_changed_at: now,
          password_temporary: opts.temporary ?? false,
          updated_at: now,
          ...(opts.viaReset ? { password_reset_at: now } : {}),
        });
      return n === 1;
    },
    /** My Profile: name and phone (null when left empty). The email has its own confirmed path. */
    async updateProfile(id: string, profile: { name: string; phone: string | null }, now: number): Promise<void> {
      await users().where({ id }).update({ name: profile.name, phone: profile.phone, updated_at: now });
    },
    /** A new email address, only once the person has proven they read it (SPEC §3.9). */
    async setEmail(id: string, email: string, now: number): Promise<void> {
      await users().where({ id }).update({ email, updated_at: now });
    },
    async recordSignIn(id: string, now: number): Promise<void> {
      await users().where({ id }).update({ last_sign_in_at: now });
    },
    async updatePasswordHash(id: string, passwordHash: string, now: number): Promise<void> {
      // Rehash with stronger parameters: same password, so its age does not change.
      await users().where({ id }).update({ password_hash: passwordHash, updated_at: now });
    },
    async count(): Promise<number> {
      const row = await users().count<{ n: number | string }[]>({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },
  };
}

export type UserQueries = ReturnType<typeof createUserQueries>;
