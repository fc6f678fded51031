import type { Totp } from './totp.js';
import type { RecoveryCodes } from './recovery-codes.js';
import type { Passkeys, PasskeySummary } from './passkeys.js';
import type { SecondFactorQueries } from '../../queries/second-factors.js';

export { createTotp, type Totp } from './totp.js';
export { createRecoveryCodes, type RecoveryCodes } from './recovery-codes.js';
export { createPasskeys, type Passkeys, type PasskeySummary, type RelyingParty } from './passkeys.js';

/** What a person has set up beyond the password, as the pages and the help desk may show it: never the factor itself. */
export interface FactorStatus {
  totp: { since: number; lastUsedAt: number | null } | null;
  recoveryCodesLeft: number;
  /** Names and dates only: no credential id, no public key. */
  passkeys: PasskeySummary[];
}

/**
 * The second factors behind one interface (STYLE: ways of proving identity are strategies). The
 * sign-in's code step asks `verify`; each factor decides whether the text it was given is its own.
 * Passkeys answer a ceremony, not a typed code: the sign-in asks `passkeys` directly.
 */
export function createSecondFactors(deps: { totp: Totp; recoveryCodes: RecoveryCodes; passkeys: Passkeys; queries: Pick<SecondFactorQueries, 'hasSecondFactor'> }) {
  const { totp, recoveryCodes, passkeys } = deps;
  // One statement after the other: callers run these in a transaction, whose one connection takes one at a time.
  const removeApp = async (userId: string): Promise<boolean> => {
    const app = await totp.remove(userId);
    const codes = await recoveryCodes.remove(userId);
    return app || codes > 0;
  };
  return {
    totp,
    recoveryCodes,
    passkeys,
    async status(userId: string): Promise<FactorStatus> {
      const [app, left, keys] = await Promise.all([totp.enrolled(userId), recoveryCodes.left(userId), passkeys.list(userId)]);
      return { totp: app ?? null, recoveryCodesLeft: left, passkeys: keys };
    },
    /** An authenticator app or a passkey (recovery codes alone are no factor): one statement. */
    async enrolled(userId: string): Promise<boolean> {
      return deps.queries.hasSecondFactor(userId);
    },
    /** A code from the app, or a recovery code; the `amr` value it earns, or undefined. */
    async verify(userId: string, text: string): Promise<{ amr: 'otp'; via: 'totp' | 'recovery_code' } | undefined> {
      const code = text.trim();
      if (recoveryCodes.looksLikeOne(code)) return (await recoveryCodes.spend(userId, code)) ? { amr: recoveryCodes.amr, via: 'recovery_code' } : undefined;
      return (await totp.verify(userId, code.replace(/\s/g, ''))) ? { amr: totp.amr, via: 'totp' } : undefined;
    },
    /** The authenticator app and its recovery codes (the person's own "turn off"); passkeys stay. */
    removeApp,
    /** Everything: the app, the recovery codes and every passkey (the help desk's "remove"). */
    async removeAll(userId: string): Promise<boolean> {
      const app = await removeApp(userId);
      const keys = await passkeys.removeAll(userId);
      return app || keys > 0;
    },
  };
}

export type SecondFactors = ReturnType<typeof createSecondFactors>;
