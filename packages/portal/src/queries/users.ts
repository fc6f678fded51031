import type { Db } from '../db/knex.js';
import type { MembershipView } from './orgs.js';

interface MembershipColumns {
  m_org_id: string | null;
  m_code: string | null;
  m_iis_id: string | null;
  m_name: string | null;
  m_role: MembershipView['role'] | null;
  m_coordinator: MembershipView['coordinator'];
}

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
  /** A help desk's temporary password stops working at this time if it was never used (72 h). */
  temporary_password_expires_at: number | null;
  created_at: number;
  updated_at: number;
}

export type NewUser = Pick<UserRow, 'id' | 'username' | 'name' | 'email' | 'phone' | 'password_hash' | 'password_temporary' | 'system_role'>;

/** Lookup key: Unicode-normalised and case-folded. Digits fold to themselves, so leading zeros stay significant. */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

/** The same folding for the help desk's search by name and email (indexed `name_key`, `email_key`). */
export const searchKey = usernameKey;

export type UserSearchField = 'username' | 'name' | 'email' | 'org';

/** A row of the help desk's search results: who, never anything secret. */
export interface UserSearchRow {
  id: string;
  username: string;
  name: string;
  email: string;
  system_role: 'helpdesk' | 'admin' | null;
  disabled_at: number | null;
}

/**
 * `key >= prefix AND key < prefix + U+FFFF`: a range on an indexed column, which both SQLite and
 * PostgreSQL answer from the index (a LIKE would need a special collation or scan).
 */
const prefixRange = (column: string, prefix: string) => (q: { where: (c: string, op: string, v: string) => unknown }) => {
  q.where(column, '>=', prefix);
  q.where(column, '<', `${prefix}\uffff`);
};

export function createUserQueries(db: Db) {
  const users = () => db<UserRow>('users');
  const fromRow = (row: UserRow | undefined): UserRow | undefined =>
    row && { ...row, password_temporary: Boolean(row.password_temporary) };

  return {
    async findById(id: string): Promise<UserRow | undefined> {
      return fromRow(await users().where({ id }).first());
    },
    /**
     * A user and their memberships in one statement: what oidc-provider asks for on every token
     * and userinfo request (its account, then its claims), one round trip instead of two.
     */
    async findWithMemberships(id: string): Promise<{ user: UserRow; memberships: MembershipView[] } | undefined> {
      const rows = (await db('users as u')
        .leftJoin('memberships as m', 'm.user_id', 'u.id')
        .leftJoin('organizations as o', 'o.id', 'm.org_id')
        .where('u.id', id)
        .orderBy('o.name')
        .select('u.*', 'o.id as m_org_id', 'o.code as m_code', 'o.iis_id as m_iis_id', 'o.name as m_name', 'm.role as m_role', 'm.coordinator as m_coordinator')) as (UserRow & MembershipColumns)[];
      const first = rows[0];
      if (!first) return undefined;
      const { m_org_id: _i, m_code: _c, m_iis_id: _s, m_name: _n, m_role: _r, m_coordinator: _k, ...user } = first;
      const memberships = rows
        .filter((r) => r.m_org_id !== null)
        .map((r) => ({ id: r.m_org_id!, code: r.m_code!, iis_id: r.m_iis_id!, name: r.m_name!, role: r.m_role!, coordinator: r.m_coordinator }));
      return { user: fromRow(user)!, memberships };
    },
    async findByUsername(username: string): Promise<UserRow | undefined> {
      return fromRow(await users().where({ username_key: usernameKey(username) }).first());
    },
    async insert(user: NewUser, now: number, trx: Db = db, options: { temporaryPasswordExpiresAt?: number | null } = {}): Promise<void> {
      await trx('users').insert({
        ...user,
        username_key: usernameKey(user.username),
        name_key: searchKey(user.name),
        email_key: searchKey(user.email),
        temporary_password_expires_at: options.temporaryPasswordExpiresAt ?? null,
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
    async setPassword(
      id: string,
      passwordHash: string,
      now: number,
      opts: { temporary?: boolean; temporaryExpiresAt?: number; viaReset?: boolean; expectedHash?: string } = {},
    ): Promise<boolean> {
      const n = await users()
        .where({ id, ...(opts.expectedHash !== undefined ? { password_hash: opts.expectedHash } : {}) })
        .update({
          password_hash: passwordHash,
          password_changed_at: now,
          password_temporary: opts.temporary ?? false,
          temporary_password_expires_at: opts.temporary ? (opts.temporaryExpiresAt ?? null) : null,
          updated_at: now,
          ...(opts.viaReset ? { password_reset_at: now } : {}),
        });
      return n === 1;
    },
    /** My Profile: name and phone (null when left empty). The email has its own confirmed path. */
    async updateProfile(id: string, profile: { name: string; phone: string | null }, now: number): Promise<void> {
      await db('users').where({ id }).update({ name: profile.name, name_key: searchKey(profile.name), phone: profile.phone, updated_at: now });
    },
    /** A new email address, only once the person has proven they read it (SPEC §3.9). */
    async setEmail(id: string, email: string, now: number): Promise<void> {
      await db('users').where({ id }).update({ email, email_key: searchKey(email), updated_at: now });
    },
    async recordSignIn(id: string, now: number): Promise<void> {
      await users().where({ id }).update({ last_sign_in_at: now });
    },
    async updatePasswordHash(id: string, passwordHash: string, now: number): Promise<void> {
      // Rehash with stronger parameters: same password, so its age does not change.
      await users().where({ id }).update({ password_hash: passwordHash, updated_at: now });
    },
    /** Disables (now) or re-enables (null) an account. Returns whether it changed. */
    async setDisabled(id: string, disabledAt: number | null, now: number): Promise<boolean> {
      const q = users().where({ id });
      if (disabledAt === null) q.whereNotNull('disabled_at');
      else q.whereNull('disabled_at');
      return (await q.update({ disabled_at: disabledAt, updated_at: now })) === 1;
    },
    /** The help desk's override of the once-a-day self-service reset (SPEC §3.6 step 5). */
    async clearResetLimit(id: string, now: number): Promise<boolean> {
      return (await users().where({ id }).whereNotNull('password_reset_at').update({ password_reset_at: null, updated_at: now })) === 1;
    },
    async setSystemRole(id: string, role: 'helpdesk' | 'admin' | null, now: number): Promise<void> {
      await users().where({ id }).update({ system_role: role, updated_at: now });
    },
    /**
     * Prefix search for the help desk, paged, newest keys first by key order. Username is exact
     * (employee numbers: 00012345678 ≠ 12345678) unless `prefix` is asked for on it too; every
     * branch is a range on an indexed key, so 100,000 users are never scanned.
     */
    async search(field: UserSearchField, text: string, page: { limit: number; offset: number }): Promise<UserSearchRow[]> {
      const key = searchKey(text);
      const columns = ['u.id', 'u.username', 'u.name', 'u.email', 'u.system_role', 'u.disabled_at'];
      if (field === 'org') {
        return db('organizations as o')
          .join('memberships as m', 'm.org_id', 'o.id')
          .join('users as u', 'u.id', 'm.user_id')
          .where(prefixRange('o.code_key', key))
          .orderBy('u.username_key')
          // PostgreSQL: the ORDER BY column of a DISTINCT must be selected.
          .distinct([...columns, 'u.username_key'])
          .limit(page.limit)
          .offset(page.offset);
      }
      const q = db('users as u').select(columns);
      if (field === 'username') q.where('u.username_key', key);
      else q.where(prefixRange(field === 'name' ? 'u.name_key' : 'u.email_key', key)).orderBy(field === 'name' ? 'u.name_key' : 'u.email_key');
      return q.orderBy('u.username_key').limit(page.limit).offset(page.offset);
    },
    async count(): Promise<number> {
      const row = await users().count<{ n: number | string }[]>({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },
  };
}

export type UserQueries = ReturnType<typeof createUserQueries>;
