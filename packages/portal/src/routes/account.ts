import { t } from '../locales/portal.js';
import express, { type Response, type Router } from 'express';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { PortalConfig } from '../config/index.js';
import type { FormGuards } from './form-guards.js';
import type { Csrf } from '../libraries/csrf.js';
import type { PasswordHasher } from '../libraries/passwords.js';
import type { Audit } from '../libraries/audit.js';
import { PortalError, messageFor } from '../libraries/errors.js';
import type { UserQueries } from '../queries/users.js';
import type { OrgQueries } from '../queries/orgs.js';
import type { Clock } from '../libraries/clock.js';
import { appTitles, entitledApps } from '../libraries/entitlements.js';
import type { SecurityQuestions } from '../flows/security-questions/security-questions.js';
import { portalClientId, portalRedirects } from '../oidc/portal-client.js';
import type { SessionTerminator } from '../oidc/sessions.js';
import { changeSecurityQuestionsPage, homePage, securityQuestionsUpdatedPage } from '../views/account.js';
import { messagePage } from '../views/message.js';
import { html } from '@portal/common';
import { auditContext } from './request-context.js';
import { accountBinding, createSignedIn } from './signed-in.js';

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
  sessions: SessionTerminator;
  orgs: OrgQueries;
  clock: Clock;
  guards: FormGuards;
}): Router {
  const { config, provider, csrf, users } = deps;
  const router = express.Router();
  const { attemptLimit, parseBody } = deps.guards;
  const support = { support: config.supportContact };

  const signedIn = createSignedIn({ provider, users, csrf, config, clock: deps.clock });
  const requireSignIn = signedIn.required;

  router.get('/', async (req, res) => {
    const who = await signedIn.current(req, res);
    // Only what this person may open (SPEC §3.8); the provider refuses the rest anyway.
    const apps = who ? entitledApps(await deps.orgs.membershipsOf(who.user.id)).map((app) => ({ app, name: appTitles[app].name, url: config.apps[app].url })) : [];
    res.set('cache-control', 'no-store');
    res.type('html').send(homePage({ header: who?.header, apps, supportContact: config.supportContact, staffRole: who?.user.system_role }));
  });

  // Through the front door: oidc-provider runs the sign-in (and its steps), then returns here.
  router.get('/login', (_req, res) => {
    const params = new URLSearchParams({ client_id: portalClientId, response_type: 'none', scope: 'openid', redirect_uri: portalRedirects(config).signedIn });
    res.redirect(303, `/auth?${params}`);
  });
  router.get('/signed-in', (_req, res) => res.redirect(303, '/'));

  // Sign Out (SPEC §3.7): a POST with the session's CSRF token, so no other site can sign a person
  // out. Ends this SSO session and tells every app that holds a session for it (back-channel).
  router.post('/logout', parseBody, async (req, res) => {
    const who = await signedIn.current(req, res);
    const token = typeof req.body?.csrf === 'string' ? req.body.csrf : undefined;
    if (who) {
      if (!csrf.verify(accountBinding(who.sessionId), token)) throw new PortalError('request.csrf', 403);
      await deps.sessions.endSession(who.sessionId);
      await deps.audit.record({ action: 'signout', subjectUserId: who.user.id }, auditContext(req, who.user.id));
    }
    clearSessionCookies(res);
    res.redirect(303, '/signed-out');
  });
  // An old bookmark or a typed address: ask, rather than sign out on a GET.
  router.get('/logout', async (req, res) => {
    const who = await signedIn.current(req, res);
    if (!who) return res.redirect(303, '/signed-out');
    res.set('cache-control', 'no-store').type('html').send(
      messagePage({
        title: t('common.signOut'),
        message: t('signOut.question'),
        supportContact: config.supportContact,
        extra: html`<form method="post" action="/logout"><input type="hidden" name="csrf" value="${who.csrfToken}"><button class="usa-button" type="submit">${t('common.signOut')}</button></form>`,
      }),
    );
  });
  router.get('/signed-out', (req, res) => {
    const idle = req.query.reason === 'idle';
    res.set('cache-control', 'no-store').type('html').send(
      messagePage({
        title: t('signedOut.title'),
        message: idle ? t('signedOut.idle', { count: config.sessionIdleMinutes }) : t('signedOut.message'),
        supportContact: config.supportContact,
        extra: html`<p><a class="usa-button" href="/login">${t('common.signIn')}</a></p>`,
      }),
    );
  });

  function clearSessionCookies(res: Response) {
    const session = config.cookieNames.session;
    for (const name of [session, `${session}.sig`]) {
      res.clearCookie(name, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies });
    }
  }

  router.get(
    '/account/security-questions',
    requireSignIn(async (_req, res, { user, header, csrfToken }) => {
      const chosen = (await deps.securityQuestions.questionsOf(user.id)).map((q) => q.id);
      res.type('html').send(
        changeSecurityQuestionsPage({ header, csrfToken, catalogue: deps.securityQuestions.catalogue(), chosen, supportContact: config.supportContact }),
      );
    }),
  );

  router.post(
    '/account/security-questions',
    parseBody,
    attemptLimit,
    requireSignIn(async (req, res, { user, sessionId, header, csrfToken }) => {
      const parsed = securityQuestionsForm.safeParse(req.body ?? {});
      const form = parsed.success ? parsed.data : undefined;
      const render = (problems: string[], status: number) => {
        res.status(status).type('html').send(
          changeSecurityQuestionsPage({
            header,
            csrfToken,
            catalogue: deps.securityQuestions.catalogue(),
            chosen: form ? [form.question_0, form.question_1, form.question_2] : [],
            problems,
            supportContact: config.supportContact,
          }),
        );
      };
      if (!form) return render([messageFor('request.invalid', support)], 400);
      if (!csrf.verify(accountBinding(sessionId), form.csrf)) return render([messageFor('request.csrf', support)], 403);

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
      res.type('html').send(securityQuestionsUpdatedPage({ header, supportContact: config.supportContact }));
    }),
  );

  return router;
}
