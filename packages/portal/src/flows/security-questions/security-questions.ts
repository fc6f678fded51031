import type { SecurityAnswerQueries } from '../../queries/security-answers.js';
import type { PasswordHasher } from '../../libraries/passwords.js';
import type { Audit, AuditContext } from '../../libraries/audit.js';
import type { Clock } from '../../libraries/clock.js';
import { normalizeAnswer } from '../../libraries/security-questions.js';
import type { QuestionCatalogue } from '../../libraries/question-catalogue.js';

export const requiredQuestionCount = 3;
export const maxAnswerLength = 100;

export interface AnswerInput {
  questionId: string;
  answer: string;
}

export type AnswersCheck = { ok: true } | { ok: false; problems: string[] };

/**
 * Security questions (SPEC §3.5): three different questions from the catalogue; answers are
 * normalised (case, spacing, punctuation) and hashed with argon2id like passwords, never stored or
 * logged in clear.
 */
export function createSecurityQuestions(deps: { answers: SecurityAnswerQueries; passwords: PasswordHasher; audit: Audit; clock: Clock; questionCatalogue: QuestionCatalogue }) {
  const { answers, passwords, audit, clock, questionCatalogue } = deps;

  function check(input: AnswerInput[]): AnswersCheck {
    const problems: string[] = [];
    const ids = input.map((a) => a.questionId);
    // New choices come from the questions offered now; a retired one can no longer be picked.
    if (input.length !== requiredQuestionCount || ids.some((id) => !questionCatalogue.isActive(id))) {
      problems.push(`Choose ${requiredQuestionCount} questions from the list.`);
    } else if (new Set(ids).size !== ids.length) {
      problems.push('Choose a different question for each of the three.');
    }
    if (input.some((a) => a.answer.length > maxAnswerLength)) problems.push(`Each answer can have at most ${maxAnswerLength} characters.`);
    else if (input.some((a) => normalizeAnswer(a.answer).length < 2)) problems.push('Answer every question (at least 2 letters or digits).');
    return problems.length ? { ok: false, problems } : { ok: true };
  }

  /** Checks and hashes new answers: the slow part, done before the step's transaction. */
  async function prepare(input: AnswerInput[]): Promise<{ ok: true; hashed: { questionId: string; answerHash: string }[] } | { ok: false; problems: string[] }> {
    const result = check(input);
    if (!result.ok) return result;
    const hashed = await Promise.all(input.map(async (a) => ({ questionId: a.questionId, answerHash: await passwords.hash(normalizeAnswer(a.answer)) })));
    return { ok: true, hashed };
  }
  /** Stores prepared answers (all at once, never a mix of old and new) and audits which questions. */
  async function apply(userId: string, hashed: { questionId: string; answerHash: string }[], context: AuditContext): Promise<void> {
    await answers.replace(userId, hashed, clock.now());
    await audit.record({ action: 'security_questions.set', subjectUserId: userId, details: { questions: hashed.map((a) => a.questionId) } }, { ...context, actorUserId: context.actorUserId ?? userId });
  }

  return {
    catalogue: () => questionCatalogue.active(),
    check,
    prepare,
    apply,
    async isSetUp(userId: string): Promise<boolean> {
      return (await answers.forUser(userId)).length >= requiredQuestionCount;
    },
    async questionsOf(userId: string) {
      return (await answers.forUser(userId)).map((a) => questionCatalogue.find(a.question_id)).filter((q) => q !== undefined);
    },
    async save(userId: string, input: AnswerInput[], context: AuditContext): Promise<AnswersCheck> {
      const prepared = await prepare(input);
      if (!prepared.ok) return prepared;
      await apply(userId, prepared.hashed, context);
      return { ok: true };
    },
    /** Checks one answer; always spends one argon2 verification (a dummy one when there is no answer). */
    async verify(userId: string | null, questionId: string, answer: string): Promise<boolean> {
      // The same query for an unknown user (an id that matches nothing): timing tells nothing.
      const stored = (await answers.forUser(userId ?? '')).find((a) => a.question_id === questionId);
      const ok = await passwords.verify(stored?.answer_hash, normalizeAnswer(answer));
      return stored !== undefined && ok;
    },
  };
}

export type SecurityQuestions = ReturnType<typeof createSecurityQuestions>;
