import type { Db } from '@portal/db';

export interface OrganizationRow { iis_id: string; code: string; name: string; kind: string; region: number | null; city: string | null; county: string | null; phone: string | null }

export function createOrganizationQueries(db: Db) {
  return {
    async find(iisId: string): Promise<OrganizationRow | undefined> {
      return db('organizations').where({ iis_id: iisId }).first();
    },
    /**
     * The portal owns organizations; a sign-in tells us one the registry has not seen (created in the
     * portal since): it is recorded with what the claim says, and no region until an operator sets one.
     */
    async ensure(org: { code: string; iis_id: string; name: string }): Promise<void> {
      await db('organizations').insert({ iis_id: org.iis_id, code: org.code, name: org.name, kind: 'provider', region: null }).onConflict('iis_id').merge(['code', 'name']);
    },
    async upsert(row: OrganizationRow): Promise<void> {
      await db('organizations').insert(row).onConflict('iis_id').merge();
    },
    async list(filter: { region?: number } = {}): Promise<OrganizationRow[]> {
      const q = db('organizations').orderBy('name').select('*');
      if (filter.region !== undefined) q.where({ region: filter.region });
      return q;
    },
  };
}

export type OrganizationQueries = ReturnType<typeof createOrganizationQueries>;
