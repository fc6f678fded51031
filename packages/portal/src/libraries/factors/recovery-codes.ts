import { createHmac, randomInt } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { SecondFactorQueries } from '../../queries/second-factors.js';

const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i: read off paper and typed back
const count = 10;

/**
 * Ten single-use codes for when the phone is lost, shown once at enrolment and stored only as keyed
 * hashes (HMAC-SHA-256: each code carries 50 bits of randomness, so a slow hash adds nothing). A
 * code is spent by the request that marks it used; typed with or without the dash, in any case.
 */
export function createRecoveryCodes(deps: { queries: SecondFactorQueries; clock: Clock; key: string }) {
  const normalise = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');
  const hash = (userId: string, code: string) => createHmac('sha256', deps.key).update(`recovery-code:${userId}:${normalise(code)}`).digest('hex');
  const one = () => {
    let s = '';
    for (let i = 0; i < 10; i++) s += alphabet[randomInt(alphabet.length)];
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  };

  return {
    amr: 'otp' as const,
    /** A fresh set of ten, replacing any left: the codes to show, once. */
    async issue(userId: string): Promise<string[]> {
      const codes = Array.from({ length: count }, one);
      await deps.queries.replaceRecoveryCodes(userId, codes.map((c) => hash(userId, c)), deps.clock.now());
      return codes;
    },
    /** What a typed recovery code looks like (so a six-digit app code is not tried as one). */
    looksLikeOne: (text: string) => /^[a-z2-9]{10}$/.test(normalise(text)),
    async spend(userId: string, code: string): Promise<boolean> {
      return deps.queries.spendRecoveryCode(userId, hash(userId, code), deps.clock.now());
    },
    left: (userId: string) => deps.queries.recoveryCodesLeft(userId),
    remove: (userId: string) => deps.queries.deleteRecoveryCodes(userId),
  };
}

export type RecoveryCodes = ReturnType<typeof createRecoveryCodes>;
