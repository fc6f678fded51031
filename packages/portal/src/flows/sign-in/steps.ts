import type { UserRow } from '../../queries/users.js';
import type { Aua } from '../aua/aua.js';
import type { SecurityQuestions } from '../security-questions/security-questions.js';
import type { Clock } from '../../libraries/clock.js';
import { passwordExpiry } from '../password-change/change-password.js';

/**
 * What must happen after the password and before the person reaches anything (SPEC §3.3–§3.5), in
 * order: a new password when it expired or was temporary; the expiry warning (skippable); the
 * Acceptable Use Agreement; the security questions. The sign-in flow record's state is the next step.
 */
export type SignInStep = 'change_password' | 'password_expiring' | 'aua' | 'security_questions';
export const signInSteps: readonly SignInStep[] = ['change_password', 'password_expiring', 'aua', 'security_questions'];

export function createSignInSteps(deps: {
  aua: Aua;
  securityQuestions: SecurityQuestions;
  clock: Clock;
  passwordPolicy: { maxAgeDays: number; expiryWarningDays: number };
}) {
  return {
    async next(user: UserRow, done: readonly SignInStep[]): Promise<SignInStep | 'done'> {
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
