import type { Db } from '../db/knex.js';

export function createCaptchaQueries(db: Db) {
  const captchas = () => db('captchas');
  return {
    /** `answer_sealed`: the answer encrypted for the audio alternative (libraries/captcha.ts says why), never in clear. */
    async insert(row: { id: string; binding: string; answer_hash: string; answer_sealed: string; expires_at: number }): Promise<void> {
      await captchas().insert(row);
    },
    /** The sealed answer of a CAPTCHA still open for this binding, without using it up (the audio). */
    async findLive(id: string, binding: string, now: number): Promise<string | undefined> {
      const row: { answer_sealed: string | null } | undefined = await captchas().where({ id, binding }).andWhere('expires_at', '>', now).first('answer_sealed');
      return row?.answer_sealed ?? undefined;
    },
    /** Withdraws a CAPTCHA shown for this binding (a new picture was asked for); true if there was one. */
    async withdraw(id: string, binding: string): Promise<boolean> {
      return (await captchas().where({ id, binding }).delete()) === 1;
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
