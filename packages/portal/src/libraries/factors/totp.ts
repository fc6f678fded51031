import { authenticator } from 'otplib';
import type { Clock } from '../clock.js';
import type { Sealer } from '../sealed.js';
import { safeEqual } from '../secrets.js';
import type { SecondFactorQueries } from '../../queries/second-factors.js';

const periodMs = 30_000;

/**
 * An authenticator app (RFC 6238 TOTP, otplib): 6 digits, 30-second steps, SHA-1 — what every app
 * understands. A code is accepted for its own step and the ones either side (a phone's clock a
 * little off), each step at most once: a code seen over a shoulder or replayed by a proxy is spent.
 */
export function createTotp(deps: { queries: SecondFactorQueries; sealer: Sealer; clock: Clock; issuer: string }) {
  const aad = (userId: string) => `totp:${userId}`;
  const codeAt = (secret: string, epoch: number) => authenticator.clone({ epoch }).generate(secret);

  /** The step `code` belongs to (−1, 0 or +1 from now), compared in constant time; undefined if none. */
  function matchStep(secret: string, code: string): number | undefined {
    const now = deps.clock.now();
    const current = Math.floor(now / periodMs);
    let matched: number | undefined;
    for (const delta of [-1, 0, 1]) {
      // Every candidate is computed and compared: how long this takes says nothing about which matched.
      if (safeEqual(codeAt(secret, now + delta * periodMs), code)) matched ??= current + delta;
    }
    return /^\d{6}$/.test(code) ? matched : undefined;
  }

  return {
    amr: 'otp' as const,
    /** A new key for enrolment, not yet stored: the key as text and the otpauth:// URI for the QR code. */
    newKey(accountName: string): { secret: string; uri: string } {
      const secret = authenticator.generateSecret(20); // 160 bits, RFC 4226's recommendation
      return { secret, uri: authenticator.keyuri(accountName, deps.issuer, secret) };
    },
    matchStep,
    newKeyUri: (accountName: string, secret: string) => authenticator.keyuri(accountName, deps.issuer, secret),
    async enrolled(userId: string): Promise<{ since: number; lastUsedAt: number | null } | undefined> {
      const row = await deps.queries.findTotp(userId);
      return row && { since: Number(row.created_at), lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at) };
    },
    /** Stores the key a first code has just confirmed, and spends that code's step. */
    async save(userId: string, secret: string, confirmedStep: number): Promise<void> {
      const now = deps.clock.now();
      await deps.queries.saveTotp(userId, deps.sealer.seal(secret, aad(userId)), now);
      await deps.queries.takeStep(userId, confirmedStep, now);
    },
    /** Whether `code` is a current, unused code of this person's app (and spends it). */
    async verify(userId: string, code: string): Promise<boolean> {
      const row = await deps.queries.findTotp(userId);
      const secret = row && deps.sealer.open(row.secret_sealed, aad(userId));
      if (!secret) return false;
      const step = matchStep(secret, code);
      return step !== undefined && (await deps.queries.takeStep(userId, step, deps.clock.now()));
    },
    async remove(userId: string): Promise<boolean> {
      return deps.queries.deleteTotp(userId);
    },
    /** A key offered for enrolment, kept sealed in the enrolment's flow record until confirmed. */
    sealPending: (userId: string, secret: string) => deps.sealer.seal(secret, `totp-pending:${userId}`),
    openPending: (userId: string, sealed: string) => deps.sealer.open(sealed, `totp-pending:${userId}`),
  };
}

export type Totp = ReturnType<typeof createTotp>;
