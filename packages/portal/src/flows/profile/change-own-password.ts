import type { UserRow } from '../../queries/users.js';
import type { PasswordHasher } from '../../libraries/passwords.js';
import type { Audit, AuditContext } from '../../libraries/audit.js';
import { PortalError, messageFor } from '../../libraries/errors.js';
import type { SessionTerminator } from '../../oidc/sessions.js';
import type { NewPasswordInput, PasswordChanger, PasswordProblem } from '../password-change/change-password.js';

export interface OwnPasswordInput extends NewPasswordInput {
  currentPassword: string;
}

export type OwnPasswordResult = { ok: true; otherSessionsEnded: number } | { ok: false; problems: PasswordProblem[]; status?: number };

/**
 * My Profile → Change Password (SPEC §3.9): the current password first, then the same rules and
 * history as every new password (the changer). A wrong current password is refused and audited but
 * does not count towards the sign-in lock: the person is already signed in, and a lock here would
 * let anyone at an open session lock the owner out. The per-IP limit in front still slows guessing.
 */
export function createOwnPasswordChange(deps: { passwords: PasswordHasher; passwordChanger: PasswordChanger; sessions: SessionTerminator; audit: Audit; supportContact: string }) {
  return {
    async change(user: UserRow, sessionId: string, input: OwnPasswordInput, context: AuditContext): Promise<OwnPasswordResult> {
      const asActor = { ...context, actorUserId: context.actorUserId ?? user.id };
      if (!input.currentPassword) return { ok: false, problems: [{ message: messageFor('profile.missing_current_password', {}), entry: 'currentPassword' }] };
      if (!(await deps.passwords.verify(user.password_hash, input.currentPassword))) {
        await deps.audit.record({ action: 'password.change_refused', subjectUserId: user.id, details: { reason: 'wrong_current_password' } }, asActor);
        return { ok: false, problems: [{ message: messageFor('account.wrong_current_password', { support: deps.supportContact }), entry: 'currentPassword' }] };
      }
      // Whoever else holds a session with the old password loses it, and every app is told
      // (back-channel logout); the person at this browser carries on. The request to end them
      // commits with the new password, so a crash in between cannot leave them running.
      let request = 0;
      try {
        const check = await deps.passwordChanger.change(user, input, { reason: 'profile', context: asActor }, async () => {
          request = await deps.sessions.requestEndAll(user.id, 'password_change', { keepSessionId: sessionId });
        });
        if (!check.ok) return check;
      } catch (err) {
        // Another tab changed the password first: this one changed nothing.
        if (err instanceof PortalError && err.code === 'flow.replayed') return { ok: false, problems: [{ message: messageFor('account.password_changed_elsewhere', {}) }], status: 409 };
        throw err;
      }
      const ended = (await deps.sessions.carryOut(request)) ?? { sessions: 0, notified: 0 };
      await deps.audit.record({ action: 'sessions.ended', subjectUserId: user.id, details: { reason: 'password_change', sessions: ended.sessions, notified: ended.notified } }, asActor);
      return { ok: true, otherSessionsEnded: ended.sessions };
    },
  };
}

export type OwnPasswordChange = ReturnType<typeof createOwnPasswordChange>;
