import type { UserQueries, UserRow } from '../../queries/users.js';
import { usernameKey } from '../../queries/users.js';
import type { OneTimeCodeQueries } from '../../queries/one-time-codes.js';
import type { SignInCounterQueries } from '../../queries/sign-in-counters.js';
import type { Flow, FlowStore } from '../../libraries/flow-store.js';
import type { OneTimeCodes } from '../../libraries/one-time-codes.js';
import type { Mailer } from '../../libraries/mailer.js';
import { resetCodeMail } from '../../libraries/mailer.js';
import type { Audit, AuditContext } from '../../libraries/audit.js';
import type { Clock } from '../../libraries/clock.js';
import type { Logger } from '../../libraries/logger.js';
import { PortalError, type MessageKey } from '../../libraries/errors.js';
import { findSecurityQuestion, plausibleQuestionFor, securityQuestions, type SecurityQuestion } from '../../libraries/security-questions.js';
import type { SecurityQuestions } from '../security-questions/security-questions.js';
import type { PasswordChanger, NewPasswordInput, PasswordCheck } from '../password-change/change-password.js';
import type { SessionTerminator } from '../../oidc/sessions.js';

/**
 * Forgot Password (SPEC §3.6) as a stored flow with named states — drawn in docs/flows/recovery.md:
 *
 *   identify → question → choose_method → enter_code ┐
 *                                       → answer_questions ┴→ set_password → done
 *                                                          └→ refused (once a day)
 *
 * Enumeration: an unknown username walks the same states with a plausible question (stable per
 * username), the same pages and the same messages; it simply never receives a code and never
 * verifies. Whether the first answer was right is not said until the code or answers step, so a
 * guesser learns nothing from the first page either.
 */
export const recoveryKind = 'recovery';
export type RecoveryState = 'identify' | 'question' | 'choose_method' | 'enter_code' | 'answer_questions' | 'set_password' | 'done' | 'refused';

export interface RecoveryData {
  username?: string;
  notice?: 'locked';
  /** The first question shown, then the others for the "answer my security questions" method. */
  questionIds?: string[];
  firstAnswerOk?: boolean;
  method?: 'email' | 'questions';
}

export type RecoveryFlow = Flow<RecoveryData>;

export interface RecoveryPolicy {
  codeMinutes: number;
  codeMaxAttempts: number;
  resetIntervalHours: number;
}

const flowTtlMs = 60 * 60_000; // longer than a code's 30 minutes, so the code's own expiry is what a person meets
const codePurpose = 'recovery';

export function createRecovery(deps: {
  flows: FlowStore;
  users: UserQueries;
  codes: OneTimeCodeQueries;
  oneTimeCodes: OneTimeCodes;
  signInCounters: SignInCounterQueries;
  securityQuestions: SecurityQuestions;
  passwordChanger: PasswordChanger;
  sessions: SessionTerminator;
  mailer: Mailer | undefined;
  audit: Audit;
  clock: Clock;
  logger: Logger;
  questionKey: string;
  policy: RecoveryPolicy;
  supportContact: string;
  timeZone: string;
}) {
  const { flows, users, codes, oneTimeCodes, signInCounters, securityQuestions: questions, audit, clock, policy } = deps;

  async function userOf(flow: RecoveryFlow): Promise<UserRow | undefined> {
    return flow.userId ? users.findById(flow.userId) : undefined;
  }

  function auditWho(flow: RecoveryFlow) {
    return flow.userId ? { subjectUserId: flow.userId } : { subject: flow.data.username ?? null };
  }

  /** A wrong code or answers: counted on the flow; past the limit the flow is over (start again). */
  async function wrong(flow: RecoveryFlow, error: MessageKey, context: AuditContext): Promise<never> {
    const attempts = await flows.addAttempt(flow);
    await audit.record({ action: 'recovery.failure', ...auditWho(flow), details: { step: flow.state, attempts } }, context);
    if (attempts >= policy.codeMaxAttempts) {
      await flows.end(flow);
      if (flow.userId) await codes.remove(flow.userId, codePurpose);
      throw new PortalError('recovery.too_many_attempts', 429);
    }
    throw new PortalError(error, 400);
  }

  /** Sends a fresh code (replacing any older one). Unknown users and wrong first answers get none. */
  async function sendCode(flow: RecoveryFlow, context: AuditContext): Promise<void> {
    const user = await userOf(flow);
    if (!user || !flow.data.firstAnswerOk) {
      await audit.record({ action: 'recovery.code_withheld', ...auditWho(flow) }, context);
      return;
    }
    const code = oneTimeCodes.generate();
    const now = clock.now();
    const expiresAt = now + policy.codeMinutes * 60_000;
    await codes.issue({ user_id: user.id, purpose: codePurpose, flow_id: flow.id, code_hash: oneTimeCodes.hash(code), expires_at: expiresAt });
    await audit.record({ action: 'recovery.code_sent', subjectUserId: user.id }, context);
    const mail = resetCodeMail({ name: user.name, code, expiresAt: new Date(expiresAt), now: new Date(now), supportContact: deps.supportContact, timeZone: deps.timeZone });
    // Not awaited: the SMTP round trip would make known usernames measurably slower (enumeration).
    void deps.mailer
      ?.send({ to: user.email, ...mail })
      .catch((err: Error) => deps.logger.error({ event: 'mail.error', err: err.message }, 'recovery code not sent'));
    if (!deps.mailer) deps.logger.error({ event: 'mail.unconfigured' }, 'no SMTP configured: recovery code not sent');
  }

  /** Two more questions for someone without three of their own: stable per username, like the first. */
  function plausibleOthers(username: string, first: string): [string, string] {
    const key = usernameKey(username);
    const pool = securityQuestions.filter((q) => q.id !== first);
    const second = plausibleQuestionFor(`${key}#2`, deps.questionKey, pool);
    const third = plausibleQuestionFor(`${key}#3`, deps.questionKey, pool.filter((q) => q.id !== second.id));
    return [second.id, third.id];
  }

  /** Identity proven: on to a new password, unless the once-a-day rule says no (SPEC §3.6 step 5). */
  async function verified(flow: RecoveryFlow, user: UserRow, context: AuditContext): Promise<RecoveryFlow> {
    const since = user.password_reset_at == null ? Infinity : clock.now() - Number(user.password_reset_at);
    if (since < policy.resetIntervalHours * 3600_000) {
      await audit.record({ action: 'recovery.refused', subjectUserId: user.id, details: { reason: 'once_a_day' } }, context);
      return flows.advance(flow, 'refused');
    }
    await audit.record({ action: 'recovery.verified', subjectUserId: user.id, details: { method: flow.data.method } }, context);
    return flows.advance(flow, 'set_password');
  }

  return {
    start(input: { interactionUid?: string | null; notice?: 'locked'; username?: string }): Promise<RecoveryFlow> {
      return flows.start<RecoveryData>({
        kind: recoveryKind,
        state: 'identify',
        ttlMs: flowTtlMs,
        interactionUid: input.interactionUid ?? null,
        data: { ...(input.notice ? { notice: input.notice } : {}), ...(input.username ? { username: input.username } : {}) },
      });
    },

    /** The questions the person sees: the first one, then (for that method) the other two. */
    questionsOf(flow: RecoveryFlow): SecurityQuestion[] {
      return (flow.data.questionIds ?? []).map((id) => findSecurityQuestion(id)).filter((q): q is SecurityQuestion => q !== undefined);
    },

    async identify(flow: RecoveryFlow, username: string): Promise<RecoveryFlow> {
      const key = usernameKey(username);
      const user = await users.findByUsername(username);
      const own = user ? await questions.questionsOf(user.id) : [];
      // Known accounts show one of their own questions; others a plausible one, the same every time.
      const first = plausibleQuestionFor(key, deps.questionKey, own.length ? own : securityQuestions);
      return flows.advance(flow, 'question', { userId: user?.id ?? null, data: { ...flow.data, username, questionIds: [first.id] } });
    },

    async answerFirst(flow: RecoveryFlow, answer: string): Promise<RecoveryFlow> {
      const [questionId] = flow.data.questionIds ?? [];
      const hasAnswers = flow.userId ? await questions.isSetUp(flow.userId) : false;
      const matches = await questions.verify(flow.userId, questionId!, answer);
      // Someone who never set up questions (a new account, the help desk's temporary password) can
      // still prove who they are by email; their first answer cannot be checked and is not held against them.
      const firstAnswerOk = flow.userId !== null && (matches || !hasAnswers);
      return flows.advance(flow, 'choose_method', { data: { ...flow.data, firstAnswerOk } });
    },

    async chooseMethod(flow: RecoveryFlow, method: 'email' | 'questions', context: AuditContext): Promise<RecoveryFlow> {
      if (method === 'questions') {
        const [first] = flow.data.questionIds ?? [];
        const own = flow.userId ? (await questions.questionsOf(flow.userId)).map((q) => q.id) : [];
        const others = own.filter((id) => id !== first);
        const ids = own.length >= 3 ? [first!, ...others.slice(0, 2)] : [first!, ...plausibleOthers(flow.data.username ?? '', first!)];
        return flows.advance(flow, 'answer_questions', { data: { ...flow.data, method, questionIds: ids } });
      }
      const next = await flows.advance(flow, 'enter_code', { data: { ...flow.data, method } });
      await sendCode(next, context);
      return next;
    },

    sendCode,

    async enterCode(flow: RecoveryFlow, code: string, context: AuditContext): Promise<RecoveryFlow> {
      const user = await userOf(flow);
      if (!user || !flow.data.firstAnswerOk) return wrong(flow, 'recovery.wrong_code', context);
      const stored = await codes.find(user.id, codePurpose);
      // Only the newest code, only for this flow (a code from another attempt does not count).
      if (!stored || stored.flow_id !== flow.id) return wrong(flow, 'recovery.wrong_code', context);
      if (Number(stored.expires_at) <= clock.now()) return wrong(flow, 'recovery.code_expired', context);
      if (!oneTimeCodes.verify(code, stored.code_hash)) {
        const failures = await codes.addFailure(user.id, codePurpose);
        if (failures >= policy.codeMaxAttempts) await codes.remove(user.id, codePurpose);
        return wrong(flow, 'recovery.wrong_code', context);
      }
      // Single use: of two parallel submissions of one code, only the one that deletes it goes on.
      if (!(await codes.consume(user.id, codePurpose, stored.code_hash))) return wrong(flow, 'recovery.wrong_code', context);
      return verified(flow, user, context);
    },

    async answerQuestions(flow: RecoveryFlow, answers: string[], context: AuditContext): Promise<RecoveryFlow> {
      const ids = (flow.data.questionIds ?? []).slice(1);
      // Every answer is verified (dummy hashes for unknown users), so timing does not tell which failed.
      const results = await Promise.all(ids.map((id, i) => questions.verify(flow.userId, id, answers[i] ?? '')));
      const user = await userOf(flow);
      if (!user || !flow.data.firstAnswerOk || !(await questions.isSetUp(user.id)) || results.some((ok) => !ok)) {
        return wrong(flow, 'recovery.wrong_answers', context);
      }
      return verified(flow, user, context);
    },

    /**
     * The new password. On success the account is unlocked, every session everywhere ends
     * (back-channel logout to the apps), and the reset is audited.
     */
    async setPassword(flow: RecoveryFlow, input: NewPasswordInput, context: AuditContext): Promise<{ check: PasswordCheck; flow: RecoveryFlow; user?: UserRow }> {
      const user = await userOf(flow);
      if (!user) throw new PortalError('flow.expired', 410);
      const check = await deps.passwordChanger.change(user, input, { reason: 'reset', context });
      if (!check.ok) return { check, flow };
      const done = await flows.advance(flow, 'done');
      await signInCounters.clear(user.username);
      const ended = await deps.sessions.endAllSessions(user.id);
      await audit.record({ action: 'password.reset', subjectUserId: user.id, details: { method: flow.data.method, sessionsEnded: ended.sessions } }, { ...context, actorUserId: user.id });
      return { check, flow: done, user };
    },
  };
}

export type Recovery = ReturnType<typeof createRecovery>;
