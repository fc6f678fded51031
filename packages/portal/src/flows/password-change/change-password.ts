import type { UserQueries, UserRow } from '../../queries/users.js';
import type { PasswordHistoryQueries } from '../../queries/password-history.js';
import type { PasswordHasher } from '../../libraries/passwords.js';
import type { PasswordPolicy } from '../../libraries/password-policy.js';
import type { Audit, AuditContext } from '../../libraries/audit.js';
import type { Clock } from '../../libraries/clock.js';
import type { UnitOfWork } from '../../db/knex.js';
import { PortalError } from '../../libraries/errors.js';

export interface NewPasswordInput {
  newPassword: string;
  confirmPassword: string;
}

/** What is wrong with a password a person typed, and which of the entries it is about (none: the whole change). */
export interface PasswordProblem {
  message: string;
  entry?: 'newPassword' | 'confirmPassword' | 'currentPassword';
}

export type PasswordCheck = { ok: true } | { ok: false; problems: PasswordProblem[] };

/** A new password that passed every rule, hashed and ready to be applied. */
export type PreparedPassword = { ok: true; hash: string } | { ok: false; problems: PasswordProblem[] };

export type PasswordChangeReason = 'expired' | 'temporary' | 'reset' | 'profile';

/**
 * Setting a new password, whatever led there: expiry, a temporary password, Forgot Password or
 * My Profile. One place applies the rules (SPEC §3.4), the history of the last N passwords, and
 * the bookkeeping (age restarts, temporary flag clears, audit).
 */
export function createPasswordChanger(deps: {
  users: UserQueries;
  passwordHistory: PasswordHistoryQueries;
  passwords: PasswordHasher;
  passwordPolicy: PasswordPolicy;
  historySize: number;
  audit: Audit;
  clock: Clock;
  unitOfWork: UnitOfWork;
}) {
  const { users, passwordHistory, passwords, passwordPolicy, historySize, audit, clock, unitOfWork } = deps;

  async function check(user: UserRow, input: NewPasswordInput): Promise<PasswordCheck> {
    if (input.newPassword !== input.confirmPassword) {
      return { ok: false, problems: [{ message: 'The New Password and Confirm Password entries do not match.', entry: 'confirmPassword' }] };
    }
    const broken = passwordPolicy.check(input.newPassword, { username: user.username });
    const problems: PasswordProblem[] = broken.map((id) => ({ message: passwordPolicy.messages[id], entry: 'newPassword' }));
    // History is checked only for an otherwise valid password: argon2 work is spent on real candidates.
    if (problems.length === 0 && historySize > 0) {
      const recent = await passwordHistory.recent(user.id, historySize);
      const candidates = recent.includes(user.password_hash) ? recent : [user.password_hash, ...recent].slice(0, historySize);
      for (const hash of candidates) {
        if (await passwords.verify(hash, input.newPassword)) {
          problems.push({ message: passwordPolicy.messages['password.reused'], entry: 'newPassword' });
          break;
        }
      }
    }
    return problems.length ? { ok: false, problems } : { ok: true };
  }

  /** The rules, the history and the hashing: the slow part, done before any transaction. */
  async function prepare(user: UserRow, input: NewPasswordInput, how: { reason: PasswordChangeReason; context: AuditContext }): Promise<PreparedPassword> {
    const result = await check(user, input);
    if (!result.ok) {
      await audit.record({ action: 'password.change_refused', subjectUserId: user.id, details: { reason: how.reason } }, how.context);
      return result;
    }
    return { ok: true, hash: await passwords.hash(input.newPassword) };
  }

  /**
   * Stores a prepared password — only over the hash it was prepared against, so of two changes
   * racing (two tabs) exactly one applies and the other is told (409). Call it inside the unit of
   * work of the step it belongs to, so the step, the password and the audit commit together.
   */
  async function apply(user: UserRow, hash: string, how: { reason: PasswordChangeReason; context: AuditContext }): Promise<void> {
    const now = clock.now();
    if (!(await users.setPassword(user.id, hash, now, { viaReset: how.reason === 'reset', expectedHash: user.password_hash }))) {
      throw new PortalError('flow.replayed', 409);
    }
    await passwordHistory.add(user.id, hash, now);
    await audit.record({ action: 'password.change', subjectUserId: user.id, details: { reason: how.reason } }, how.context);
  }

  return {
    rules: () => passwordPolicy.rules(),
    check,
    prepare,
    apply,
    /** Checks and, when valid, stores the new password in one transaction. */
    async change(user: UserRow, input: NewPasswordInput, how: { reason: PasswordChangeReason; context: AuditContext }, after?: () => Promise<void>): Promise<PasswordCheck> {
      const prepared = await prepare(user, input, how);
      if (!prepared.ok) return prepared;
      await unitOfWork(async () => {
        await apply(user, prepared.hash, how);
        await after?.();
      });
      return { ok: true };
    },
  };
}

export type PasswordChanger = ReturnType<typeof createPasswordChanger>;

/** When a password expires, and whether to warn about it (SPEC §3.4: 90 days, warning from 14 before). */
export function passwordExpiry(user: UserRow, policy: { maxAgeDays: number; expiryWarningDays: number }, now: number) {
  if (policy.maxAgeDays === 0) return { expired: false, warn: false, expiresAt: undefined, daysLeft: undefined };
  const day = 24 * 3600_000;
  const expiresAt = user.password_changed_at + policy.maxAgeDays * day;
  const daysLeft = Math.ceil((expiresAt - now) / day);
  return { expired: now >= expiresAt, warn: now < expiresAt && now >= expiresAt - policy.expiryWarningDays * day, expiresAt, daysLeft };
}
