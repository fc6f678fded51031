import type { Db } from '../db/knex.js';

export interface TotpFactorRow {
  user_id: string;
  secret_sealed: string;
  last_step: number | null;
  created_at: number;
  last_used_at: number | null;
}

export function createSecondFactorQueries(db: Db) {
  return {
    /** Whether the person has an authenticator app or a passkey: one statement on the sign-in's hot path. */
    async hasSecondFactor(userId: string): Promise<boolean> {
      const row = (await db
        .select(db.raw('(exists (select 1 from totp_factors where user_id = ?) or exists (select 1 from passkeys where user_id = ?)) as enrolled', [userId, userId]))
        .first()) as { enrolled: boolean | number } | undefined;
      return Boolean(Number(row?.enrolled ?? 0));
    },
    async findTotp(userId: string): Promise<TotpFactorRow | undefined> {
      return db<TotpFactorRow>('totp_factors').where({ user_id: userId }).first();
    },
    /** One authenticator app per person: enrolling again replaces the old one. */
    async saveTotp(userId: string, secretSealed: string, now: number): Promise<void> {
      await db('totp_factors')
        .insert({ user_id: userId, secret_sealed: secretSealed, last_step: null, created_at: now, last_used_at: null })
        .onConflict('user_id')
        .merge({ secret_sealed: secretSealed, last_step: null, created_at: now, last_used_at: null });
    },
    /**
     * Takes the code of time step `step`: moves `last_step` forward only if it is behind. Two
     * requests with the same code race here and exactly one wins; an older code never works again.
     */
    async takeStep(userId: string, step: number, now: number): Promise<boolean> {
      const n = await db('totp_factors')
        .where({ user_id: userId })
        .andWhere((q) => q.whereNull('last_step').orWhere('last_step', '<', step))
        .update({ last_step: step, last_used_at: now });
      return n === 1;
    },
    async deleteTotp(userId: string): Promise<boolean> {
      return (await db('totp_factors').where({ user_id: userId }).delete()) === 1;
    },
    async replaceRecoveryCodes(userId: string, hashes: string[], now: number): Promise<void> {
      await db('recovery_codes').where({ user_id: userId }).delete();
      await db('recovery_codes').insert(hashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: now })));
    },
    /** Spends a recovery code: true once, for the request that set `used_at`. */
    async spendRecoveryCode(userId: string, hash: string, now: number): Promise<boolean> {
      return (await db('recovery_codes').where({ user_id: userId, code_hash: hash }).whereNull('used_at').update({ used_at: now })) === 1;
    },
    async recoveryCodesLeft(userId: string): Promise<number> {
      const row = await db('recovery_codes').where({ user_id: userId }).whereNull('used_at').count({ n: '*' }).first();
      return Number((row as { n: number | string } | undefined)?.n ?? 0);
    },
    async deleteRecoveryCodes(userId: string): Promise<number> {
      return db('recovery_codes').where({ user_id: userId }).delete();
    },
  };
}

export type SecondFactorQueries = ReturnType<typeof createSecondFactorQueries>;
