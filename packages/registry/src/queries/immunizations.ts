import type { Db } from '@portal/db';

export interface ImmunizationFields {
  cvx: string;
  ndc: string | null;
  given_on: string;
  trade_name: string | null;
  mvx: string | null;
  lot: string | null;
  site: string | null;
  route: string | null;
  historical: boolean;
  administered_by: string | null;
}

export interface ImmunizationRow extends ImmunizationFields {
  id: number;
  client_id: number;
  organization_id: string;
  source: string;
  created_at: number;
  updated_at: number;
}

/** A dose as the record shows it: with the vaccine's name and the recording organization's. */
export interface DoseView extends ImmunizationRow {
  vaccine: string;
  groups: string;
  manufacturer: string | null;
  organization_name: string;
}

export function createImmunizationQueries(db: Db) {
  const asBoolean = (row: ImmunizationRow): ImmunizationRow => ({ ...row, historical: Boolean(row.historical) });
  return {
    async insert(clientId: number, organizationId: string, fields: ImmunizationFields, source: string, now: number): Promise<number> {
      const [row] = await db('immunizations').insert({ client_id: clientId, organization_id: organizationId, ...fields, source, created_at: now, updated_at: now }).returning('id');
      return typeof row === 'object' ? (row as { id: number }).id : (row as number);
    },

    async update(clientId: number, id: number, fields: ImmunizationFields, now: number): Promise<number> {
      return db('immunizations').where({ id, client_id: clientId }).update({ ...fields, updated_at: now });
    },

    async remove(clientId: number, id: number): Promise<number> {
      return db('immunizations').where({ id, client_id: clientId }).delete();
    },

    async find(clientId: number, id: number): Promise<ImmunizationRow | undefined> {
      const row = await db('immunizations').where({ id, client_id: clientId }).first();
      return row ? asBoolean(row) : undefined;
    },

    /** The client's doses, oldest first, in one query with the names a person reads. */
    async ofClient(clientId: number): Promise<DoseView[]> {
      const rows = await db('immunizations as i')
        .join('vaccines as v', 'v.cvx', 'i.cvx')
        .join('organizations as o', 'o.iis_id', 'i.organization_id')
        .leftJoin('manufacturers as m', 'm.mvx', 'i.mvx')
        .where('i.client_id', clientId)
        .orderBy([{ column: 'i.given_on' }, { column: 'i.id' }])
        .select('i.*', 'v.short_name as vaccine', 'v.groups', 'm.name as manufacturer', 'o.name as organization_name');
      return (rows as DoseView[]).map((r) => ({ ...r, historical: Boolean(r.historical) }));
    },

    /** Doses of many clients at once (recall lists, school reports): client id → [cvx, date]. */
    async historiesOf(clientIds: number[]): Promise<Map<number, { cvx: string; date: string }[]>> {
      const out = new Map<number, { cvx: string; date: string }[]>();
      for (let i = 0; i < clientIds.length; i += 500) {
        const rows = (await db('immunizations').whereIn('client_id', clientIds.slice(i, i + 500)).orderBy('given_on').select('client_id', 'cvx', 'given_on')) as { client_id: number; cvx: string; given_on: string }[];
        for (const r of rows) {
          const list = out.get(r.client_id) ?? [];
          list.push({ cvx: r.cvx, date: r.given_on });
          out.set(r.client_id, list);
        }
      }
      return out;
    },
  };
}

export type ImmunizationQueries = ReturnType<typeof createImmunizationQueries>;
