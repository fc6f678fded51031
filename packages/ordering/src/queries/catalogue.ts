import type { Db } from '@portal/db';
import { catalogue as curated } from '../data/catalogue.js';

export interface CatalogueItem { ndc: string; cvx: string; vaccine: string; trade_name: string; manufacturer: string; doses_per_package: number }

export function createCatalogueQueries(db: Db) {
  return {
    /** Writes the curated table (new rows added, known ones refreshed); operators' rows stay. */
    async load(): Promise<void> {
      for (const row of curated) {
        await db('catalogue')
          .insert({ ndc: row.ndc, cvx: row.cvx, vaccine: row.vaccine, trade_name: row.tradeName, manufacturer: row.manufacturer, doses_per_package: row.dosesPerPackage, orderable: true })
          .onConflict('ndc')
          .merge(['cvx', 'vaccine', 'trade_name', 'manufacturer', 'doses_per_package']);
      }
    },
    async list(): Promise<CatalogueItem[]> {
      return db('catalogue').where({ orderable: true }).orderBy(['vaccine', 'trade_name']).select('ndc', 'cvx', 'vaccine', 'trade_name', 'manufacturer', 'doses_per_package');
    },
    async find(ndc: string): Promise<CatalogueItem | undefined> {
      return db('catalogue').where({ ndc }).first('ndc', 'cvx', 'vaccine', 'trade_name', 'manufacturer', 'doses_per_package');
    },
  };
}

export type CatalogueQueries = ReturnType<typeof createCatalogueQueries>;
