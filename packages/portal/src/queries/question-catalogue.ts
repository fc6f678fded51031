import type { Db } from '../db/knex.js';

export interface QuestionRow {
  id: string;
  text: string;
  retired_at: number | null;
  created_at: number;
}

export function createQuestionCatalogueQueries(db: Db) {
  const table = () => db<QuestionRow>('security_question_catalogue');
  return {
    async list(): Promise<QuestionRow[]> {
      return table().orderBy('created_at').orderBy('id');
    },
    /** Adds questions that are not there yet (the bundled list at start); never changes a stored one. */
    async insertMissing(rows: QuestionRow[]): Promise<void> {
      if (rows.length) await table().insert(rows).onConflict('id').ignore();
    },
    async insert(row: QuestionRow): Promise<void> {
      await table().insert(row);
    },
    async setRetired(id: string, retiredAt: number | null): Promise<boolean> {
      const q = table().where({ id });
      if (retiredAt === null) q.whereNotNull('retired_at');
      else q.whereNull('retired_at');
      return (await q.update({ retired_at: retiredAt })) === 1;
    },
  };
}

export type QuestionCatalogueQueries = ReturnType<typeof createQuestionCatalogueQueries>;
