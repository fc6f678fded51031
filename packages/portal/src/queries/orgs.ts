import type { Db } from '../db/knex.js';

export { registryRoles, coordinatorKinds, type RegistryRole, type Coordinator } from '@portal/common';
import type { RegistryRole, Coordinator } from '@portal/common';

export interface OrgRow {
  id: string;
  code: string;
  iis_id: string;
  name: string;
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

export function createOrgQueries(db: Db) {
  return {
    async findByCode(code: string, trx: Db = db): Promise<OrgRow | undefined> {
      return trx<OrgRow>('organizations').where({ code }).first();
    },
    async findByIisId(iisId: string): Promise<OrgRow | undefined> {
      return db<OrgRow>('organizations').where({ iis_id: iisId }).first();
    },
    async insert(org: Omit<OrgRow, 'created_at'>, now: number): Promise<void> {
      await db<OrgRow>('organizations').insert({ ...org, created_at: now });
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
