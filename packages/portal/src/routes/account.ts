import express, { type Request, type Response, type Router } from 'express';
import type Provider from 'oidc-provider';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { PortalConfig } from '../config/index.js';
import type { Csrf } from '../libraries/csrf.js';
import type { PasswordHasher } from '../libraries/passwords.js';
import type { Audit } from '../libraries/audit.js';
import { PortalError, messageFor } from '../libraries/errors.js';
import type { UserQueries, UserRow } from '../queries/users.js';
import type { SecurityQuestions } from '../flows/security-questions/security-questions.js';
import { portalClientId, portalRedirects } from '../oidc/portal-client.js';
import { changeSecurityQuestionsPage, homePage, securityQuestionsUpdatedPage } from '../views/account.js';
import { messagePage } from '../views/message.js';
import { auditContext } from './request-context.js';

const securityQuestionsForm = z.object({
  csrf: z.string().max(200).optional(),
  current_password: z.string().max(256).default(''),
  question_0: z.string().max(40).default(''),
  question_1: z.string().max(40).default(''),
  question_2: z.string().max(40).default(''),
  answer_0: z.string().max(100).default(''),
  answer_1: z.string().max(100).default(''),
  answer_2: z.string().max(100).default(''),
});

interface SignedIn {
  user: UserRow;
  /** Binds CSRF tokens to this SSO session. */
  sessionId: string;
}

/**
 * The portal's own pages for a signed-in person. They read the SSO session oidc-provider keeps;
 * signing in to them goes through the same front door as the apps (the portal's own client).
 */
export function createAccountRoutes(deps: {
  config: PortalConfig;
  provider: Provider;
  csrf: Csrf;
  users: UserQueries;
  passwords: PasswordHasher;
  securityQuestions: SecurityQuestions;
  audit: Audit;
}): Router {
  const { config, provider, csrf, users } = deps;
  const router = express.Router();
  const support = { support: config.supportContact };
  const parseBody = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });
  const perIpLimit = rateLimit({
    windowMs: 60_000,
    limit: config.signInRateLimitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new PortalError('request.rate_limited', 429)),
  });
  const apps = [
    { name: 'ImmTrac2', what: 'Immunization registry', url: config.apps.registry.url },
    { name: 'Syntropi', what: 'Provider enrollment', url: config.apps.enrollment.url },
    { name: 'VAOS', what: 'Vaccine ordering (vaccine coordinators)', url: config.apps.ordering.url },
  ];

  async function signedIn(req: Request, res: Response): Promise<SignedIn | undefined> {
    const ctx = provider.createContext(req, res);
    const session = await provider.Session.get(ctx);
    if (!session.accountId) return undefined;
    const user = await users.findById(session.accountId);
    if (!user || user.disabled_at) return undefined;
    return { user, sessionId: session.jti };
  }

  function requireSignIn(handler: (req: Request, res: Response, who: SignedIn) => Promise<unknown>) {
    return async (req: Request, res: Response) => {
      const who = await signedIn(req, res);
      if (!who) return res.redirect(303, '/login');
      res.set('cache-control', 'no-store');
      await handler(req, res, who);
    };
  }

  router.get('/', async (req, res) => {
    const who = await signedIn(req, res);
    res.set('cache-control', 'no-store');
    res.type('html').send(homePage({ name: who?.user.name, apps, supportContact: config.supportContact }));
  });

  // Through the front door: oidc-provider runs the sign-in (and its steps), then returns here.
  router.get('/login', (_req, res) => {
    const params = new URLSearchParams({ client_id: portalClientId, response_type: 'none', scope: 'openid', redirect_uri: portalRedirects(config).signedIn });
    res.redirect(303, `/auth?${params}`);
  });
  router.get('/signed-in', (_req, res) => res.redirect(303, '/'));

  router.get('/logout', (_req, res) => {
    const params = new URLSearchParams({ client_id: portalClientId, post_logout_redirect_uri: portalRedirects(config).signedOut });
    res.redirect(303, `/session/end?${params}`);
  });
  router.get('/signed-out', (_req, res) => {
    res.type('html').send(
      messagePage({ title: 'You have signed out', message: 'You have signed out of the HHS Enterprise Portal and its applications.', supportContact: config.supportContact }),
    );
  });

  router.get(
    '/account/security-questions',
    requireSignIn(async (_req, res, { user, sessionId }) => {
      const chosen = (await deps.securityQuestions.questionsOf(user.id)).map((q) => q.id);
      res.type('html').send(
        changeSecurityQuestionsPage({ name: user.name, csrfToken: csrf.token(`account:${sessionId}`), catalogue: deps.securityQuestions.catalogue(), chosen, supportContact: config.supportContact }),
      );
    }),
  );

  router.post(
    '/account/security-questions',
    perIpLimit,
    parseBody,
    requireSignIn(async (req, res, { user, sessionId }) => {
      const parsed = securityQuestionsForm.safeParse(req.body ?? {});
      const form = parsed.success ? parsed.data : undefined;
      const render = (problems: string[], status: number) => {
        res.status(status).type('html').send(
          changeSecurityQuestionsPage({
            name: user.name,
            csrfToken: csrf.token(`account:${sessionId}`),
            catalogue: deps.securityQuestions.catalogue(),
            chosen: form ? [form.question_0, form.question_1, form.question_2] : [],
            problems,
            supportContact: config.supportContact,
          }),
        );
      };
      if (!form) return render([messageFor('request.invalid', support)], 400);
      if (!csrf.verify(`account:${sessionId}`, form.csrf)) return render([messageFor('request.csrf', support)], 403);

      const answers = [0, 1, 2].map((i) => ({ questionId: form[`question_${i}` as 'question_0'], answer: form[`answer_${i}` as 'answer_0'] }));
      const check = deps.securityQuestions.check(answers);
      // Re-entering the password proves the person at the keyboard is the account holder (SPEC §3.5).
      const passwordOk = await deps.passwords.verify(user.password_hash, form.current_password);
      const context = auditContext(req, user.id);
      if (!passwordOk) {
        await deps.audit.record({ action: 'security_questions.change_refused', subjectUserId: user.id, details: { reason: 'wrong_password' } }, context);
        return render([messageFor('account.wrong_current_password', support), ...(check.ok ? [] : check.problems)], 400);
      }
      if (!check.ok) return render(check.problems, 400);
      await deps.securityQuestions.save(user.id, answers, context);
      res.type('html').send(securityQuestionsUpdatedPage({ name: user.name, supportContact: config.supportContact }));
    }),
  );

  return router;
}
