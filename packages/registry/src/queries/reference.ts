import type { Db } from '@portal/db';
import { manufacturers, ndcCodes, tradeNames, vaccineGroups, vaccines } from '../data/reference-data.js';

export interface VaccineOption { cvx: string; short_name: string; full_name: string; status: string; groups: string }

/** The admin-support information tables: read by every user, loaded from data/ at start. */
export function createReferenceQueries(db: Db) {
  return {
    /** Adds the curated rows that are missing; rows an operator changed are left alone. */
    async load(): Promise<void> {
      const upsert = async (table: string, key: string, rows: Record<string, unknown>[]) => {
        if (rows.length) await db(table).insert(rows).onConflict(key).ignore();
      };
      await upsert('vaccine_groups', 'code', vaccineGroups.map((g, i) => ({ code: g.code, label: g.label, display_order: i })));
      await upsert('vaccines', 'cvx', vaccines.map((v) => ({ cvx: v.cvx, short_name: v.shortName, full_name: v.fullName, status: v.status, groups: v.groups.join(' ') })));
      await upsert('manufacturers', 'mvx', manufacturers.map((m) => ({ ...m })));
      for (const t of tradeNames) await db('trade_names').insert(t).onConflict(['name', 'cvx', 'mvx']).ignore();
      await upsert('ndc_codes', 'ndc', ndcCodes.map((n) => ({ ndc: n.ndc, cvx: n.cvx, mvx: n.mvx, trade_name: n.tradeName, doses_per_package: n.dosesPerPackage })));
    },
    vaccineGroups: () => db('vaccine_groups').orderBy('display_order').select('code', 'label'),
    vaccines: (): Promise<VaccineOption[]> => db('vaccines').orderBy([{ column: 'status' }, { column: 'short_name' }]).select('cvx', 'short_name', 'full_name', 'status', 'groups'),
    vaccine: (cvx: string): Promise<VaccineOption | undefined> => db('vaccines').where({ cvx }).first(),
    manufacturers: () => db('manufacturers').orderBy('name').select('mvx', 'name', 'status'),
    manufacturer: (mvx: string) => db('manufacturers').where({ mvx }).first(),
    tradeNames: () =>
      db('trade_names as t').join('vaccines as v', 'v.cvx', 't.cvx').join('manufacturers as m', 'm.mvx', 't.mvx').orderBy('t.name').select('t.name', 't.cvx', 'v.short_name as vaccine', 't.mvx', 'm.name as manufacturer'),
    ndcCodes: () => db('ndc_codes as n').join('vaccines as v', 'v.cvx', 'n.cvx').orderBy('n.trade_name').select('n.*', 'v.short_name as vaccine'),
    ndc: (ndc: string) => db('ndc_codes').where({ ndc }).first(),
  };
}

export type ReferenceQueries = ReturnType<typeof createReferenceQueries>;
