import express, { type Request, type Response, type Router } from 'express';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { PortalConfig } from '../config/index.js';
import type { FormGuards } from './form-guards.js';
import type { Csrf } from '../libraries/csrf.js';
import type { Clock } from '../libraries/clock.js';
import { PortalError, messageFor } from '../libraries/errors.js';
import type { UserQueries } from '../queries/users.js';
import type { Support } from '../libraries/administration/support.js';
import type { Actor } from '../libraries/administration/actors.js';
import { confirmActionPage, helpdeskSearchPage, statusCardPage, supportActions, temporaryPasswordPage, type SupportActionName } from '../views/helpdesk.js';
import { t } from '../locales/consoles.js';
import { auditContext } from './request-context.js';
import { searchUsers } from './user-search.js';
import { createSignedIn, type SignedIn } from './signed-in.js';

const actionForm = z.object({
  csrf: z.string().max(200).optional(),
  reason_code: z.string().max(40).optional(),
  // Generous here: the reason's own rules (10–500 characters, …) give the person the message.
  reason: z.string().max(4000).optional(),
  ticket: z.string().max(400).optional(),
});

const verifyForm = z.object({
  csrf: z.string().max(200).optional(),
  method: z.enum(['question', 'email']).optional(),
  question: z.string().max(40).optional(),
  answer: z.string().max(100).optional(),
  email: z.string().max(254).optional(),
});

/** What each action page calls; only the temporary password has something to show (once). */
type Runner = (support: Support, actor: Actor, userId: string, reason: unknown, ctx: ReturnType<typeof auditContext>) => Promise<unknown>;
const runners: Record<SupportActionName, Runner> = {
  unlock: (s, a, id, r, c) => s.unlock(a, id, r, c),
  'reset-code': (s, a, id, r, c) => s.sendResetCode(a, id, r, c),
  'temporary-password': (s, a, id, r, c) => s.setTemporaryPassword(a, id, r, c),
  'clear-reset-limit': (s, a, id, r, c) => s.clearResetLimit(a, id, r, c),
  'remove-second-factor': (s, a, id, r, c) => s.removeSecondFactor(a, id, r, c),
  'end-sessions': (s, a, id, r, c) => s.endSessions(a, id, r, c),
  disable: (s, a, id, r, c) => s.disable(a, id, r, c),
  enable: (s, a, id, r, c) => s.enable(a, id, r, c),
};

const isAction = (name: string): name is SupportActionName => (supportActions as readonly string[]).includes(name);

/**
 * The help desk console (SPEC §3.10, issue #8): HTTP only. Who may do what is decided by the
 * support library from the actor built here; these routes parse, call and render. Every action is
 * a GET confirmation page, then a CSRF-protected POST with a reason.
 */
export function createHelpdeskRoutes(deps: { config: PortalConfig; provider: Provider; csrf: Csrf; users: UserQueries; clock: Clock; support: Support; guards: FormGuards }): Router {
  const { config, csrf, support } = deps;
  const router = express.Router();
  const { attemptLimit, parseBody } = deps.guards;
  const signedIn = createSignedIn({ provider: deps.provider, users: deps.users, csrf, config, clock: deps.clock });
  const view = (who: SignedIn) => ({ header: who.header, supportContact: config.supportContact, timeZone: config.mail.timeZone });
  const messages = { support: config.supportContact };

  const staff = (handler: Parameters<typeof signedIn.staff>[1]) => signedIn.staff(['helpdesk', 'admin'], handler);
  const checkCsrf = signedIn.checkFormCsrf;

  router.get(
    '/helpdesk',
    staff(searchUsers(support, config.supportContact, (found, who) => helpdeskSearchPage({ ...view(who), ...found }))),
  );

  async function renderCard(req: Request, res: Response, who: SignedIn, actor: Actor, extra: { verification?: { matches: boolean; method: string }; problems?: string[]; done?: string; status?: number } = {}) {
    const card = await support.statusCard(actor, req.params.id, auditContext(req, who.user.id));
    res.status(extra.status ?? 200).type('html').send(statusCardPage({ ...view(who), card, csrfToken: who.csrfToken, ...extra }));
  }

  router.get(
    '/helpdesk/users/:id',
    staff(async (req, res, who, actor) => {
      // Said after an action: the redirect carries only the action's name; its words are `helpdesk.done`.
      const done = typeof req.query.done === 'string' && isAction(req.query.done) ? t(`helpdesk.done.${req.query.done}`) : undefined;
      await renderCard(req, res, who, actor, { done });
    }),
  );

  router.post(
    '/helpdesk/users/:id/verify',
    parseBody,
    attemptLimit,
    staff(async (req, res, who, actor) => {
      checkCsrf(who, req);
      const form = verifyForm.safeParse(req.body ?? {});
      const input = form.success
        ? form.data.method === 'email'
          ? { method: 'email', email: form.data.email ?? '' }
          : { method: 'question', questionId: form.data.question ?? '', answer: form.data.answer ?? '' }
        : {};
      try {
        const { matches } = await support.verifyCaller(actor, req.params.id, input, auditContext(req, who.user.id));
        await renderCard(req, res, who, actor, { verification: { matches, method: String(input.method) } });
      } catch (err) {
        if (!(err instanceof PortalError) || (err.status !== 400 && err.status !== 429)) throw err;
        await renderCard(req, res, who, actor, { problems: [messageFor(err.code, messages)], status: err.status });
      }
    }),
  );

  // The confirmation step: what will happen, and the reason.
  router.get(
    '/helpdesk/users/:id/:action',
    staff(async (req, res, who, actor) => {
      const action = String(req.params.action);
      if (!isAction(action)) throw new PortalError('page.not_found', 404);
      const card = await support.statusCard(actor, req.params.id, auditContext(req, who.user.id));
      if (!card.actionable) throw new PortalError(card.user.id === who.user.id ? 'admin.not_on_self' : 'admin.not_on_staff', 403);
      res.type('html').send(confirmActionPage({ ...view(who), card, action, csrfToken: who.csrfToken }));
    }),
  );

  router.post(
    '/helpdesk/users/:id/:action',
    parseBody,
    attemptLimit,
    staff(async (req, res, who, actor) => {
      const action = String(req.params.action);
      if (!isAction(action)) throw new PortalError('page.not_found', 404);
      checkCsrf(who, req);
      const form = actionForm.safeParse(req.body ?? {});
      const values = form.success ? form.data : {};
      const reason = { code: values.reason_code, text: values.reason ?? '', ticket: values.ticket };
      const userId = String(req.params.id);
      try {
        const outcome = (await runners[action](support, actor, userId, reason, auditContext(req, who.user.id))) as { temporaryPassword?: string; expiresAt?: number };
        // Post/redirect/get: a refresh shows the card again, it does not repeat the action.
        if (!outcome.temporaryPassword) return res.redirect(303, `/helpdesk/users/${encodeURIComponent(userId)}?done=${action}`);
        const card = await support.statusCard(actor, userId, auditContext(req, who.user.id));
        res.set('cache-control', 'no-store');
        return res.type('html').send(temporaryPasswordPage({ ...view(who), card, password: outcome.temporaryPassword, expiresAt: outcome.expiresAt! }));
      } catch (err) {
        if (!(err instanceof PortalError) || err.status !== 400) throw err;
        const card = await support.statusCard(actor, userId, auditContext(req, who.user.id));
        res.status(400).type('html').send(confirmActionPage({ ...view(who), card, action, csrfToken: who.csrfToken, problems: [messageFor(err.code, messages)], values }));
      }
    }),
  );

  return router;
}
