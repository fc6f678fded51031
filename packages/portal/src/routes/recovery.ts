import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { PortalConfig } from '../config/index.js';
import type { FormGuards } from './form-guards.js';
import { PortalError, messageFor } from '../libraries/errors.js';
import { html } from '@portal/common';
import { t } from '../locales/sign-in.js';
import type { FlowStore } from '../libraries/flow-store.js';
import type { PasswordChanger } from '../flows/password-change/change-password.js';
import { recoveryKind, type Recovery, type RecoveryData, type RecoveryFlow, type RecoveryState } from '../flows/recovery/recovery.js';
import { recoveryPage } from '../views/recovery.js';
import { passwordFormProblems } from '../views/password-fields.js';
import type { FormProblem } from '../views/form-problems.js';
import { messagePage } from '../views/message.js';
import { auditContext } from './request-context.js';
import { clearFlowCookie, readFlowCookie, setFlowCookie } from './cookies.js';

const cookieMaxAgeMs = 60 * 60_000;

const submission = z.object({
  csrf: z.string().max(200).optional(),
  flow: z.string().max(64).optional(),
  step: z.enum(['identify', 'question', 'choose_method', 'enter_code', 'answer_questions', 'set_password']),
  username: z.string().max(100).optional(),
  answer: z.string().max(100).optional(),
  method: z.enum(['email', 'questions']).optional(),
  code: z.string().max(20).optional(),
  answer_0: z.string().max(100).optional(),
  answer_1: z.string().max(100).optional(),
  new_password: z.string().max(256).optional(),
  confirm_password: z.string().max(256).optional(),
});
type Submission = z.infer<typeof submission>;

/** The fields each step's answer is typed in: what a refused answer marks as in error. */
const stepFields: Record<Submission['step'], string[]> = {
  identify: ['username'],
  question: ['answer'],
  choose_method: ['method_email'],
  enter_code: ['code'],
  answer_questions: ['answer_0', 'answer_1'],
  set_password: ['new_password'],
};

/**
 * Forgot Password over HTTP (SPEC §3.6). The browser holds the flow id in an HttpOnly cookie and
 * echoes it in each form with a CSRF token bound to it; the flow record holds everything else.
 * After a reset that began at an app's sign-in, the person continues that sign-in (AUA, questions).
 */
export function createRecoveryRoutes(deps: {
  config: PortalConfig;
  flows: FlowStore;
  recovery: Recovery;
  passwordChanger: PasswordChanger;
  /** Hands a completed reset back to the app sign-in it began in. */
  continueSignIn: (interactionUid: string, userId: string) => Promise<void>;
  guards: FormGuards;
}): Router {
  const { config, flows, recovery } = deps;
  const router = express.Router();
  const { attemptLimit, parseBody } = deps.guards;
  const support = { support: config.supportContact };

  function render(res: Response, flow: RecoveryFlow, extra: { problems?: FormProblem[]; codeResent?: boolean } = {}) {
    res.set('cache-control', 'no-store');
    res.type('html').send(
      recoveryPage({
        state: flow.state as RecoveryState,
        flowId: flow.id,
        csrfToken: flows.csrfToken(flow),
        supportContact: config.supportContact,
        username: flow.data.username,
        notice: flow.data.notice,
        questions: recovery.questionsOf(flow),
        problems: extra.problems,
        codeResent: extra.codeResent,
        rules: deps.passwordChanger.rules(),
        codeMinutes: config.recovery.codeMinutes,
      }),
    );
  }

  async function currentFlow(req: Request): Promise<RecoveryFlow | undefined> {
    const id = readFlowCookie(req, config, 'recovery');
    if (!id) return undefined;
    try {
      return await flows.load<RecoveryData>(id, recoveryKind);
    } catch {
      return undefined;
    }
  }

  async function startFlow(res: Response, input: Parameters<Recovery['start']>[0]): Promise<RecoveryFlow> {
    const flow = await recovery.start(input);
    setFlowCookie(res, config, 'recovery', flow.id, cookieMaxAgeMs);
    return flow;
  }

  /** A dead end (expired, replayed elsewhere, too many tries): say so and offer a fresh start. */
  function renderDeadEnd(res: Response, error: PortalError) {
    clearFlowCookie(res, config, 'recovery');
    res.status(error.status).set('cache-control', 'no-store').type('html').send(
      messagePage({
        title: t('recovery.title'),
        message: messageFor(error.code, support),
        supportContact: config.supportContact,
        extra: html`<p><a href="/forgot-password?restart=1">${t('common.startAgain')}</a></p>`,
      }),
    );
  }

  // The link in a code Customer Support sent: this browser takes up that flow, at its code step.
  router.get('/forgot-password/continue', attemptLimit, async (req, res) => {
    const id = typeof req.query.flow === 'string' && req.query.flow.length <= 64 ? req.query.flow : undefined;
    const flow = id ? await recovery.supportFlow(id) : undefined;
    if (!flow) return renderDeadEnd(res, new PortalError('flow.expired', 410));
    setFlowCookie(res, config, 'recovery', flow.id, cookieMaxAgeMs);
    res.set('referrer-policy', 'no-referrer');
    return res.redirect(303, '/forgot-password');
  });

  // Each visit without a live flow stores a new one: limited per IP like the forms, so page loads
  // cannot be used to fill the table.
  router.get('/forgot-password', attemptLimit, async (req, res) => {
    const existing = req.query.restart ? undefined : await currentFlow(req);
    render(res, existing ?? (await startFlow(res, {})));
  });

  // Verifies the submission belongs to this browser's flow, in the state its form was made for.
  async function loadForSubmit(req: Request, body: { flow?: string | undefined; csrf?: string | undefined }, states: string[]) {
    if (!body.flow || body.flow !== readFlowCookie(req, config, 'recovery')) throw new PortalError('flow.expired', 410);
    return flows.forSubmit<RecoveryData>(body.flow, recoveryKind, states, body.csrf);
  }

  router.post('/forgot-password', parseBody, attemptLimit, async (req, res) => {
    const parsed = submission.safeParse(req.body ?? {});
    if (!parsed.success) {
      // Overlong or malformed input changes nothing; the current page is shown again when there is one.
      const flow = await currentFlow(req);
      if (!flow) return renderDeadEnd(res, new PortalError('flow.expired', 410));
      res.status(400);
      return render(res, flow, { problems: [messageFor('request.invalid', support)] });
    }
    const form = parsed.data;
    let flow: RecoveryFlow;
    try {
      flow = await loadForSubmit(req, form, [form.step]);
    } catch (err) {
      if (err instanceof PortalError && err.code === 'flow.replayed') {
        const current = await currentFlow(req);
        if (current) {
          res.status(409);
          return render(res, current, { problems: [messageFor('flow.replayed', support)] });
        }
      }
      if (err instanceof PortalError) return renderDeadEnd(res, err);
      throw err;
    }

    const context = auditContext(req);
    try {
      const next = await advance(flow, form, context);
      if ('problems' in next) {
        res.status(400);
        return render(res, flow, { problems: next.problems });
      }
      if (next.state === 'done' && next.interactionUid && next.userId) {
        // Reset from an app's sign-in: carry on with it (AUA, security questions), already signed in.
        clearFlowCookie(res, config, 'recovery');
        await deps.continueSignIn(next.interactionUid, next.userId);
        return res.redirect(303, `/interaction/${next.interactionUid}`);
      }
      if (next.state === 'done' || next.state === 'refused') {
        // The end of the flow: shown once, never reachable again by address or by refreshing.
        clearFlowCookie(res, config, 'recovery');
        return render(res, next);
      }
      return res.redirect(303, '/forgot-password');
    } catch (err) {
      if (!(err instanceof PortalError)) throw err;
      if (err.code === 'recovery.too_many_attempts' || err.code === 'flow.expired' || err.code === 'flow.replayed') return renderDeadEnd(res, err);
      res.status(err.status);
      // A wrong code, wrong answers: about what was typed in this step's fields.
      return render(res, flow, { problems: [{ message: messageFor(err.code, support), fields: stepFields[form.step] }] });
    }
  });

  /** Runs the step the form was for; returns the moved flow, or the problems to show on the same page. */
  async function advance(flow: RecoveryFlow, form: Submission, context: ReturnType<typeof auditContext>): Promise<RecoveryFlow | { problems: FormProblem[] }> {
    const missing = (code: Parameters<typeof messageFor>[0]) => ({ problems: [{ message: messageFor(code, support), fields: stepFields[form.step] }] });
    switch (form.step) {
      case 'identify':
        if (!form.username?.trim()) return missing('recovery.missing_username');
        return recovery.identify(flow, form.username.trim());
      case 'question':
        if (!form.answer?.trim()) return missing('recovery.missing_answer');
        return recovery.answerFirst(flow, form.answer);
      case 'choose_method':
        if (!form.method) return missing('recovery.choose_method');
        return recovery.chooseMethod(flow, form.method, context);
      case 'enter_code':
        if (!form.code?.trim()) return missing('recovery.missing_code');
        return recovery.enterCode(flow, form.code, context);
      case 'answer_questions':
        if (!form.answer_0?.trim() || !form.answer_1?.trim()) {
          return { problems: [{ message: messageFor('recovery.missing_answer', support), fields: stepFields.answer_questions.filter((f) => !form[f as 'answer_0']?.trim()) }] };
        }
        return recovery.answerQuestions(flow, [form.answer_0, form.answer_1], context);
      case 'set_password': {
        const result = await recovery.setPassword(flow, { newPassword: form.new_password ?? '', confirmPassword: form.confirm_password ?? '' }, context);
        return result.check.ok ? result.flow : { problems: passwordFormProblems(result.check.problems) };
      }
    }
  }

  router.post('/forgot-password/resend', parseBody, attemptLimit, async (req, res) => {
    const body = z.object({ csrf: z.string().max(200).optional(), flow: z.string().max(64).optional() }).safeParse(req.body ?? {});
    let flow: RecoveryFlow;
    try {
      flow = await loadForSubmit(req, body.success ? body.data : {}, ['enter_code']);
    } catch (err) {
      if (err instanceof PortalError) return renderDeadEnd(res, err);
      throw err;
    }
    await recovery.sendCode(flow, auditContext(req));
    render(res, flow, { codeResent: true });
  });

  return router;
}
