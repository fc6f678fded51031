import type { UserQueries, UserRow } from '../../queries/users.js';
import type { PasswordHasher } from '../../libraries/passwords.js';
import type { Audit, AuditContext } from '../../libraries/audit.js';
import type { Clock } from '../../libraries/clock.js';
import { PortalError } from '../../libraries/errors.js';

export interface SignInAttempt {
  username: string;
  password: string;
}

/**
 * Password sign-in (SPEC §3.1). Every failure — unknown user, wrong password, disabled account —
 * takes the same path: one argon2 verify (a dummy hash when there is no user) and one generic error,
 * so neither the message nor the timing says which part was wrong.
 */
export function createSignInFlow(deps: { users: UserQueries; passwords: PasswordHasher; audit: Audit; clock: Clock }) {
  const { users, passwords, audit, clock } = deps;

  return {
    async attempt(input: SignInAttempt, context: AuditContext): Promise<UserRow> {
      const user = await users.findByUsername(input.username);
      const passwordMatches = await passwords.verify(user?.password_hash, input.password);

      if (!user || !passwordMatches || user.disabled_at) {
        await audit.record(
          {
            action: 'signin.failure',
            subjectUserId: user?.id ?? null,
            subject: user ? null : input.username,
            details: { reason: !user ? 'unknown_user' : !passwordMatches ? 'wrong_password' : 'disabled' },
          },
          context,
        );
        throw new PortalError('signin.invalid_credentials', 401);
      }

      const now = clock.now();
      // Upgrade the stored hash when the configured argon2 parameters are stronger (SPEC §3.4).
      if (passwords.needsRehash(user.password_hash)) {
        await users.updatePasswordHash(user.id, await passwords.hash(input.password), now);
      }
      await users.recordSignIn(user.id, now);
      await audit.record({ action: 'signin.success', subjectUserId: user.id }, { ...context, actorUserId: user.id });
      return user;
    },
  };
}

export type SignInFlow = ReturnType<typeof createSignInFlow>;
