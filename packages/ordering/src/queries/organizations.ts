import type { Db } from '@portal/db';

export interface OrganizationRow { iis_id: string; code: string; name: string }

export function createOrganizationQueries(db: Db) {
  return {
    async find(iisId: string): Promise<OrganizationRow | undefined> {
      return db('organizations').where({ iis_id: iisId }).first('iis_id', 'code', 'name');
    },
    /** The portal owns organizations: one a claim names is recorded (or renamed) as the claim says. */
    async ensure(org: OrganizationRow): Promise<void> {
      await db('organizations').insert({ iis_id: org.iis_id, code: org.code, name: org.name }).onConflict('iis_id').merge(['code', 'name']);
    },
  };
}

export type OrganizationQueries = ReturnType<typeof createOrganizationQueries>;
