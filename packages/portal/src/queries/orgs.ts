import type { Db } from '../db/knex.js';

export { registryRoles, coordinatorKinds, type RegistryRole, type Coordinator } from '@portal/common';
import type { RegistryRole, Coordinator } from '@portal/common';

export interface OrgRow {
  id: string;
  code: string;
  iis_id: string;
  name: string;
  /** What kind of site: clinic, hospital, pharmacy, school, public health, … (null when not said). */
  type: string | null;
  created_at: number;
}

export interface MembershipView {
  id: string;
  code: string;
  iis_id: string;
  name: string;
  role: RegistryRole;
  coordinator: Coordinator | null;
}

/** A person in an organization's user list (org-members.ts). */
export interface MemberRow {
  user_id: string;
  username: string;
  name: string;
  email: string;
  role: RegistryRole;
  coordinator: Coordinator | null;
}

export function createOrgQueries(db: Db) {
  return {
    async findByCode(code: string, trx: Db = db): Promise<OrgRow | undefined> {
      return trx<OrgRow>('organizations').where({ code }).first();
    },
    async findByIisId(iisId: string): Promise<OrgRow | undefined> {
      return db<OrgRow>('organizations').where({ iis_id: iisId }).first();
    },
    async findById(id: string): Promise<OrgRow | undefined> {
      return db<OrgRow>('organizations').where({ id }).first();
    },
    async insert(org: Omit<OrgRow, 'created_at' | 'type'> & { type?: string | null }, now: number): Promise<void> {
      await db('organizations').insert({ ...org, type: org.type ?? null, code_key: org.code.toLowerCase(), created_at: now });
    },
    async update(id: string, changes: Partial<Pick<OrgRow, 'name' | 'type' | 'iis_id'>>): Promise<void> {
      await db<OrgRow>('organizations').where({ id }).update(changes);
    },
    /** Organizations whose code starts with `prefix` (case-insensitive), by code; paged. */
    async list(prefix: string, page: { limit: number; offset: number }): Promise<OrgRow[]> {
      const key = prefix.toLowerCase();
      return db<OrgRow>('organizations')
        .where('code_key', '>=', key)
        .andWhere('code_key', '<', `${key}\uffff`)
        .orderBy('code_key')
        .limit(page.limit)
        .offset(page.offset)
        .select('id', 'code', 'iis_id', 'name', 'type', 'created_at');
    },
    async removeMembership(userId: string, orgId: string): Promise<boolean> {
      return (await db('memberships').where({ user_id: userId, org_id: orgId }).delete()) === 1;
    },
    async setMembership(m: { userId: string; orgId: string; role: RegistryRole; coordinator: Coordinator | null }, now: number): Promise<void> {
      await db('memberships')
        .insert({ user_id: m.userId, org_id: m.orgId, role: m.role, coordinator: m.coordinator, created_at: now })
        .onConflict(['user_id', 'org_id'])
        .merge(['role', 'coordinator']);
    },
    async addMembership(
      m: { userId: string; orgId: string; role: RegistryRole; coordinator: Coordinator | null },
      now: number,
      trx: Db = db,
    ): Promise<void> {
      await trx('memberships').insert({
        user_id: m.userId,
        org_id: m.orgId,
        role: m.role,
        coordinator: m.coordinator,
        created_at: now,
      });
    },
    /** Everyone with a membership at the organization, by username. */
    async membersOf(orgId: string): Promise<MemberRow[]> {
      return db('memberships as m')
        .join('users as u', 'u.id', 'm.user_id')
        .where('m.org_id', orgId)
        .orderBy('u.username_key')
        .select('u.id as user_id', 'u.username', 'u.name', 'u.email', 'm.role', 'm.coordinator');
    },
    async memberOf(orgId: string, userId: string): Promise<MemberRow | undefined> {
      return db('memberships as m')
        .join('users as u', 'u.id', 'm.user_id')
        .where({ 'm.org_id': orgId, 'm.user_id': userId })
        .first('u.id as user_id', 'u.username', 'u.name', 'u.email', 'm.role', 'm.coordinator');
    },
    /** False when the membership is already there, a concurrent add's included (the primary key decides). */
    async addMembershipIfAbsent(m: { userId: string; orgId: string; role: RegistryRole; coordinator: Coordinator | null }, now: number): Promise<boolean> {
      const inserted = await db('memberships')
        .insert({ user_id: m.userId, org_id: m.orgId, role: m.role, coordinator: m.coordinator, created_at: now })
        .onConflict(['user_id', 'org_id'])
        .ignore()
        .returning(['user_id']);
      return inserted.length === 1;
    },
    /** The role alone: the vaccine-coordinator flag stays. False when there is no such membership (any more). */
    async setMembershipRole(userId: string, orgId: string, role: RegistryRole): Promise<boolean> {
      return (await db('memberships').where({ user_id: userId, org_id: orgId }).update({ role })) === 1;
    },
    async membershipsOf(userId: string): Promise<MembershipView[]> {
      return db('memberships as m')
        .join('organizations as o', 'o.id', 'm.org_id')
        .where('m.user_id', userId)
        .orderBy('o.name')
        .select('o.id', 'o.code', 'o.iis_id', 'o.name', 'm.role', 'm.coordinator');
    },
  };
}

export type OrgQueries = ReturnType<typeof createOrgQueries>;
