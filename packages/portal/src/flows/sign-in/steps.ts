import type { UserRow } from '../../queries/users.js';
import type { Aua } from '../aua/aua.js';
import type { SecurityQuestions } from '../security-questions/security-questions.js';
import type { SecondFactors } from '../../libraries/factors/index.js';
import type { Clock } from '../../libraries/clock.js';
import { passwordExpiry } from '../password-change/change-password.js';

/**
 * What must happen after the password and before the person reaches anything (SPEC §3.3–§3.5,
 * issue #10), in order: the second factor when one is set up (or setting one up, when it is
 * required and there is none); a new password when it expired or was temporary; the expiry warning
 * (skippable); the Acceptable Use Agreement; the security questions. The sign-in flow record's
 * state is the next step.
 */
export type SignInStep =
  | 'second_factor'
  | 'enrol_second_factor'
  | 'recovery_codes'
  | 'change_password'
  | 'password_expiring'
  | 'aua'
  | 'security_questions';
export const signInSteps: readonly SignInStep[] = ['second_factor', 'enrol_second_factor', 'recovery_codes', 'change_password', 'password_expiring', 'aua', 'security_questions'];

export function createSignInSteps(deps: {
  aua: Aua;
  securityQuestions: SecurityQuestions;
  factors: SecondFactors;
  clock: Clock;
  passwordPolicy: { maxAgeDays: number; expiryWarningDays: number };
  mfa: { requiredForStaff: boolean };
}) {
  return {
    /** Whether this person may not go on without a second factor whatever the app asked (staff). */
    mustUseSecondFactor: (user: UserRow) => deps.mfa.requiredForStaff && user.system_role !== null,

    /** `requireFactor`: the app or the person's role asks for a second factor on this sign-in. */
    /** `factorEnrolled`: already known (the password step just looked), so not asked again. */
    async next(user: UserRow, done: readonly SignInStep[], options: { requireFactor?: boolean; factorEnrolled?: boolean | undefined } = {}): Promise<SignInStep | 'done'> {
      const factorDone = done.includes('second_factor') || done.includes('enrol_second_factor');
      if (!factorDone) {
        if (options.factorEnrolled ?? (await deps.factors.enrolled(user.id))) return 'second_factor';
        if (options.requireFactor || this.mustUseSecondFactor(user)) return 'enrol_second_factor';
      }
      const expiry = passwordExpiry(user, deps.passwordPolicy, deps.clock.now());
      if (!done.includes('change_password') && (user.password_temporary || expiry.expired)) return 'change_password';
      if (!done.includes('change_password') && !done.includes('password_expiring') && expiry.warn) return 'password_expiring';
      if (!done.includes('aua') && (await deps.aua.needsAcceptance(user.id))) return 'aua';
      if (!done.includes('security_questions') && !(await deps.securityQuestions.isSetUp(user.id))) return 'security_questions';
      return 'done';
    },
  };
}

export type SignInSteps = ReturnType<typeof createSignInSteps>;
