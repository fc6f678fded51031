import type { UserQueries, UserRow } from '../../queries/users.js';
import { usernameKey } from '../../queries/users.js';
import type { SignInCounterQueries } from '../../queries/sign-in-counters.js';
import type { Flow, FlowStore } from '../../libraries/flow-store.js';
import type { OneTimeCodes } from '../../libraries/one-time-codes.js';
import type { Mailer } from '../../libraries/mailer.js';
import { resetCodeMail } from '../../libraries/mailer.js';
import type { Audit, AuditContext } from '../../libraries/audit.js';
import type { Clock } from '../../libraries/clock.js';
import type { Logger } from '../../libraries/logger.js';
import { PortalError, type MessageKey } from '../../libraries/errors.js';
import { usernameFingerprint } from '../../libraries/secrets.js';
import { plausibleQuestionFor, type SecurityQuestion } from '../../libraries/security-questions.js';
import type { QuestionCatalogue } from '../../libraries/question-catalogue.js';
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
  /** Started by Customer Support: the code was sent to the account's email without the first questions. */
  bySupport?: boolean;
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
  /** Server key, for the fingerprint of an unknown username in the audit log. */
  serverKey: string;
  /** Every question ever offered: the pool for unknown usernames is the pool real ones chose from. */
  questionCatalogue: QuestionCatalogue;
  policy: RecoveryPolicy;
  supportContact: string;
  timeZone: string;
  /** Links in mail point here (the Forgot Password page waiting for a code Customer Support sent). */
  portalUrl: string;
}) {
  const { flows, users, oneTimeCodes, signInCounters, securityQuestions: questions, audit, clock, policy } = deps;
  // Compared against when a flow has no code, so a missing code costs what a wrong one costs.
  const noCodeHash = oneTimeCodes.hash(oneTimeCodes.generate());

  // Enumeration (timing): every step makes the same queries for unknown usernames as for known
  // ones — with an id that matches nothing — and the same hashing; only the answers differ.
  async function userOf(flow: RecoveryFlow): Promise<UserRow | undefined> {
    return users.findById(flow.userId ?? '');
  }

  function auditWho(flow: RecoveryFlow) {
    // An unknown name may be a password typed in the wrong box: only its fingerprint is kept.
    return flow.userId ? { subjectUserId: flow.userId } : { subject: flow.data.username ? usernameFingerprint(deps.serverKey, usernameKey(flow.data.username)) : null };
  }

  /**
   * Reserves this try at the code or answers before anything is compared (issue #7): counted and
   * committed first, so however many arrive at once, at most `codeMaxAttempts` are ever compared.
   */
  async function reserveTry(flow: RecoveryFlow, context: AuditContext) {
    const reserved = await flows.reserveTry(flow, policy.codeMaxAttempts);
    if (!reserved) {
      await audit.record({ action: 'recovery.failure', ...auditWho(flow), details: { step: flow.state, reason: 'no_tries_left' } }, context);
      throw new PortalError('recovery.too_many_attempts', 429);
    }
    return reserved;
  }

  /** A wrong code or answers; the last allowed try also retires the code (start again for a new one). */
  async function wrong(flow: RecoveryFlow, attempt: number, error: MessageKey, context: AuditContext): Promise<never> {
    await audit.record({ action: 'recovery.failure', ...auditWho(flow), details: { step: flow.state, attempts: attempt } }, context);
    if (attempt >= policy.codeMaxAttempts) {
      await flows.clearSecret(flow);
      throw new PortalError('recovery.too_many_attempts', 429);
    }
    throw new PortalError(error, 400);
  }

  /**
   * Stores a fresh code on the flow (older ones stop working) and mails it. Unknown users and wrong
   * first answers get a code too, stored the same way, that is simply never sent.
   */
  async function sendCode(flow: RecoveryFlow, context: AuditContext): Promise<void> {
    const user = await userOf(flow);
    const deliver = user !== undefined && flow.data.firstAnswerOk === true;
    const code = oneTimeCodes.generate();
    const now = clock.now();
    const expiresAt = now + policy.codeMinutes * 60_000;
    await flows.setSecret(flow, flow.usernameKey ?? '', oneTimeCodes.hash(code), expiresAt);
    await audit.record({ action: deliver ? 'recovery.code_sent' : 'recovery.code_withheld', ...auditWho(flow) }, context);
    // The flow id goes in the query, which no log records; it is no use without the code.
    const continueUrl = flow.data.bySupport ? `${deps.portalUrl.replace(/\/$/, '')}/forgot-password/continue?flow=${flow.id}` : undefined;
    const mail = resetCodeMail({ name: user?.name ?? '', code, expiresAt: new Date(expiresAt), now: new Date(now), supportContact: deps.supportContact, timeZone: deps.timeZone, continueUrl });
    if (!deliver) return;
    if (!deps.mailer) {
      deps.logger.error({ event: 'mail.unconfigured' }, 'no SMTP configured: recovery code not sent');
      return;
    }
    const mailer = deps.mailer;
    // After the response: the SMTP round trip would make known usernames measurably slower (enumeration).
    setImmediate(() => {
      mailer.send({ to: user.email, ...mail }).catch((err: Error) => deps.logger.error({ event: 'mail.error', err: err.message }, 'recovery code not sent'));
    });
  }

  /** Two more questions for someone without three of their own: stable per username, like the first. */
  function plausibleOthers(username: string, first: string): [string, string] {
    const key = usernameKey(username);
    const pool = deps.questionCatalogue.all().filter((q) => q.id !== first);
    const second = plausibleQuestionFor(`${key}#2`, deps.questionKey, pool);
    const third = plausibleQuestionFor(`${key}#3`, deps.questionKey, pool.filter((q) => q.id !== second.id));
    return [second.id, third.id];
  }

  /**
   * Identity proven: on to a new password, unless the once-a-day rule says no (SPEC §3.6 step 5).
   * The code is used up in the same compare-and-set: of two right answers racing, one goes on.
   */
  async function verified(flow: RecoveryFlow, user: UserRow, context: AuditContext): Promise<RecoveryFlow> {
    const since = user.password_reset_at == null ? Infinity : clock.now() - Number(user.password_reset_at);
    if (since < policy.resetIntervalHours * 3600_000) {
      return flows.advance(flow, 'refused', { clearSecret: true }, () =>
        audit.record({ action: 'recovery.refused', subjectUserId: user.id, details: { reason: 'once_a_day' } }, context),
      );
    }
    return flows.advance(flow, 'set_password', { clearSecret: true }, () =>
      audit.record({ action: 'recovery.verified', subjectUserId: user.id, details: { method: flow.data.method } }, context),
    );
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

    /**
     * Customer Support's "send a reset code" (issue #8): a flow waiting at the code step, for the
     * account's own email only — the desk never sees the code. The person follows the mail's link.
     */
    async startForSupport(user: UserRow, context: AuditContext): Promise<RecoveryFlow> {
      const flow = await flows.start<RecoveryData>({
        kind: recoveryKind,
        state: 'enter_code',
        ttlMs: flowTtlMs,
        userId: user.id,
        usernameKey: user.username_key,
        data: { username: user.username, firstAnswerOk: true, method: 'email', bySupport: true },
      });
      await sendCode(flow, context);
      return flow;
    },

    /** The flow a support mail's link names, if it still waits for its code. */
    async supportFlow(id: string): Promise<RecoveryFlow | undefined> {
      try {
        const flow = await flows.load<RecoveryData>(id, recoveryKind);
        return flow.data.bySupport && flow.state === 'enter_code' ? flow : undefined;
      } catch {
        return undefined;
      }
    },

    /** The questions the person sees: the first one, then (for that method) the other two. */
    questionsOf(flow: RecoveryFlow): SecurityQuestion[] {
      return (flow.data.questionIds ?? []).map((id) => deps.questionCatalogue.find(id)).filter((q): q is SecurityQuestion => q !== undefined);
    },

    async identify(flow: RecoveryFlow, username: string): Promise<RecoveryFlow> {
      const key = usernameKey(username);
      const user = await users.findByUsername(username);
      const own = await questions.questionsOf(user?.id ?? '');
      // Known accounts show one of their own questions; others a plausible one, the same every time.
      const first = plausibleQuestionFor(key, deps.questionKey, own.length ? own : deps.questionCatalogue.all());
      return flows.advance(flow, 'question', { userId: user?.id ?? null, usernameKey: key, data: { ...flow.data, username, questionIds: [first.id] } });
    },

    async answerFirst(flow: RecoveryFlow, answer: string): Promise<RecoveryFlow> {
      const [questionId] = flow.data.questionIds ?? [];
      const hasAnswers = await questions.isSetUp(flow.userId ?? '');
      const matches = await questions.verify(flow.userId, questionId!, answer);
      // Someone who never set up questions (a new account, the help desk's temporary password) can
      // still prove who they are by email; their first answer cannot be checked and is not held against them.
      const firstAnswerOk = flow.userId !== null && (matches || !hasAnswers);
      return flows.advance(flow, 'choose_method', { data: { ...flow.data, firstAnswerOk } });
    },

    async chooseMethod(flow: RecoveryFlow, method: 'email' | 'questions', context: AuditContext): Promise<RecoveryFlow> {
      if (method === 'questions') {
        const [first] = flow.data.questionIds ?? [];
        const own = (await questions.questionsOf(flow.userId ?? '')).map((q) => q.id);
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
      const { attempt, secretHash, secretExpiresAt } = await reserveTry(flow, context);
      const user = await userOf(flow);
      // Always one constant-time compare, also when there is no code: the same work either way.
      const matches = oneTimeCodes.verify(code, secretHash ?? noCodeHash) && secretHash !== null;
      if (secretExpiresAt !== null && secretExpiresAt <= clock.now()) return wrong(flow, attempt, 'recovery.code_expired', context);
      if (!matches || !user || !flow.data.firstAnswerOk) return wrong(flow, attempt, 'recovery.wrong_code', context);
      return verified(flow, user, context);
    },

    async answerQuestions(flow: RecoveryFlow, answers: string[], context: AuditContext): Promise<RecoveryFlow> {
      const { attempt } = await reserveTry(flow, context);
      const ids = (flow.data.questionIds ?? []).slice(1);
      // Every answer is verified (dummy hashes for unknown users), so timing does not tell which failed.
      const results = await Promise.all(ids.map((id, i) => questions.verify(flow.userId, id, answers[i] ?? '')));
      const user = await userOf(flow);
      const setUp = await questions.isSetUp(flow.userId ?? '');
      if (!user || !flow.data.firstAnswerOk || !setUp || results.some((ok) => !ok)) {
        return wrong(flow, attempt, 'recovery.wrong_answers', context);
      }
      return verified(flow, user, context);
    },

    /**
     * The new password. It is written in the same transaction as the flow's move to `done`, with
     * the unlock, the audit and the durable request to end every session: a request that loses the
     * race (another tab, a replay) changes nothing and gets 409. The sessions are then ended with
     * back-channel logout to the apps; if the process dies first, the sweeper does it.
     */
    async setPassword(flow: RecoveryFlow, input: NewPasswordInput, context: AuditContext): Promise<{ check: PasswordCheck; flow: RecoveryFlow; user?: UserRow }> {
      const user = await userOf(flow);
      if (!user) throw new PortalError('flow.expired', 410);
      const asUser = { ...context, actorUserId: user.id };
      const prepared = await deps.passwordChanger.prepare(user, input, { reason: 'reset', context });
      if (!prepared.ok) return { check: prepared, flow };
      let request = 0;
      const done = await flows.advance(flow, 'done', {}, async () => {
        await deps.passwordChanger.apply(user, prepared.hash, { reason: 'reset', context });
        await signInCounters.clear(user.username);
        request = await deps.sessions.requestEndAll(user.id, 'password_reset');
        await audit.record({ action: 'password.reset', subjectUserId: user.id, details: { method: flow.data.method } }, asUser);
      });
      try {
        const ended = await deps.sessions.carryOut(request);
        if (ended) await audit.record({ action: 'sessions.ended', subjectUserId: user.id, details: { reason: 'password_reset', sessions: ended.sessions, notified: ended.notified } }, asUser);
      } catch (err) {
        deps.logger.error({ event: 'sessions.end_error', err: (err as Error).message }, 'ending sessions after a reset failed; the sweeper retries');
      }
      return { check: { ok: true }, flow: done, user };
    },
  };
}

export type Recovery = ReturnType<typeof createRecovery>;
