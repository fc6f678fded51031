import type { Db } from '@portal/db';

/** Who agreed to which version of the Confidentiality Statement, and when. */
export function createAgreementQueries(db: Db) {
  return {
    async has(sub: string, version: string): Promise<boolean> {
      return Boolean(await db('statement_agreements').where({ sub, version }).first('sub'));
    },
    async record(sub: string, version: string, now: number): Promise<void> {
      await db('statement_agreements').insert({ sub, version, agreed_at: now }).onConflict(['sub', 'version']).ignore();
    },
  };
}
