import type { Totp } from './totp.js';
import type { RecoveryCodes } from './recovery-codes.js';

export { createTotp, type Totp } from './totp.js';
export { createRecoveryCodes, type RecoveryCodes } from './recovery-codes.js';

/** What a person has set up beyond the password, as the pages and the help desk may show it: never the factor itself. */
export interface FactorStatus {
  totp: { since: number; lastUsedAt: number | null } | null;
  recoveryCodesLeft: number;
}

/**
 * The second factors behind one interface (STYLE: ways of proving identity are strategies). The
 * sign-in's code step asks `verify`; each factor decides whether the text it was given is its own.
 */
export function createSecondFactors(deps: { totp: Totp; recoveryCodes: RecoveryCodes }) {
  const { totp, recoveryCodes } = deps;
  return {
    totp,
    recoveryCodes,
    async status(userId: string): Promise<FactorStatus> {
      const [app, left] = await Promise.all([totp.enrolled(userId), recoveryCodes.left(userId)]);
      return { totp: app ?? null, recoveryCodesLeft: left };
    },
    async enrolled(userId: string): Promise<boolean> {
      return (await totp.enrolled(userId)) !== undefined;
    },
    /** A code from the app, or a recovery code; the `amr` value it earns, or undefined. */
    async verify(userId: string, text: string): Promise<{ amr: 'otp'; via: 'totp' | 'recovery_code' } | undefined> {
      const code = text.trim();
      if (recoveryCodes.looksLikeOne(code)) return (await recoveryCodes.spend(userId, code)) ? { amr: recoveryCodes.amr, via: 'recovery_code' } : undefined;
      return (await totp.verify(userId, code.replace(/\s/g, ''))) ? { amr: totp.amr, via: 'totp' } : undefined;
    },
    /** Everything: the app and the recovery codes (the help desk's "remove", or the person's own). */
    async removeAll(userId: string): Promise<boolean> {
      const [app, codes] = await Promise.all([totp.remove(userId), recoveryCodes.remove(userId)]);
      return app || codes > 0;
    },
  };
}

export type SecondFactors = ReturnType<typeof createSecondFactors>;
