import { t } from '../locales/account.js';
import express, { type Request, type Response, type Router } from 'express';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { PortalConfig } from '../config/index.js';
import type { FormGuards } from './form-guards.js';
import type { Csrf } from '../libraries/csrf.js';
import type { Audit } from '../libraries/audit.js';
import type { Clock } from '../libraries/clock.js';
import type { Logger } from '../libraries/logger.js';
import type { FlowStore } from '../libraries/flow-store.js';
import type { Mailer } from '../libraries/mailer.js';
import type { OneTimeCodes } from '../libraries/one-time-codes.js';
import type { PasswordHasher } from '../libraries/passwords.js';
import { PortalError, messageFor, messages, type MessageKey } from '../libraries/errors.js';
import type { UserQueries } from '../queries/users.js';
import type { OrgQueries } from '../queries/orgs.js';
import type { SessionTerminator } from '../oidc/sessions.js';
import type { PasswordChanger } from '../flows/password-change/change-password.js';
import { createProfileUpdate } from '../flows/profile/update-profile.js';
import { createEmailChange } from '../flows/profile/email-change.js';
import { createOwnPasswordChange } from '../flows/profile/change-own-password.js';
import { passwordFormProblems } from '../views/password-fields.js';
import type { FormProblem } from '../views/form-problems.js';
import {
  changePasswordPage,
  confirmEmailPage,
  editProfilePage,
  emailChangedPage,
  passwordChangedPage,
  profileMessagePage,
  profilePage,
} from '../views/profile.js';
import { auditContext } from './request-context.js';
import { clearFlowCookie, readFlowCookie, setFlowCookie } from './cookies.js';
import { accountBinding, createSignedIn, type SignedIn } from './signed-in.js';

const phonePattern = /^[0-9 +().-]{7,40}$/;
const controlCharacter = /\p{Cc}/u;

// Each rule names the message key a person reads; the edge refuses before anything is written (SPEC §7).
const profileForm = z.object({
  name: z
    .string({ error: 'profile.name_required' })
    .trim()
    .min(1, { error: 'profile.name_required' })
    .max(200, { error: 'profile.name_too_long' })
    .refine((v) => !controlCharacter.test(v), { error: 'profile.name_invalid' }),
  email: z
    .string({ error: 'profile.email_invalid' })
    .trim()
    .max(254, { error: 'profile.email_invalid' })
    .pipe(z.email({ error: 'profile.email_invalid' })),
  phone: z
    .string({ error: 'profile.phone_invalid' })
    .optional()
    .transform((v) => v?.trim() ?? '')
    .refine((v) => v === '' || phonePattern.test(v), { error: 'profile.phone_invalid' })
    .transform((v) => (v === '' ? null : v)),
});

const passwordForm = z.object({
  current_password: z.string().max(256).default(''),
  new_password: z.string().max(256).default(''),
  confirm_password: z.string().max(256).default(''),
});

const codeForm = z.object({ flow: z.string().max(64).default(''), code: z.string().max(20).default('') });

/** What `?saved=` may say (catalogue keys, so no request can put words on the page). */
const savedMessages = { details: 'profile.saved' } as const;

const isMessageKey = (s: string): s is MessageKey => Object.hasOwn(messages, s);

/** One message per problem, in the form's order, each said once. */
function problemsOf(error: z.ZodError, support: Record<string, string>): string[] {
  const keys = error.issues.map((i) => (isMessageKey(i.message) ? i.message : 'request.invalid'));
  return [...new Set(keys)].map((key) => messageFor(key, support));
}

/** A submitted field as the person typed it, for showing the form again (never more than the field allows). */
function typed(body: Record<string, unknown>, name: string, fallback: string): string {
  const value = body[name];
  return typeof value === 'string' ? value.slice(0, 300) : fallback;
}

/**
 * My Profile (SPEC §3.9): see one's details and organizations; edit name and phone (saved at once)
 * and email (applied only with the code mailed to the new address); change the password (current
 * one required, same rules and history, every other session ended). Every form carries the CSRF
 * token bound to the SSO session; every change is audited.
 */
export function createProfileRoutes(deps: {
  config: PortalConfig;
  provider: Provider;
  csrf: Csrf;
  users: UserQueries;
  orgs: OrgQueries;
  flows: FlowStore;
  oneTimeCodes: OneTimeCodes;
  mailer: Mailer | undefined;
  passwords: PasswordHasher;
  passwordChanger: PasswordChanger;
  sessions: SessionTerminator;
  audit: Audit;
  clock: Clock;
  logger: Logger;
  guards: FormGuards;
}): Router {
  const { config, csrf, users, orgs } = deps;
  const router = express.Router();
  const { attemptLimit, parseBody } = deps.guards;
  const support = { support: config.supportContact };
  const supportContact = config.supportContact;
  const requireSignIn = createSignedIn(deps).required;

  const profileUpdate = createProfileUpdate(deps);
  const emailChange = createEmailChange({
    ...deps,
    policy: { codeMinutes: config.recovery.codeMinutes, codeMaxAttempts: config.recovery.codeMaxAttempts },
    supportContact,
    timeZone: config.mail.timeZone,
  });
  const ownPassword = createOwnPasswordChange({ ...deps, supportContact });

  const bodyOf = (req: Request): Record<string, unknown> => (req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {});
  // CSRF (SPEC §7): a token bound to this SSO session, so another site cannot submit for the person.
  const csrfOk = (who: SignedIn, body: Record<string, unknown>) => csrf.verify(accountBinding(who.sessionId), body.csrf);

  router.get(
    '/profile',
    requireSignIn(async (req, res, { user, header }) => {
      const pending = await emailChange.pending(readFlowCookie(req, config, 'emailChange'), user);
      const saved = typeof req.query.saved === 'string' && Object.hasOwn(savedMessages, req.query.saved) ? t(savedMessages[req.query.saved as keyof typeof savedMessages]) : undefined;
      res.type('html').send(
        profilePage({
          header,
          supportContact,
          name: user.name,
          username: user.username,
          email: user.email,
          phone: user.phone,
          memberships: await orgs.membershipsOf(user.id),
          pendingEmail: pending?.data.newEmail,
          saved,
        }),
      );
    }),
  );

  router.get(
    '/profile/edit',
    requireSignIn(async (_req, res, { user, header, csrfToken }) => {
      res.type('html').send(editProfilePage({ header, supportContact, csrfToken, username: user.username, values: { name: user.name, email: user.email, phone: user.phone ?? '' } }));
    }),
  );

  router.post(
    '/profile',
    parseBody,
    attemptLimit,
    requireSignIn(async (req, res, who) => {
      const { user, header, csrfToken } = who;
      const body = bodyOf(req);
      const values = { name: typed(body, 'name', user.name), email: typed(body, 'email', user.email), phone: typed(body, 'phone', user.phone ?? '') };
      const render = (problems: string[], status: number) =>
        res.status(status).type('html').send(editProfilePage({ header, supportContact, csrfToken, username: user.username, values, problems }));

      if (!csrfOk(who, body)) return render([messageFor('request.csrf', support)], 403);
      const parsed = profileForm.safeParse(body);
      if (!parsed.success) return render(problemsOf(parsed.error, support), 400);
      const form = parsed.data;
      const context = auditContext(req, user.id);

      // The email first: if its code cannot be sent, nothing at all is saved and the person is told.
      let pending;
      if (form.email !== user.email) {
        try {
          pending = await emailChange.request(user, form.email, context);
        } catch (err) {
          if (err instanceof PortalError) return render([messageFor(err.code, support)], err.status);
          throw err;
        }
      }
      const changed = await profileUpdate.update(user, { name: form.name, phone: form.phone }, context);
      if (pending) {
        setFlowCookie(res, config, 'emailChange', pending.id, config.recovery.codeMinutes * 60_000);
        return res.redirect(303, '/profile/email');
      }
      res.redirect(303, changed.length ? '/profile?saved=details' : '/profile');
    }),
  );

  /** The end of an email change that cannot go on (expired, replaced, too many tries). */
  function emailDeadEnd(res: Response, who: SignedIn, code: MessageKey, status: number) {
    clearFlowCookie(res, config, 'emailChange');
    res.status(status).type('html').send(profileMessagePage({ header: who.header, supportContact, title: t('profile.notChanged'), message: messageFor(code, support) }));
  }

  router.get(
    '/profile/email',
    requireSignIn(async (req, res, { user, header, csrfToken }) => {
      const flow = await emailChange.pending(readFlowCookie(req, config, 'emailChange'), user);
      if (!flow) return res.redirect(303, '/profile');
      res.type('html').send(confirmEmailPage({ header, supportContact, csrfToken, flowId: flow.id, newEmail: flow.data.newEmail, codeMinutes: config.recovery.codeMinutes }));
    }),
  );

  router.post(
    '/profile/email',
    parseBody,
    attemptLimit,
    requireSignIn(async (req, res, who) => {
      const { user, header, csrfToken } = who;
      const body = bodyOf(req);
      const flow = await emailChange.pending(readFlowCookie(req, config, 'emailChange'), user);
      const render = (problems: string[], status: number) =>
        flow
          ? res.status(status).type('html').send(confirmEmailPage({ header, supportContact, csrfToken, flowId: flow.id, newEmail: flow.data.newEmail, codeMinutes: config.recovery.codeMinutes, problems }))
          : emailDeadEnd(res, who, 'profile.code_expired', 410);

      if (!csrfOk(who, body)) return flow ? render([messageFor('request.csrf', support)], 403) : emailDeadEnd(res, who, 'request.csrf', 403);
      // The form must be for the change this browser started last (an old tab's form is not).
      const parsed = codeForm.safeParse(body);
      if (!flow || (parsed.success && parsed.data.flow !== flow.id)) return emailDeadEnd(res, who, 'profile.code_expired', 410);
      if (!parsed.success) return render([messageFor('request.invalid', support)], 400);
      if (!parsed.data.code.trim()) return render([messageFor('profile.missing_code', support)], 400);

      try {
        const { newEmail } = await emailChange.confirm(flow, user, parsed.data.code, auditContext(req, user.id));
        clearFlowCookie(res, config, 'emailChange');
        res.type('html').send(emailChangedPage({ header, supportContact, newEmail }));
      } catch (err) {
        if (!(err instanceof PortalError)) throw err;
        if (err.code === 'profile.wrong_code') return render([messageFor(err.code, support)], err.status);
        const code = err.code === 'profile.too_many_attempts' ? err.code : 'profile.code_expired';
        return emailDeadEnd(res, who, code, err.status);
      }
    }),
  );

  router.get(
    '/profile/password',
    requireSignIn(async (_req, res, { header, csrfToken }) => {
      res.type('html').send(changePasswordPage({ header, supportContact, csrfToken, rules: deps.passwordChanger.rules() }));
    }),
  );

  router.post(
    '/profile/password',
    parseBody,
    attemptLimit,
    requireSignIn(async (req, res, who) => {
      const { user, sessionId, header, csrfToken } = who;
      const body = bodyOf(req);
      const render = (problems: FormProblem[], status: number) =>
        res.status(status).type('html').send(changePasswordPage({ header, supportContact, csrfToken, rules: deps.passwordChanger.rules(), problems }));

      if (!csrfOk(who, body)) return render([messageFor('request.csrf', support)], 403);
      const parsed = passwordForm.safeParse(body);
      if (!parsed.success) return render([messageFor('request.invalid', support)], 400);
      const form = parsed.data;
      const result = await ownPassword.change(
        user,
        sessionId,
        { currentPassword: form.current_password, newPassword: form.new_password, confirmPassword: form.confirm_password },
        auditContext(req, user.id),
      );
      if (!result.ok) return render(passwordFormProblems(result.problems), result.status ?? 400);
      res.type('html').send(passwordChangedPage({ header, supportContact, otherSessionsEnded: result.otherSessionsEnded }));
    }),
  );

  return router;
}
