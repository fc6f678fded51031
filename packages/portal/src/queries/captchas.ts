import type { Db } from '../db/knex.js';

export function createCaptchaQueries(db: Db) {
  const captchas = () => db('captchas');
  return {
    async insert(row: { id: string; binding: string; answer_hash: string; expires_at: number }): Promise<void> {
      await captchas().insert(row);
    },
    /**
     * Takes a CAPTCHA out of the store and returns its answer hash: each one can be checked once,
     * whatever the answer (replay), and only where it was shown (binding) and before it expires.
     */
    async consume(id: string, binding: string, now: number): Promise<string | undefined> {
      const row: { answer_hash: string; binding: string; expires_at: number } | undefined = await captchas().where({ id }).first();
      if (!row) return undefined;
      // Whoever deletes the row owns the check: two parallel submissions of one picture get one try.
      if ((await captchas().where({ id }).delete()) !== 1) return undefined;
      if (row.binding !== binding || Number(row.expires_at) <= now) return undefined;
      return row.answer_hash;
    },
    async deleteExpired(now: number): Promise<number> {
      return captchas().where('expires_at', '<', now).delete();
    },
  };
}

export type CaptchaQueries = ReturnType<typeof createCaptchaQueries>;
