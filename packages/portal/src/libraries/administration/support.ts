import type { FactorStatus, SecondFactors } from '../factors/index.js';
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { PortalConfig } from '../../config/index.js';
import type { UnitOfWork } from '../../db/knex.js';
import type { UserQueries, UserRow, UserSearchField, UserSearchRow } from '../../queries/users.js';
import { searchKey } from '../../queries/users.js';
import type { OrgQueries, MembershipView } from '../../queries/orgs.js';
import type { SignInCounterQueries } from '../../queries/sign-in-counters.js';
import type { PasswordHistoryQueries } from '../../queries/password-history.js';
import type { OidcPayloadQueries } from '../../queries/oidc-payloads.js';
import type { ClientQueries } from '../../queries/clients.js';
import type { AuaQueries } from '../../queries/aua.js';
import type { AuditQueries } from '../../queries/audit.js';
import type { ActionCounterQueries } from '../../queries/action-counters.js';
import type { SecurityQuestions } from '../../flows/security-questions/security-questions.js';
import type { Recovery } from '../../flows/recovery/recovery.js';
import { passwordExpiry } from '../../flows/password-change/change-password.js';
import type { SessionTerminator } from '../../oidc/sessions.js';
import type { Audit, AuditContext } from '../audit.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { PasswordHasher } from '../passwords.js';
import { supportNoticeMail, type Mailer, type SupportChange } from '../mailer.js';
import { PortalError } from '../errors.js';
import { temporaryPasswordLifetimeMs } from '../password-policy.js';
import { safeEqual, sha256Hex } from '../secrets.js';
import { actorForAudit, requireCapability, requireMayActOn, type Actor, type Capability } from './actors.js';
import { reasonForAudit, requireReason } from './reasons.js';

/** Everything the help desk may know about an account (SPEC §3.10) — never a hash, answer or code. */
export interface StatusCard {
  user: { id: string; username: string; name: string; email: string; phone: string | null; systemRole: 'helpdesk' | 'admin' | null; disabledAt: number | null; createdAt: number };
  lock: { locked: boolean; lockedAt: number | null; failures: number; stage: 'none' | 'captcha' | 'locked'; triesBeforeLock: number };
  password: { changedAt: number; ageDays: number; expiresAt: number | null; expired: boolean; temporary: boolean; temporaryExpiresAt: number | null };
  lastSignInAt: number | null;
  aua: { acceptedVersion: string | null; acceptedAt: number | null; currentVersion: string | null; upToDate: boolean };
  securityQuestions: { set: boolean; questions: { id: string; text: string }[] };
  /** What second factor is set up — never the factor itself (issue #10). */
  secondFactor: FactorStatus;
  orgs: MembershipView[];
  sessions: { count: number; apps: string[] };
  selfServiceReset: { lastAt: number | null; usedToday: boolean; nextAllowedAt: number | null };
  recentEvents: { at: number; action: string; actorUserId: string | null; ip: string | null }[];
  /** Whether this actor may act on this account at all (the hard rule), for the page to offer actions. */
  actionable: boolean;
}

export const searchInput = z.object({
  field: z.enum(['username', 'name', 'email', 'org']),
  text: z.string().trim().min(2).max(100),
  page: z.coerce.number().int().min(1).max(1000).default(1),
});

export const verifyInput = z.discriminatedUnion('method', [
  z.object({ method: z.literal('question'), questionId: z.string().min(1).max(40), answer: z.string().min(1).max(100) }),
  z.object({ method: z.literal('email'), email: z.string().min(3).max(254) }),
]);

export const pageSize = 25;
const day = 24 * 3600_000;
/** Caller verification: tries per account per 15 minutes, and per agent per hour. */
const verifyLimits = { perTarget: { count: 5, windowMs: 15 * 60_000 }, perAgent: { count: 30, windowMs: 3600_000 } };

/** 16 characters from every class, so it meets the rules it must then be replaced under. */
function temporaryPassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#%+=?@'];
  const all = sets.join('');
  const chars = sets.map((set) => set[randomInt(set.length)]!);
  while (chars.length < 16) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/**
 * The help desk's work on one account (SPEC §3.10, issue #8): find, look, verify the caller, and
 * act. Every function takes the actor and checks, here and nowhere else, that the actor may — so
 * the console, the admin API and the CLI behave alike. Every change needs a reason, is audited with
 * it, and is told to the account holder by email.
 */
export function createSupport(deps: {
  config: PortalConfig;
  users: UserQueries;
  orgs: OrgQueries;
  signInCounters: SignInCounterQueries;
  passwordHistory: PasswordHistoryQueries;
  payloads: OidcPayloadQueries;
  clients: ClientQueries;
  auaQueries: AuaQueries;
  auditQueries: AuditQueries;
  actionCounters: ActionCounterQueries;
  securityQuestions: SecurityQuestions;
  recovery: Recovery;
  sessions: SessionTerminator;
  passwords: PasswordHasher;
  audit: Audit;
  mailer: Mailer | undefined;
  clock: Clock;
  logger: Logger;
  unitOfWork: UnitOfWork;
  factors: SecondFactors;
}) {
  const { config, users, audit, clock } = deps;

  /** The target of an action, after the capability and the hard rule are checked. */
  async function target(actor: Actor, capability: Capability, userId: unknown): Promise<UserRow> {
    requireCapability(actor, capability);
    const user = typeof userId === 'string' && userId.length <= 36 ? await users.findById(userId) : undefined;
    if (!user) throw new PortalError('admin.no_such_user', 404);
    requireMayActOn(actor, user);
    return user;
  }

  function contextFor(actor: Actor, context: AuditContext): AuditContext {
    return { ...context, actorUserId: actorForAudit(actor).actorUserId };
  }

  async function record(actor: Actor, action: string, user: UserRow, details: Record<string, unknown>, context: AuditContext) {
    await audit.record({ action, subjectUserId: user.id, details: { via: actorForAudit(actor).via, ...details } }, contextFor(actor, context));
  }

  /** "Customer Support unlocked your account at 10:02 …": sent after the change, never holding it up. */
  function notify(user: UserRow, what: SupportChange) {
    const mailer = deps.mailer;
    if (!mailer || !user.email) return;
    const mail = supportNoticeMail({ name: user.name, what, at: new Date(clock.now()), supportContact: config.supportContact, timeZone: config.mail.timeZone });
    mailer.send({ to: user.email, ...mail }).catch((err: Error) => deps.logger.error({ event: 'mail.error', err: err.message }, 'support notice not sent'));
  }

  /** Ends the sessions a committed change asked for; a failure is left to the sweeper's retry. */
  async function carryOut(request: number): Promise<number> {
    try {
      return (await deps.sessions.carryOut(request))?.sessions ?? 0;
    } catch (err) {
      deps.logger.error({ event: 'sessions.end_error', err: (err as Error).message }, 'ending sessions failed; the sweeper retries');
      return 0;
    }
  }

  return {
    /** Prefix search by username (exact), name, email or organization code; paged; audited (a read). */
    async search(actor: Actor, input: unknown, context: AuditContext): Promise<{ rows: UserSearchRow[]; page: number; more: boolean; field: UserSearchField; text: string }> {
      requireCapability(actor, 'users:read');
      const parsed = searchInput.safeParse(input);
      if (!parsed.success) throw new PortalError('admin.search_input', 400);
      const { field, text, page } = parsed.data;
      const rows = await users.search(field, text, { limit: pageSize + 1, offset: (page - 1) * pageSize });
      await audit.record({ action: 'support.search', details: { via: actorForAudit(actor).via, field, text, page, results: Math.min(rows.length, pageSize) } }, contextFor(actor, context));
      const shown = rows.slice(0, pageSize).map(({ id, username, name, email, system_role, disabled_at }) => ({ id, username, name, email, system_role, disabled_at }));
      return { rows: shown, page, more: rows.length > pageSize, field, text };
    },

    /** One account's status card; opening it is audited (a read). */
    async statusCard(actor: Actor, userId: unknown, context: AuditContext): Promise<StatusCard> {
      requireCapability(actor, 'users:read');
      const user = typeof userId === 'string' && userId.length <= 36 ? await users.findById(userId) : undefined;
      if (!user) throw new PortalError('admin.no_such_user', 404);
      const now = clock.now();
      const [counter, acceptance, current, questions, orgs, sessions, events, secondFactor] = await Promise.all([
        deps.signInCounters.find(user.username),
        deps.auaQueries.lastAcceptance(user.id),
        deps.auaQueries.current(),
        deps.securityQuestions.questionsOf(user.id),
        deps.orgs.membershipsOf(user.id),
        deps.payloads.findByAccount('Session', user.id, now),
        deps.auditQueries.recent({ subjectUserId: user.id, limit: 20 }),
        deps.factors.status(user.id),
      ]);
      const clientIds = [...new Set(sessions.flatMap((s) => Object.keys((s.payload as { authorizations?: Record<string, unknown> }).authorizations ?? {})))];
      const apps = (await Promise.all(clientIds.map(async (id) => (await deps.clients.find(id))?.name ?? id))).sort();
      const failures = Number(counter?.failures ?? 0);
      const locked = counter?.locked_at != null;
      const expiry = passwordExpiry(user, config.passwordPolicy, now);
      const lastReset = user.password_reset_at == null ? null : Number(user.password_reset_at);
      const resetWindow = config.recovery.resetIntervalHours * 3600_000;
      let actionable = true;
      try {
        requireMayActOn(actor, user);
      } catch {
        actionable = false;
      }
      await audit.record({ action: 'support.view', subjectUserId: user.id, details: { via: actorForAudit(actor).via } }, contextFor(actor, context));
      return {
        user: { id: user.id, username: user.username, name: user.name, email: user.email, phone: user.phone, systemRole: user.system_role, disabledAt: user.disabled_at, createdAt: Number(user.created_at) },
        lock: {
          locked,
          lockedAt: counter?.locked_at == null ? null : Number(counter.locked_at),
          failures,
          stage: locked || failures >= config.lockout.lockAfterFailures ? 'locked' : failures >= config.lockout.captchaAfterFailures ? 'captcha' : 'none',
          triesBeforeLock: Math.max(config.lockout.lockAfterFailures - failures, 0),
        },
        password: {
          changedAt: Number(user.password_changed_at),
          ageDays: Math.floor((now - Number(user.password_changed_at)) / day),
          expiresAt: expiry.expiresAt ?? null,
          expired: expiry.expired,
          temporary: user.password_temporary,
          temporaryExpiresAt: user.temporary_password_expires_at == null ? null : Number(user.temporary_password_expires_at),
        },
        lastSignInAt: user.last_sign_in_at == null ? null : Number(user.last_sign_in_at),
        secondFactor,
        aua: {
          acceptedVersion: acceptance?.version ?? null,
          acceptedAt: acceptance ? Number(acceptance.accepted_at) : null,
          currentVersion: current?.version ?? null,
          upToDate: !!acceptance && acceptance.version === current?.version && now - Number(acceptance.accepted_at) < config.auaMaxAgeDays * day,
        },
        securityQuestions: { set: questions.length >= 3, questions: questions.map((q) => ({ id: q.id, text: q.text })) },
        orgs,
        sessions: { count: sessions.length, apps },
        selfServiceReset: { lastAt: lastReset, usedToday: lastReset !== null && now - lastReset < resetWindow, nextAllowedAt: lastReset !== null && now - lastReset < resetWindow ? lastReset + resetWindow : null },
        recentEvents: events.map((e) => ({ at: Number(e.at), action: e.action, actorUserId: e.actor_user_id, ip: e.ip })),
        actionable,
      };
    },

    /**
     * Caller verification: the desk types what the caller says; the answer is only "matches" or
     * "does not match", never the stored value. Each try is counted before it is compared, per
     * account and per agent, and audited without the typed text.
     */
    async verifyCaller(actor: Actor, userId: unknown, input: unknown, context: AuditContext): Promise<{ matches: boolean }> {
      const user = await target(actor, 'users:verify_caller', userId);
      const parsed = verifyInput.safeParse(input);
      if (!parsed.success) throw new PortalError('admin.verify_input', 400);
      const now = clock.now();
      const agentKey = actor.kind === 'person' || actor.kind === 'member' ? actor.userId : actor.kind === 'client' ? `client:${actor.clientId}` : 'operator';
      const windowOf = (ms: number) => now - (now % ms);
      const [forTarget, forAgent] = await Promise.all([
        deps.actionCounters.hit(`verify:user:${user.id}`, windowOf(verifyLimits.perTarget.windowMs)),
        deps.actionCounters.hit(`verify:agent:${agentKey}`, windowOf(verifyLimits.perAgent.windowMs)),
      ]);
      if (forTarget > verifyLimits.perTarget.count || forAgent > verifyLimits.perAgent.count) {
        await record(actor, 'support.verify_limited', user, { method: parsed.data.method }, context);
        throw new PortalError('admin.verify_limited', 429);
      }
      let matches: boolean;
      if (parsed.data.method === 'question') {
        matches = await deps.securityQuestions.verify(user.id, parsed.data.questionId, parsed.data.answer);
      } else {
        // Hashes of the folded addresses, compared in constant time.
        matches = safeEqual(sha256Hex(searchKey(parsed.data.email.trim())), sha256Hex(searchKey(user.email)));
      }
      await record(actor, 'support.verify_caller', user, { method: parsed.data.method, ...(parsed.data.method === 'question' ? { questionId: parsed.data.questionId } : {}), result: matches ? 'match' : 'no_match' }, context);
      return { matches };
    },

    async unlock(actor: Actor, userId: unknown, reasonInput: unknown, context: AuditContext): Promise<{ wasLocked: boolean }> {
      const user = await target(actor, 'users:unlock', userId);
      const reason = requireReason(reasonInput);
      let wasLocked = false;
      await deps.unitOfWork(async () => {
        wasLocked = await deps.signInCounters.clear(user.username);
        await record(actor, 'support.unlock', user, { ...reasonForAudit(reason), wasLocked }, context);
      });
      notify(user, { kind: 'unlocked' });
      return { wasLocked };
    },

    /** A reset code to the account's own email (the desk never sees it); the person follows the mail. */
    async sendResetCode(actor: Actor, userId: unknown, reasonInput: unknown, context: AuditContext): Promise<{ sentTo: string }> {
      const user = await target(actor, 'users:reset', userId);
      const reason = requireReason(reasonInput);
      if (!user.email) throw new PortalError('admin.no_email', 409);
      await deps.recovery.startForSupport(user, contextFor(actor, context));
      await record(actor, 'support.reset_code_sent', user, reasonForAudit(reason), context);
      return { sentTo: user.email };
    },

    /**
     * A generated temporary password, returned once for the desk to read to the caller and stored
     * only as a hash: it must be changed at the next sign-in and stops working after 72 hours
     * unused. The account is unlocked and every session ends (the account may be in other hands).
     */
    async setTemporaryPassword(actor: Actor, userId: unknown, reasonInput: unknown, context: AuditContext): Promise<{ temporaryPassword: string; expiresAt: number }> {
      const user = await target(actor, 'users:reset', userId);
      const reason = requireReason(reasonInput);
      const password = temporaryPassword();
      const hash = await deps.passwords.hash(password);
      const now = clock.now();
      const expiresAt = now + temporaryPasswordLifetimeMs;
      let request = 0;
      await deps.unitOfWork(async () => {
        if (!(await users.setPassword(user.id, hash, now, { temporary: true, temporaryExpiresAt: expiresAt, expectedHash: user.password_hash }))) {
          throw new PortalError('flow.replayed', 409);
        }
        await deps.passwordHistory.add(user.id, hash, now);
        await deps.signInCounters.clear(user.username);
        request = await deps.sessions.requestEndAll(user.id, 'temporary_password');
        await record(actor, 'support.temporary_password', user, { ...reasonForAudit(reason), expiresAt }, context);
      });
      await carryOut(request);
      notify(user, { kind: 'temporaryPassword' });
      return { temporaryPassword: password, expiresAt };
    },

    /** Lifts the once-a-day limit on self-service resets (SPEC §3.6 step 5: "the help desk can override"). */
    async clearResetLimit(actor: Actor, userId: unknown, reasonInput: unknown, context: AuditContext): Promise<{ wasLimited: boolean }> {
      const user = await target(actor, 'users:reset', userId);
      const reason = requireReason(reasonInput);
      let wasLimited = false;
      await deps.unitOfWork(async () => {
        wasLimited = await users.clearResetLimit(user.id, clock.now());
        await record(actor, 'support.reset_limit_cleared', user, { ...reasonForAudit(reason), wasLimited }, context);
      });
      notify(user, { kind: 'resetAllowed' });
      return { wasLimited };
    },

    /**
     * Removes the authenticator app, the recovery codes and every passkey (a lost phone or laptop), and ends every session:
     * the person signs in with their password and sets up the app again (staff are sent to do so).
     * The desk never sees the factor; the person is told by email.
     */
    async removeSecondFactor(actor: Actor, userId: unknown, reasonInput: unknown, context: AuditContext): Promise<{ removed: boolean }> {
      const user = await target(actor, 'users:reset', userId);
      const reason = requireReason(reasonInput);
      let removed = false;
      let request = 0;
      await deps.unitOfWork(async () => {
        removed = await deps.factors.removeAll(user.id);
        request = await deps.sessions.requestEndAll(user.id, 'second_factor_removed');
        await record(actor, 'support.second_factor_removed', user, { ...reasonForAudit(reason), removed }, context);
      });
      await carryOut(request);
      notify(user, { kind: 'twoStepRemoved' });
      return { removed };
    },

    /** Ends every session of the account everywhere: back-channel logout to every app, grants revoked. */
    async endSessions(actor: Actor, userId: unknown, reasonInput: unknown, context: AuditContext): Promise<{ sessions: number }> {
      const user = await target(actor, 'users:sessions', userId);
      const reason = requireReason(reasonInput);
      let request = 0;
      await deps.unitOfWork(async () => {
        request = await deps.sessions.requestEndAll(user.id, 'support');
        await record(actor, 'support.sessions_ended', user, reasonForAudit(reason), context);
      });
      const sessions = await carryOut(request);
      notify(user, { kind: 'signedOut' });
      return { sessions };
    },

    /** Disabling ends every session everywhere; refresh tokens stop working (grants revoked). */
    async disable(actor: Actor, userId: unknown, reasonInput: unknown, context: AuditContext): Promise<{ changed: boolean }> {
      const user = await target(actor, 'users:disable', userId);
      const reason = requireReason(reasonInput);
      let changed = false;
      let request = 0;
      await deps.unitOfWork(async () => {
        changed = await users.setDisabled(user.id, clock.now(), clock.now());
        request = await deps.sessions.requestEndAll(user.id, 'disabled');
        await record(actor, 'support.disable', user, { ...reasonForAudit(reason), changed }, context);
      });
      await carryOut(request);
      if (changed) notify(user, { kind: 'disabled' });
      return { changed };
    },

    async enable(actor: Actor, userId: unknown, reasonInput: unknown, context: AuditContext): Promise<{ changed: boolean }> {
      const user = await target(actor, 'users:disable', userId);
      const reason = requireReason(reasonInput);
      let changed = false;
      await deps.unitOfWork(async () => {
        changed = await users.setDisabled(user.id, null, clock.now());
        await record(actor, 'support.enable', user, { ...reasonForAudit(reason), changed }, context);
      });
      if (changed) notify(user, { kind: 'enabled' });
      return { changed };
    },
  };
}

export type Support = ReturnType<typeof createSupport>;
