import type { UserQueries, UserRow } from '../../queries/users.js';
import { usernameKey } from '../../queries/users.js';
import { usernameFingerprint } from '../../libraries/secrets.js';
import type { SignInCounterQueries } from '../../queries/sign-in-counters.js';
import type { PasswordHasher } from '../../libraries/passwords.js';
import type { Audit, AuditContext } from '../../libraries/audit.js';
import type { Captchas } from '../../libraries/captcha.js';
import type { Clock } from '../../libraries/clock.js';
import type { MessageKey } from '../../libraries/errors.js';
import type { SecondFactors } from '../../libraries/factors/index.js';

export interface SignInAttempt {
  username: string;
  password: string;
  captchaId?: string | undefined;
  captchaAnswer?: string | undefined;
  /** Where the CAPTCHA was shown (the interaction): a picture from another page does not count. */
  binding: string;
}

type Failure = { ok: false; error: MessageKey; status: number; captchaRequired: boolean; locked: boolean; attemptsLeft: number };

/** `secondFactor`: the password was right and a code is owed before the sign-in counts. */
export type SignInOutcome = { ok: true; user: UserRow; secondFactor: boolean } | Failure;

export interface SecondFactorAttempt {
  user: UserRow;
  code: string;
  captchaId?: string | undefined;
  captchaAnswer?: string | undefined;
  binding: string;
}

export type SecondFactorOutcome = { ok: true; amr: 'otp'; via: 'totp' | 'recovery_code' } | Failure;

export interface PasskeyAttempt {
  /** What the browser posted: the assertion as JSON text, checked here for shape and signature. */
  response: unknown;
  /** The challenge it must answer, already taken (used once) from its stored record. */
  challenge: string;
  /** At the second-factor step, whose sign-in this is: another person's passkey is refused. Absent for a sign-in without a password. */
  user?: UserRow;
}

export type PasskeyOutcome = { ok: true; user: UserRow; amr: readonly string[] } | { ok: false; error: MessageKey; status: number; locked: boolean; username?: string };

/**
 * `amr` (RFC 8176) for a passkey: `hwk`, proof of possession of a key kept by an authenticator. As
 * the second factor it follows `pwd`. On its own it adds `user`: user verification is required,
 * so the authenticator checked the person (fingerprint, face, PIN — which one it does not say, so
 * not `fpt`, `face` or `pin`). Either way two factors, so AAL2 (libraries/assurance.ts).
 */
export const passkeyAmr = { secondFactor: ['hwk'], passwordless: ['hwk', 'user'] } as const;

export interface LockoutPolicy {
  /** Consecutive failures after which every attempt also needs a CAPTCHA (3). */
  captchaAfterFailures: number;
  /** Consecutive failures after which the account is locked (3 + 3 = 6). */
  lockAfterFailures: number;
}

/**
 * Password sign-in with the 3 + 3 rule (SPEC §3.1–§3.2).
 *
 * Every attempt first reserves its number in the database (atomic upsert), then:
 * over the lock threshold → locked, no password check; over the CAPTCHA threshold → the CAPTCHA is
 * checked first and a wrong or missing one ends the attempt as a failure, no password check (and on
 * the last allowed try it locks, exactly as a wrong password would). Unknown usernames are
 * counted the same way and verified against a dummy hash, so message, status and timing are the same
 * for known and unknown names (enumeration).
 */
export function createSignInFlow(deps: {
  users: UserQueries;
  signInCounters: SignInCounterQueries;
  passwords: PasswordHasher;
  captchas: Captchas;
  audit: Audit;
  clock: Clock;
  lockout: LockoutPolicy;
  /** Server key: the audit records an unknown username only as a keyed fingerprint. */
  serverKey: string;
  factors: SecondFactors;
}) {
  const { users, signInCounters: counters, passwords, captchas, audit, clock, lockout } = deps;

  /**
   * The attempt counted before the secret is checked: a lock, or a CAPTCHA owed, ends it early.
   * A wrong or missing CAPTCHA is a failed attempt like a wrong password (SPEC §3.2), so on the
   * last allowed try it locks (`secretFailed`) — it must not leave the 6th failure unlocked.
   */
  async function gate(
    attemptNumber: number,
    alreadyLocked: boolean,
    captcha: { id?: string | undefined; answer?: string | undefined; binding: string },
    outcome: { locked: () => Promise<Failure>; secretFailed: (error: MessageKey, reason: string) => Promise<Failure> },
  ): Promise<Failure | undefined> {
    if (alreadyLocked || attemptNumber > lockout.lockAfterFailures) return outcome.locked();
    if (attemptNumber > lockout.captchaAfterFailures) {
      if (!captcha.id || !captcha.answer) return outcome.secretFailed('signin.captcha_required', 'captcha_missing');
      if (!(await captchas.check(captcha.id, captcha.answer, captcha.binding))) return outcome.secretFailed('signin.captcha_wrong', 'captcha_wrong');
    }
    return undefined;
  }

  /**
   * How a counted attempt (a password or a code) ends when it fails: audited with its number, told
   * whether the CAPTCHA is owed and how many tries are left; a wrong secret on the last allowed try
   * locks the account.
   */
  function counted(username: string, attemptNumber: number, who: { subjectUserId: string | null; subject?: string | null }, context: AuditContext, extra: Record<string, unknown> = {}) {
    const fail = async (error: MessageKey, reason: string, status = 401): Promise<Failure> => {
      const locked = error === 'signin.locked';
      await audit.record({ action: locked ? 'signin.locked' : 'signin.failure', ...who, details: { reason, attempt: attemptNumber, ...extra } }, context);
      return { ok: false, error, status, locked, captchaRequired: !locked && attemptNumber >= lockout.captchaAfterFailures, attemptsLeft: Math.max(lockout.lockAfterFailures - attemptNumber, 0) };
    };
    return {
      fail,
      /** Over the limit already (or locked): the lock is set, if it was not, and nothing is checked. */
      async locked(): Promise<Failure> {
        await counters.lock(username, clock.now());
        return fail('signin.locked', 'locked', 423);
      },
      // The attempt number was reserved atomically (reserveAttempt), so exactly one of any number
      // of parallel tries holds the last allowed number and locks, whatever it failed on.
      async wrongSecret(error: MessageKey, reason: string, lockReason = reason): Promise<Failure> {
        if (attemptNumber < lockout.lockAfterFailures) return fail(error, reason);
        await counters.lock(username, clock.now());
        return fail('signin.locked', lockReason, 423);
      },
    };
  }

  /** A sign-in that is complete: the counter cleared, the time recorded, the success audited. */
  async function succeeded(user: UserRow, context: AuditContext, details?: Record<string, unknown>) {
    await counters.clear(user.username);
    await users.recordSignIn(user.id, clock.now());
    await audit.record({ action: 'signin.success', subjectUserId: user.id, ...(details ? { details } : {}) }, { ...context, actorUserId: user.id });
  }

  return {
    /** Whether the next attempt for this username needs a CAPTCHA (to show the picture up front). */
    async captchaRequiredFor(username: string): Promise<boolean> {
      const counter = await counters.find(username);
      return (counter?.failures ?? 0) >= lockout.captchaAfterFailures;
    },

    /**
     * "Get a new picture" (issue #13): the CAPTCHA on the page is withdrawn, so its answer (seen or
     * heard) no longer works, and the caller shows a fresh one. Not an attempt: nothing is counted
     * and no secret is checked, so it neither costs the person a try nor gives a guesser one.
     * Audited like the sign-in it belongs to (an unknown name only as its fingerprint). Returns
     * the tries left to show beside the new picture, when the name is at the CAPTCHA stage.
     */
    async renewCaptcha(input: { username: string; captchaId?: string | undefined; binding: string; step?: 'second_factor' }, context: AuditContext): Promise<{ attemptsLeft: number | undefined }> {
      const withdrawn = await captchas.withdraw(input.captchaId, input.binding);
      const counter = input.username ? await counters.find(input.username) : undefined;
      const user = input.username ? await users.findByUsername(input.username) : undefined;
      const who = { subjectUserId: user?.id ?? null, subject: user || !input.username ? null : usernameFingerprint(deps.serverKey, usernameKey(input.username)) };
      await audit.record({ action: 'signin.captcha_renewed', ...who, details: { withdrawn, ...(input.step ? { step: input.step } : {}) } }, context);
      const failures = counter?.failures ?? 0;
      return { attemptsLeft: failures >= lockout.captchaAfterFailures ? Math.max(lockout.lockAfterFailures - failures, 0) : undefined };
    },

    async attempt(input: SignInAttempt, context: AuditContext): Promise<SignInOutcome> {
      const now = clock.now();
      const { failures: attemptNumber, locked: alreadyLocked } = await counters.reserveAttempt(input.username, now);
      const user = await users.findByUsername(input.username);
      // An unknown name may be a password typed in the wrong box: only its fingerprint is kept.
      const who = { subjectUserId: user?.id ?? null, subject: user ? null : usernameFingerprint(deps.serverKey, usernameKey(input.username)) };
      const outcome = counted(input.username, attemptNumber, who, context);
      const { fail, wrongSecret } = outcome;

      const stopped = await gate(attemptNumber, alreadyLocked, { id: input.captchaId, answer: input.captchaAnswer, binding: input.binding }, { locked: outcome.locked, secretFailed: wrongSecret });
      if (stopped) return stopped;

      const passwordMatches = await passwords.verify(user?.password_hash, input.password);
      if (!user || !passwordMatches || user.disabled_at) {
        const reason = !user ? 'unknown_user' : !passwordMatches ? 'wrong_password' : 'disabled';
        return wrongSecret('signin.invalid_credentials', reason, !user ? 'unknown_user' : 'wrong_password');
      }

      // A help desk's temporary password works for 72 hours (issue #8); told plainly, since only
      // someone who typed it right learns that it has expired.
      if (user.password_temporary && user.temporary_password_expires_at != null && now >= Number(user.temporary_password_expires_at)) {
        return fail('signin.temporary_expired', 'temporary_expired');
      }
      // Upgrade the stored hash when the configured argon2 parameters are stronger (SPEC §3.4).
      if (passwords.needsRehash(user.password_hash)) {
        await users.updatePasswordHash(user.id, await passwords.hash(input.password), now);
      }
      // With a second factor the failures so far stay until the code is right too: a right
      // password must not reset the budget for guessing codes (it only gives back its own try).
      if (await deps.factors.enrolled(user.id)) {
        await counters.release(input.username, now);
        await audit.record({ action: 'signin.password_verified', subjectUserId: user.id }, { ...context, actorUserId: user.id });
        return { ok: true, user, secondFactor: true };
      }
      await succeeded(user, context);
      return { ok: true, user, secondFactor: false };
    },

    /**
     * The code after the password (issue #10): counted against the same 3 + 3 as passwords, so six
     * wrong codes lock the account and the fourth try needs the CAPTCHA.
     */
    async attemptSecondFactor(input: SecondFactorAttempt, context: AuditContext): Promise<SecondFactorOutcome> {
      const { user } = input;
      const { failures: attemptNumber, locked: alreadyLocked } = await counters.reserveAttempt(user.username, clock.now());
      const outcome = counted(user.username, attemptNumber, { subjectUserId: user.id }, context, { step: 'second_factor' });
      const { wrongSecret } = outcome;
      const stopped = await gate(attemptNumber, alreadyLocked, { id: input.captchaId, answer: input.captchaAnswer, binding: input.binding }, { locked: outcome.locked, secretFailed: wrongSecret });
      if (stopped) return stopped;
      const verified = await deps.factors.verify(user.id, input.code);
      if (!verified) return wrongSecret('signin.wrong_code', 'wrong_code');
      await succeeded(user, context, { factor: verified.via });
      return { ok: true, ...verified };
    },

    /**
     * A passkey, as the second factor (`input.user`) or instead of the password. Not counted in the
     * 3 + 3: an assertion cannot be guessed — it is a signature by a key the browser holds — so a
     * failed one is a broken or foreign passkey, not a guess, and counting it would let anyone who
     * knows a credential id lock its owner out. What stops it being an oracle: every try needs a
     * fresh challenge, used once; both the challenge and the answer go through the per-IP attempt
     * limit; and every refusal reads the same ("not accepted"), whatever the reason. A locked
     * account stays locked: a passkey does not get round the lock. A success is a sign-in like
     * any other and clears the failure count.
     */
    async attemptPasskey(input: PasskeyAttempt, context: AuditContext): Promise<PasskeyOutcome> {
      const step = input.user ? 'second_factor' : 'passkey';
      const result = await deps.factors.passkeys.verifyAuthentication(input.response, input.challenge, input.user?.id);
      const refuse = async (reason: string, subjectUserId: string | null, status = 401): Promise<PasskeyOutcome> => {
        await audit.record({ action: 'signin.failure', subjectUserId, details: { reason: `passkey_${reason}`, step } }, context);
        return { ok: false, error: 'signin.passkey_refused', status, locked: false };
      };
      // Whose passkey it was is recorded for the sign-in it was tried on, not the credential's owner.
      if (!result.ok) return refuse(result.reason, input.user?.id ?? result.userId ?? null, result.reason === 'malformed' ? 400 : 401);
      const user = input.user ?? (await users.findById(result.userId));
      if (!user || user.disabled_at) return refuse('disabled', result.userId);
      if ((await counters.find(user.username))?.locked_at != null) {
        await audit.record({ action: 'signin.locked', subjectUserId: user.id, details: { reason: 'locked', step } }, context);
        return { ok: false, error: 'signin.locked', status: 423, locked: true, username: user.username };
      }
      await succeeded(user, context, { factor: 'passkey', passkeyId: result.passkey.id, ...(input.user ? {} : { passwordless: true }) });
      return { ok: true, user, amr: input.user ? passkeyAmr.secondFactor : passkeyAmr.passwordless };
    },
  };
}

export type SignInFlow = ReturnType<typeof createSignInFlow>;
