import { t } from '../locales/two-step.js';
import express, { type Request, type Response, type Router } from 'express';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { PortalConfig } from '../config/index.js';
import type { FormGuards } from './form-guards.js';
import type { Csrf } from '../libraries/csrf.js';
import type { Clock } from '../libraries/clock.js';
import type { Flow, FlowStore } from '../libraries/flow-store.js';
import type { PasswordHasher } from '../libraries/passwords.js';
import type { SecondFactors } from '../libraries/factors/index.js';
import { PortalError, messageFor } from '../libraries/errors.js';
import type { UserQueries, UserRow } from '../queries/users.js';
import type { TotpEnrolment, TotpOffer } from '../flows/second-factor/totp-enrolment.js';
import { passkeyName, type PasskeyEnrolment } from '../flows/second-factor/passkey-enrolment.js';
import type { WebAuthnChallenges } from '../libraries/webauthn-challenges.js';
import type { SignInSteps } from '../flows/sign-in/steps.js';
import { enrolTotpPage, recoveryCodesPage, twoStepStatusPage } from '../views/second-factor.js';
import { auditContext } from './request-context.js';
import { createSignedIn, type SignedIn } from './signed-in.js';
import { withoutNul } from './refuse-nul.js';

const enrolKind = 'totp_enrol';
const enrolTtlMs = 15 * 60_000;
/** What the enrolment flow record keeps: the offered key, sealed. */
interface EnrolData {
  sealed: string;
}

const confirmForm = z.object({ csrf: z.string().max(200).optional(), flow: z.string().max(64).optional(), code: z.string().max(20).default('') });
const passwordForm = z.object({ csrf: z.string().max(200).optional(), current_password: z.string().max(256).default(''), code: z.string().max(40).default('') });
const addPasskeyForm = z.object({ csrf: z.string().max(200).optional(), challenge: z.string().max(64).default(''), webauthn: z.string().max(12_000).default(''), name: z.string().max(200).default('') });
const removePasskeyForm = z.object({ csrf: z.string().max(200).optional(), passkey: z.string().max(64).default(''), current_password: z.string().max(256).default('') });

/**
 * My Profile → Two-Step Verification (issue #10): set up an authenticator app (a stored enrolment
 * flow holds the offered key, sealed, until a first code confirms it), make new recovery codes
 * (password), turn it off (password and a current code; staff cannot). Passkeys: add one (a
 * WebAuthn registration whose challenge is a stored record bound to this person and session),
 * remove one (password; staff not their last factor). Wrong passwords here do not
 * count toward the sign-in lock, as in Change Password: anyone at an open session could otherwise
 * lock the owner out; the attempt limit in front slows guessing.
 */
export function createTwoStepRoutes(deps: {
  config: PortalConfig;
  provider: Provider;
  csrf: Csrf;
  users: UserQueries;
  flows: FlowStore;
  passwords: PasswordHasher;
  factors: SecondFactors;
  totpEnrolment: TotpEnrolment;
  passkeyEnrolment: PasskeyEnrolment;
  webauthnChallenges: WebAuthnChallenges;
  signInSteps: SignInSteps;
  clock: Clock;
  guards: FormGuards;
}): Router {
  const { config, flows, factors, totpEnrolment, passkeyEnrolment, webauthnChallenges } = deps;
  const router = express.Router();
  const signedIn = createSignedIn(deps);
  const { attemptLimit, parseBody } = deps.guards;
  // The ceremony's options are asked for with fetch: a small JSON body, nothing else.
  const parseJson = withoutNul(express.json({ limit: '2kb' }));
  const support = { support: config.supportContact };

  async function status(res: Response, who: SignedIn, extra: { saved?: string; problems?: string[] } = {}) {
    if (extra.problems?.length) res.status(400);
    res.type('html').send(
      twoStepStatusPage({
        action: '/profile/two-step',
        csrfToken: who.csrfToken,
        supportContact: config.supportContact,
        signedInAs: who.header,
        status: await factors.status(who.user.id),
        mustKeep: deps.signInSteps.mustUseSecondFactor(who.user),
        passkeysAvailable: factors.passkeys.available,
        timeZone: config.mail.timeZone,
        ...extra,
      }),
    );
  }

  /** The QR code and key page; `offered` when the offer was just made, else opened again from the flow. */
  async function enrolPage(res: Response, who: SignedIn, flow: Flow<EnrolData>, extra: { offered?: TotpOffer; problems?: string[] } = {}) {
    const { problems } = extra;
    const offer = extra.offered ?? (await totpEnrolment.reopen(who.user, flow.data.sealed));
    if (!offer) throw new PortalError('flow.expired', 410);
    if (problems?.length) res.status(400);
    res.type('html').send(
      enrolTotpPage({
        action: '/profile/two-step/setup/confirm',
        csrfToken: flows.csrfToken(flow),
        flowId: flow.id,
        supportContact: config.supportContact,
        signedInAs: who.header,
        secret: offer.secret,
        qrSvg: offer.qrSvg,
        required: false,
        problems,
        cancelUrl: '/profile/two-step',
      }),
    );
  }

  const passwordRight = (user: UserRow, password: string) => deps.passwords.verify(user.password_hash, password);

  /** A form of this signed-in person's: body parsed, the attempt limit, the session's CSRF token checked first. */
  const form = (path: string, handler: (req: Request, res: Response, who: SignedIn) => Promise<unknown>) =>
    router.post(
      path,
      parseBody,
      attemptLimit,
      signedIn.required(async (req, res, who) => {
        signedIn.checkFormCsrf(who, req);
        await handler(req, res, who);
      }),
    );

  router.get(
    '/profile/two-step',
    signedIn.required(async (_req, res, who) => status(res, who)),
  );

  form('/profile/two-step/setup', async (_req, res, who) => {
    const offered = await totpEnrolment.offer(who.user);
    const flow = await flows.start<EnrolData>({ kind: enrolKind, state: 'awaiting_code', ttlMs: enrolTtlMs, userId: who.user.id, data: { sealed: offered.sealed } });
    await enrolPage(res, who, flow, { offered });
  });

  router.post(
    '/profile/two-step/setup/confirm',
    parseBody,
    attemptLimit,
    signedIn.required(async (req, res, who) => {
      const parsed = confirmForm.safeParse(req.body ?? {});
      if (!parsed.success) throw new PortalError('request.invalid', 400);
      const flow = await flows.forSubmit<EnrolData>(parsed.data.flow, enrolKind, ['awaiting_code'], parsed.data.csrf);
      // Another person's enrolment (a flow id from someone else's page) is no enrolment of yours.
      if (flow.userId !== who.user.id) throw new PortalError('flow.expired', 410);
      const prepared = totpEnrolment.prepare(who.user, flow.data.sealed, parsed.data.code);
      if (!prepared.ok) return enrolPage(res, who, flow, { problems: [messageFor('mfa.wrong_first_code', support)] });
      let codes: string[] = [];
      await flows.advance(flow, 'done', { data: { sealed: '' } }, async () => {
        codes = await totpEnrolment.apply(who.user, prepared, auditContext(req, who.user.id));
      });
      await flows.end(flow);
      return showCodes(res, who, codes);
    }),
  );

  form('/profile/two-step/recovery-codes', async (req, res, who) => {
    const form = passwordForm.safeParse(req.body ?? {});
    if (!form.success) throw new PortalError('request.invalid', 400);
    if (!(await factors.enrolled(who.user.id))) return status(res, who);
    if (!(await passwordRight(who.user, form.data.current_password))) return status(res, who, { problems: [messageFor('account.wrong_current_password', support)] });
    return showCodes(res, who, await totpEnrolment.renewRecoveryCodes(who.user, auditContext(req, who.user.id)));
  });

  form('/profile/two-step/remove', async (req, res, who) => {
    const form = passwordForm.safeParse(req.body ?? {});
    if (!form.success) throw new PortalError('request.invalid', 400);
    const now = await factors.status(who.user.id);
    if (!now.totp && !now.recoveryCodesLeft) return status(res, who);
    // Staff keep a factor: the app goes only when a passkey stays.
    if (deps.signInSteps.mustUseSecondFactor(who.user) && !now.passkeys.length) throw new PortalError('mfa.staff_must_keep', 403);
    // Both checked every time: which one was wrong is not said.
    const [password, code] = await Promise.all([passwordRight(who.user, form.data.current_password), factors.verify(who.user.id, form.data.code)]);
    if (!password || !code) return status(res, who, { problems: [messageFor('mfa.remove_refused', support)] });
    const { stillOn } = await totpEnrolment.remove(who.user, auditContext(req, who.user.id));
    return status(res, who, {
      saved: stillOn ? t('manage.appRemoved') : t('manage.turnedOff'),
    });
  });

  // Adding a passkey, step 1 (fetch from static/passkeys.js): the options for
  // navigator.credentials.create(), with a challenge kept here, bound to this person and session.
  router.post(
    '/profile/two-step/passkeys/options',
    parseJson,
    attemptLimit,
    signedIn.required(async (req, res, who) => {
      signedIn.checkFormCsrf(who, req);
      const options = await passkeyEnrolment.options(who.user);
      const challenge = await webauthnChallenges.issue(options.challenge, { purpose: 'register', userId: who.user.id, sessionId: who.sessionId });
      res.json({ challenge, options });
    }),
  );

  // Step 2: the form, with what the browser made. Checked against the challenge (used once), then stored.
  form('/profile/two-step/passkeys', async (req, res, who) => {
    const parsed = addPasskeyForm.safeParse(req.body ?? {});
    if (!parsed.success) throw new PortalError('request.invalid', 400);
    const form = parsed.data;
    const name = passkeyName(form.name);
    if (!name) return status(res, who, { problems: [messageFor('mfa.passkey_name', support)] });
    const challenge = await webauthnChallenges.take(form.challenge, { purpose: 'register', userId: who.user.id, sessionId: who.sessionId });
    if (!challenge) return status(res, who, { problems: [messageFor('mfa.passkey_expired', support)] });
    const prepared = await passkeyEnrolment.prepare(form.webauthn, challenge);
    if (!prepared.ok) return status(res, who, { problems: [messageFor(prepared.reason === 'duplicate' ? 'mfa.passkey_duplicate' : 'mfa.passkey_not_added', support)] });
    await passkeyEnrolment.apply(who.user, prepared.passkey, name, auditContext(req, who.user.id));
    return status(res, who, { saved: t('manage.passkeyAdded', { name }) });
  });

  form('/profile/two-step/passkeys/remove', async (req, res, who) => {
    const parsed = removePasskeyForm.safeParse(req.body ?? {});
    if (!parsed.success) throw new PortalError('request.invalid', 400);
    const form = parsed.data;
    const now = await factors.status(who.user.id);
    if (!now.passkeys.some((p) => p.id === form.passkey)) return status(res, who, { problems: [messageFor('mfa.passkey_unknown', support)] });
    if (deps.signInSteps.mustUseSecondFactor(who.user) && !now.totp && now.passkeys.length <= 1) throw new PortalError('mfa.staff_last_factor', 403);
    if (!(await passwordRight(who.user, form.current_password))) return status(res, who, { problems: [messageFor('mfa.passkey_remove_refused', support)] });
    const removed = await passkeyEnrolment.remove(who.user, form.passkey, auditContext(req, who.user.id));
    if (!removed) return status(res, who, { problems: [messageFor('mfa.passkey_unknown', support)] });
    return status(res, who, { saved: t('manage.passkeyRemoved', { name: removed.name }) });
  });

  function showCodes(res: Response, who: SignedIn, codes: string[]) {
    res.set('cache-control', 'no-store');
    res.type('html').send(
      recoveryCodesPage({ action: '/profile/two-step', csrfToken: who.csrfToken, supportContact: config.supportContact, signedInAs: who.header, codes, continueLabel: t('twoStep.saved'), method: 'get' }),
    );
  }

  return router;
}
