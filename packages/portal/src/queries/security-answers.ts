import type { Db } from '../db/knex.js';

export interface SecurityAnswerRow {
  user_id: string;
  question_id: string;
  answer_hash: string;
  created_at: number;
}

export function createSecurityAnswerQueries(db: Db) {
  return {
    async forUser(userId: string): Promise<SecurityAnswerRow[]> {
      return db<SecurityAnswerRow>('security_answers').where({ user_id: userId }).orderBy('question_id');
    },
    /** Replaces all of a user's answers at once: never a mix of old and new. */
    async replace(userId: string, answers: { questionId: string; answerHash: string }[], now: number): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('security_answers').where({ user_id: userId }).delete();
        await trx('security_answers').insert(answers.map((a) => ({ user_id: userId, question_id: a.questionId, answer_hash: a.answerHash, created_at: now })));
      });
    },
  };
}

export type SecurityAnswerQueries = ReturnType<typeof createSecurityAnswerQueries>;
