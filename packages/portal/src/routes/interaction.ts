import { t } from '../locales/two-step.js';
import { html } from '@portal/common';
import express, { type Request, type Response, type Router } from 'express';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { PortalConfig } from '../config/index.js';
import type { FormGuards } from './form-guards.js';
import type { Csrf } from '../libraries/csrf.js';
import type { Captchas } from '../libraries/captcha.js';
import type { FlowStore, Flow } from '../libraries/flow-store.js';
import { PortalError, messageFor, type MessageKey } from '../libraries/errors.js';
import type { UserQueries, UserRow } from '../queries/users.js';
import type { SignInFlow } from '../flows/sign-in/sign-in.js';
import type { SignInStep, SignInSteps } from '../flows/sign-in/steps.js';
import type { PasswordChanger } from '../flows/password-change/change-password.js';
import { passwordExpiry } from '../flows/password-change/change-password.js';
import type { Aua } from '../flows/aua/aua.js';
import type { SecurityQuestions } from '../flows/security-questions/security-questions.js';
import type { Recovery } from '../flows/recovery/recovery.js';
import type { Clock } from '../libraries/clock.js';
import { signInPage } from '../views/sign-in.js';
import { passwordFormProblems } from '../views/password-fields.js';
import type { FormProblem } from '../views/form-problems.js';
import { auaStepPage, changePasswordStepPage, passwordExpiringStepPage, securityQuestionsStepPage } from '../views/sign-in-steps.js';
import { messagePage } from '../views/message.js';
import { enrolTotpPage, recoveryCodesPage, secondFactorStepPage } from '../views/second-factor.js';
import type { TotpEnrolment } from '../flows/second-factor/totp-enrolment.js';
import type { SecondFactors } from '../libraries/factors/index.js';
import type { WebAuthnChallenges } from '../libraries/webauthn-challenges.js';
import { acrFor, secondFactorRequired } from '../libraries/assurance.js';
import { auditContext } from './request-context.js';
import { setFlowCookie } from './cookies.js';
import { allowFormActionOrigin } from '../libraries/csp.js';
import type { Logger } from '../libraries/logger.js';
import type { CaptchaView } from '../views/captcha-fields.js';
import { withoutNul } from './refuse-nul.js';

const signInForm = z.object({
  csrf: z.string().max(200).optional(),
  username: z.string().max(100).default(''),
  password: z.string().max(256).default(''),
  captcha_id: z.string().max(64).optional(),
  captcha: z.string().max(20).optional(),
});

const stepForm = z.object({
  csrf: z.string().max(200).optional(),
  flow: z.string().max(64).optional(),
  choice: z.enum(['change', 'later', 'agree', 'decline']).optional(),
  version: z.string().max(40).optional(),
  new_password: z.string().max(256).optional(),
  confirm_password: z.string().max(256).optional(),
  question_0: z.string().max(40).optional(),
  question_1: z.string().max(40).optional(),
  question_2: z.string().max(40).optional(),
  answer_0: z.string().max(100).optional(),
  answer_1: z.string().max(100).optional(),
  answer_2: z.string().max(100).optional(),
  code: z.string().max(40).optional(),
  captcha_id: z.string().max(64).optional(),
  captcha: z.string().max(20).optional(),
  // A passkey at the second-factor step: the challenge record's id and the browser's assertion (JSON).
  challenge: z.string().max(64).optional(),
  webauthn: z.string().max(12_000).optional(),
});
type StepForm = z.infer<typeof stepForm>;

export const signInKind = 'sign_in';
/** The sign-in flow's states: the next step to show, `ready` when nothing is left but to finish, or `declined` (AUA). */
type SignInState = SignInStep | 'ready' | 'declined';
interface SignInData {
  done: SignInStep[];
  /** Said once on the next page: the sign-in continues after a password reset. */
  notice?: 'password_reset';
  /** How the person proved who they are so far (RFC 8176): the ID token's `amr`. */
  amr?: string[];
  /** This sign-in needs a second factor (staff, the app's acr_values, the registry's state role). */
  requireFactor?: boolean;
  /** An authenticator app's key offered for enrolment, sealed, until a first code confirms it. */
  pendingTotp?: string;
}
const signInFlowTtlMs = 30 * 60_000;

// "Get a new picture": the page's CSRF token, the CAPTCHA to withdraw, and the sign-in flow (code
// step) or the name typed (password step) so the page comes back as it was.
const captchaRenewForm = z.object({
  csrf: z.string().max(200).optional(),
  flow: z.string().max(64).optional(),
  username: z.string().max(100).default(''),
  captcha_id: z.string().max(64).optional(),
});
const captchaIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

const passkeySignInForm = z.object({ csrf: z.string().max(200).optional(), challenge: z.string().max(64).default(''), webauthn: z.string().max(12_000).default('') });
const optionsRequest = z.object({ csrf: z.string().max(200).optional(), flow: z.string().max(64).optional() });

/**
 * The pages oidc-provider sends a browser to when it needs the person (SPEC §3.1–§3.5). Mounted
 * before `provider.callback()`. After the password, the steps a person owes (new password, AUA,
 * security questions) run as a stored sign-in flow bound to the interaction; only when none is left
 * does `interactionFinished` create the SSO session and hand control back to the protocol.
 */
export function createInteractionRoutes(deps: {
  config: PortalConfig;
  provider: Provider;
  csrf: Csrf;
  signIn: SignInFlow;
  captchas: Captchas;
  flows: FlowStore;
  users: UserQueries;
  steps: SignInSteps;
  passwordChanger: PasswordChanger;
  aua: Aua;
  securityQuestions: SecurityQuestions;
  recovery: Recovery;
  clock: Clock;
  guards: FormGuards;
  totpEnrolment: TotpEnrolment;
  factors: SecondFactors;
  webauthnChallenges: WebAuthnChallenges;
  logger: Logger;
}): Router {
  const { config, provider, csrf, signIn, captchas, flows, users, steps } = deps;
  const router = express.Router();
  const { attemptLimit, parseBody } = deps.guards;
  const support = { support: config.supportContact };
  // A passkey ceremony's options are asked for with fetch (static/passkeys.js): a small JSON body.
  const parseJson = withoutNul(express.json({ limit: '2kb' }));


  async function details(req: Request, res: Response) {
    try {
      const interaction = await provider.interactionDetails(req, res);
      if (interaction.uid !== req.params.uid) throw new Error('interaction mismatch');
      // A finished sign-in answers the form with a redirect to the app (CSP form-action).
      const csp = res.getHeader('content-security-policy');
      if (typeof csp === 'string') res.setHeader('content-security-policy', allowFormActionOrigin(csp, interaction.params.redirect_uri));
      return interaction;
    } catch {
      // Unknown, expired, finished, or another browser's interaction: start again from the app.
      throw new PortalError('interaction.expired', 400);
    }
  }

  /** The grant for what the app asked: the existing one extended, or a new one. */
  async function grantAsked(interaction: Awaited<ReturnType<Provider['interactionDetails']>>): Promise<string> {
    const accountId = interaction.session?.accountId;
    const clientId = interaction.params.client_id;
    if (!accountId || typeof clientId !== 'string') throw new PortalError('interaction.expired', 400);
    const grant = (interaction.grantId && (await provider.Grant.find(interaction.grantId))) || new provider.Grant({ accountId, clientId });
    const details = interaction.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
    if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    if (typeof interaction.params.scope === 'string') grant.addOIDCScope(interaction.params.scope);
    return grant.save();
  }

  async function clientName(clientId: unknown): Promise<string | undefined> {
    if (typeof clientId !== 'string') return undefined;
    const client = await provider.Client.find(clientId);
    return client?.clientName ?? undefined;
  }

  /** A fresh CAPTCHA for this interaction, with its recording's address and its "new picture" form. */
  async function captchaView(uid: string, attemptsLeft: number | undefined, renew: CaptchaView['renew']): Promise<CaptchaView> {
    // A fresh picture on every render: a CAPTCHA is checked once, right or wrong (SPEC §3.2).
    const challenge = await captchas.create(`interaction:${uid}`);
    return { challenge, attemptsLeft, audioUrl: `/interaction/${uid}/captcha/${challenge.id}/audio`, renew };
  }

  async function renderSignIn(res: Response, uid: string, opts: { username?: string; error?: FormProblem; client?: string | undefined; captcha?: boolean; attemptsLeft?: number | undefined }) {
    const csrfToken = csrf.token(`interaction:${uid}`);
    const captcha = opts.captcha ? await captchaView(uid, opts.attemptsLeft, { action: `/interaction/${uid}/captcha/new`, csrfToken, username: opts.username }) : undefined;
    res.set('cache-control', 'no-store');
    res.type('html').send(
      signInPage({
        captcha,
        action: `/interaction/${uid}/login`,
        csrfToken,
        username: opts.username ?? '',
        error: opts.error,
        clientName: opts.client,
        forgotPasswordUrl: `/interaction/${uid}/forgot-password`,
        supportContact: config.supportContact,
        passkey: deps.factors.passkeys.available ? { action: `/interaction/${uid}/passkey`, optionsUrl: `/interaction/${uid}/passkey/options` } : undefined,
      }),
    );
  }

  /**
   * A refused sign-in and the fields it is about. Which of the name and the password was wrong is
   * never said (enumeration), so both are marked; the CAPTCHA's messages also name the characters.
   */
  function signInProblem(error: MessageKey): FormProblem {
    const fields: Partial<Record<MessageKey, string[]>> = {
      'signin.invalid_credentials': ['username', 'password'],
      'signin.captcha_required': ['username', 'password', 'captcha'],
      'signin.captcha_wrong': ['username', 'password', 'captcha'],
      'signin.temporary_expired': ['password'],
    };
    return { message: messageFor(error, support), fields: fields[error] ?? [] };
  }

  function finishSignIn(req: Request, res: Response, userId: string, amr: readonly string[] = ['pwd']) {
    return provider.interactionFinished(req, res, { login: { accountId: userId, amr: [...amr], acr: acrFor(amr), remember: true } }, { mergeWithLastSubmission: false });
  }

  async function captchaOwed(userId: string): Promise<boolean> {
    const user = await users.findById(userId);
    return user ? signIn.captchaRequiredFor(user.username) : false;
  }

  /** Whether this sign-in must include a second factor, from what the app asked and who this is. */
  function factorRequired(interaction: Awaited<ReturnType<Provider['interactionDetails']>>, user: UserRow): Promise<boolean> {
    const clientApp = async () => {
      const client = typeof interaction.params.client_id === 'string' ? await provider.Client.find(interaction.params.client_id) : undefined;
      return (client as { app?: unknown } | undefined)?.app;
    };
    return secondFactorRequired(config.mfa, { acrValues: interaction.params.acr_values, clientApp }, user, async () => (await users.findWithMemberships(user.id))?.memberships ?? []);
  }

  async function renderSecondFactorStep(res: Response, uid: string, flow: Flow<SignInData>, opts: { problems?: FormProblem[]; captcha?: boolean; attemptsLeft?: number | undefined } = {}) {
    // After three failures the CAPTCHA is shown up front, a reload included (the count is the account's).
    const owed = opts.captcha ?? (flow.userId ? await captchaOwed(flow.userId) : false);
    const captcha = owed ? await captchaView(uid, opts.attemptsLeft, { action: `/interaction/${uid}/captcha/new`, csrfToken: flows.csrfToken(flow), flowId: flow.id }) : undefined;
    // The ways this person has: a code (app or recovery codes), a passkey, or both.
    const status = flow.userId ? await deps.factors.status(flow.userId) : undefined;
    const passkey = Boolean(status?.passkeys.length) && deps.factors.passkeys.available;
    const code = Boolean(status?.totp || status?.recoveryCodesLeft) || !passkey;
    res.set('cache-control', 'no-store');
    return res.type('html').send(
      secondFactorStepPage({
        action: `/interaction/${uid}/step`,
        csrfToken: flows.csrfToken(flow),
        flowId: flow.id,
        supportContact: config.supportContact,
        problems: opts.problems,
        captcha,
        methods: { code, passkey },
        passkeyOptionsUrl: `/interaction/${uid}/step/passkey/options`,
      }),
    );
  }

  async function renderStep(res: Response, uid: string, flow: Flow<SignInData>, user: UserRow, problems?: FormProblem[]) {
    const base = {
      action: `/interaction/${uid}/step`,
      csrfToken: flows.csrfToken(flow),
      flowId: flow.id,
      supportContact: config.supportContact,
      problems,
      notice: flow.data.notice === 'password_reset' ? 'Your password has been reset and your account is unlocked. You were signed out everywhere else.' : undefined,
    };
    res.set('cache-control', 'no-store');
    if (problems?.length) res.status(400);
    switch (flow.state as SignInState) {
      case 'second_factor':
        return renderSecondFactorStep(res, uid, flow, { problems });
      case 'enrol_second_factor': {
        const offer = flow.data.pendingTotp ? await deps.totpEnrolment.reopen(user, flow.data.pendingTotp) : undefined;
        if (!offer) throw new PortalError('flow.expired', 410);
        return res.type('html').send(enrolTotpPage({ ...base, secret: offer.secret, qrSvg: offer.qrSvg, required: true }));
      }
      case 'recovery_codes':
        // The codes were in the answer that made them; a reload cannot show them again.
        return res.type('html').send(recoveryCodesPage({ ...base, codes: undefined, continueLabel: t('common.continue') }));
      case 'change_password':
        return res.type('html').send(changePasswordStepPage({ ...base, reason: user.password_temporary ? 'temporary' : 'expired', rules: deps.passwordChanger.rules() }));
      case 'password_expiring': {
        const { daysLeft } = passwordExpiry(user, config.passwordPolicy, deps.clock.now());
        return res.type('html').send(passwordExpiringStepPage({ ...base, daysLeft: Math.max(daysLeft ?? 0, 0) }));
      }
      case 'aua': {
        const current = await deps.aua.current();
        return res.type('html').send(auaStepPage({ ...base, version: current.version, text: current.text }));
      }
      case 'security_questions':
        return res.type('html').send(securityQuestionsStepPage({ ...base, catalogue: deps.securityQuestions.catalogue() }));
      default:
        throw new PortalError('flow.expired', 410);
    }
  }

  /**
   * After the password (or, for a step-up, the session's own; or a passkey instead of both, with
   * `second_factor` done and its `amr`): the next step the person owes, or straight into the app.
   */
  async function afterPassword(
    req: Request,
    res: Response,
    interaction: Awaited<ReturnType<Provider['interactionDetails']>>,
    user: UserRow,
    done: SignInStep[],
    options: { factorEnrolled?: boolean; amr?: readonly string[] } = {},
  ) {
    const amr = [...(options.amr ?? ['pwd'])];
    const requireFactor = await factorRequired(interaction, user);
    const next = await steps.next(user, done, { requireFactor, factorEnrolled: options.factorEnrolled });
    if (next === 'done') return finishSignIn(req, res, user.id, amr);
    const data: SignInData = { done, amr, requireFactor };
    if (next === 'enrol_second_factor') data.pendingTotp = (await deps.totpEnrolment.offer(user)).sealed;
    await flows.start<SignInData>({ kind: signInKind, state: next, ttlMs: signInFlowTtlMs, userId: user.id, interactionUid: interaction.uid, data });
    return res.redirect(303, `/interaction/${interaction.uid}`);
  }

  router.get('/interaction/:uid', async (req, res) => {
    const interaction = await details(req, res);
    if (interaction.prompt.name === 'consent') {
      // Every app is a first-party programme app: consent is granted by policy, never asked. The
      // prompt must still be answered with a grant (prompt=consent, offline_access), or
      // oidc-provider asks again and the browser loops between /auth and here.
      return provider.interactionFinished(req, res, { consent: { grantId: await grantAsked(interaction) } }, { mergeWithLastSubmission: true });
    }
    if (interaction.prompt.name !== 'login') return provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    const flow = await flows.forInteraction<SignInData>(signInKind, interaction.uid);
    const user = flow?.userId ? await users.findById(flow.userId) : undefined;
    if (flow && user) {
      if (flow.state === 'ready') {
        await flows.end(flow);
        return finishSignIn(req, res, user.id, flow.data.amr);
      }
      return renderStep(res, interaction.uid, flow, user);
    }
    // Signed in with a password only, and this sign-in needs more: a step-up at the second factor.
    const stepUpFor = interaction.prompt.reasons.includes('second_factor_required') ? interaction.session?.accountId : undefined;
    const signedIn = stepUpFor ? await users.findById(stepUpFor) : undefined;
    if (signedIn) return afterPassword(req, res, interaction, signedIn, ['change_password', 'password_expiring', 'aua', 'security_questions'], { amr: interaction.session?.amr ?? ['pwd'] });
    await renderSignIn(res, interaction.uid, { client: await clientName(interaction.params.client_id) });
  });

  router.post('/interaction/:uid/login', parseBody, attemptLimit, async (req, res) => {
    const interaction = await details(req, res);
    const parsed = signInForm.safeParse(req.body ?? {});
    const client = await clientName(interaction.params.client_id);

    if (!parsed.success) {
      // Overlong input: answered like any failed sign-in, without touching the database.
      res.status(400);
      return renderSignIn(res, interaction.uid, { error: signInProblem('signin.invalid_credentials'), client });
    }
    const form = parsed.data;
    if (!csrf.verify(`interaction:${interaction.uid}`, form.csrf)) {
      res.status(403);
      return renderSignIn(res, interaction.uid, { error: messageFor('request.csrf', support), client });
    }
    if (!form.username.trim() || !form.password) {
      res.status(400);
      const empty = [...(form.username.trim() ? [] : ['username']), ...(form.password ? [] : ['password'])];
      return renderSignIn(res, interaction.uid, { username: form.username, error: { message: messageFor('signin.missing_fields', support), fields: empty }, client });
    }

    const outcome = await signIn.attempt(
      { username: form.username, password: form.password, captchaId: form.captcha_id, captchaAnswer: form.captcha, binding: `interaction:${interaction.uid}` },
      auditContext(req),
    );
    if (!outcome.ok) {
      if (outcome.locked) {
        return lockedOut(res, interaction.uid, form.username);
      }
      res.status(outcome.status);
      return renderSignIn(res, interaction.uid, {
        username: form.username,
        error: signInProblem(outcome.error),
        client,
        captcha: outcome.captchaRequired,
        attemptsLeft: outcome.attemptsLeft,
      });
    }
    return afterPassword(req, res, interaction, outcome.user, [], { factorEnrolled: outcome.secondFactor });
  });

  // "Get a new picture" (issue #13, WCAG 1.1.1): the CAPTCHA shown is withdrawn — its answer, seen
  // or heard, stops working — and the same page comes back with a fresh one. Not a sign-in attempt,
  // so nothing is counted; CSRF-checked and audited since it changes what the server holds.
  router.post('/interaction/:uid/captcha/new', parseBody, attemptLimit, async (req, res) => {
    const interaction = await details(req, res);
    const parsed = captchaRenewForm.safeParse(req.body ?? {});
    if (!parsed.success) throw new PortalError('request.invalid', 400);
    const form = parsed.data;
    const binding = `interaction:${interaction.uid}`;
    if (form.flow) {
      // The code step's CAPTCHA: the sign-in flow's own token, and only while the code is owed.
      const current = await flows.forInteraction<SignInData>(signInKind, interaction.uid);
      if (!current || current.id !== form.flow) throw new PortalError('flow.expired', 410);
      const flow = await flows.forSubmit<SignInData>(form.flow, signInKind, ['second_factor'], form.csrf);
      const user = flow.userId ? await users.findById(flow.userId) : undefined;
      if (!user) throw new PortalError('flow.expired', 410);
      const { attemptsLeft } = await signIn.renewCaptcha({ username: user.username, captchaId: form.captcha_id, binding, step: 'second_factor' }, auditContext(req, user.id));
      return renderSecondFactorStep(res, interaction.uid, flow, { captcha: true, attemptsLeft });
    }
    const client = await clientName(interaction.params.client_id);
    if (!csrf.verify(binding, form.csrf)) {
      res.status(403);
      return renderSignIn(res, interaction.uid, { error: messageFor('request.csrf', support), client });
    }
    const { attemptsLeft } = await signIn.renewCaptcha({ username: form.username, captchaId: form.captcha_id, binding }, auditContext(req));
    return renderSignIn(res, interaction.uid, { username: form.username, client, captcha: true, attemptsLeft });
  });

  // The CAPTCHA's recording (issue #13): the same record as the picture, read without using it up;
  // the answer is checked only when the form is sent. The address names the CAPTCHA's random id,
  // never its answer. Every reason there is none (not this browser's interaction, unknown, used,
  // withdrawn, expired, another interaction's) is the same 404. Per-IP limited: it runs espeak-ng.
  router.get('/interaction/:uid/captcha/:id/audio', attemptLimit, async (req, res) => {
    const interaction = await details(req, res).catch(() => undefined);
    const id = captchaIdParam.safeParse(req.params.id);
    if (!interaction || !id.success) throw new PortalError('captcha.audio_not_found', 404);
    const wav = await captchas.audio(id.data, `interaction:${interaction.uid}`).catch((err: Error) => {
      // The message names the failure (exit code, signal), never the characters: they go on stdin.
      deps.logger.error({ err: err.message }, 'CAPTCHA audio could not be made');
      throw new PortalError('captcha.audio_failed', 503);
    });
    if (!wav) throw new PortalError('captcha.audio_not_found', 404);
    res.set({ 'content-type': 'audio/wav', 'cache-control': 'no-store', 'content-disposition': 'inline; filename="security-check.wav"' }).send(wav);
  });

  // Sign in with a passkey and no password, step 1 (fetch from static/passkeys.js): the options for
  // navigator.credentials.get(), naming no account (the device offers those it holds), with a
  // challenge kept here for this interaction.
  router.post('/interaction/:uid/passkey/options', parseJson, attemptLimit, async (req, res) => {
    const interaction = await details(req, res);
    const parsed = optionsRequest.safeParse(req.body ?? {});
    if (!parsed.success) throw new PortalError('request.invalid', 400);
    if (!csrf.verify(`interaction:${interaction.uid}`, parsed.data.csrf)) throw new PortalError('request.csrf', 403);
    const options = await deps.factors.passkeys.authenticationOptions();
    const challenge = await deps.webauthnChallenges.issue(options.challenge, { purpose: 'sign_in', userId: null, interactionUid: interaction.uid });
    res.set('cache-control', 'no-store').json({ challenge, options });
  });

  // Step 2: the form with the assertion. The passkey decides who this is; the steps still owed
  // (a new password, the AUA, the questions) follow, the second factor counted as done.
  router.post('/interaction/:uid/passkey', parseBody, attemptLimit, async (req, res) => {
    const interaction = await details(req, res);
    const client = await clientName(interaction.params.client_id);
    const parsed = passkeySignInForm.safeParse(req.body ?? {});
    const refuse = (status: number, error: Parameters<typeof messageFor>[0]) => {
      res.status(status);
      return renderSignIn(res, interaction.uid, { error: messageFor(error, support), client });
    };
    if (!parsed.success) return refuse(400, 'signin.passkey_refused');
    if (!csrf.verify(`interaction:${interaction.uid}`, parsed.data.csrf)) return refuse(403, 'request.csrf');
    const challenge = await deps.webauthnChallenges.take(parsed.data.challenge, { purpose: 'sign_in', userId: null, interactionUid: interaction.uid });
    if (!challenge) return refuse(400, 'signin.passkey_expired');
    const outcome = await signIn.attemptPasskey({ response: parsed.data.webauthn, challenge }, auditContext(req));
    if (!outcome.ok) {
      if (outcome.locked) {
        return lockedOut(res, interaction.uid, outcome.username);
      }
      return refuse(outcome.status, outcome.error);
    }
    return afterPassword(req, res, interaction, outcome.user, ['second_factor'], { amr: outcome.amr });
  });

  // A passkey as the second factor, step 1: the options, naming this person's passkeys only, with a
  // challenge bound to this interaction and person. Step 2 is the step form (below).
  router.post('/interaction/:uid/step/passkey/options', parseJson, attemptLimit, async (req, res) => {
    const interaction = await details(req, res);
    const parsed = optionsRequest.safeParse(req.body ?? {});
    if (!parsed.success) throw new PortalError('request.invalid', 400);
    const current = await flows.forInteraction<SignInData>(signInKind, interaction.uid);
    if (!current || current.id !== parsed.data.flow) throw new PortalError('flow.expired', 410);
    const flow = await flows.forSubmit<SignInData>(parsed.data.flow, signInKind, ['second_factor'], parsed.data.csrf);
    if (!flow.userId) throw new PortalError('flow.expired', 410);
    const options = await deps.factors.passkeys.authenticationOptions(flow.userId);
    const challenge = await deps.webauthnChallenges.issue(options.challenge, { purpose: 'second_factor', userId: flow.userId, interactionUid: interaction.uid });
    res.set('cache-control', 'no-store').json({ challenge, options });
  });

  router.post('/interaction/:uid/step', parseBody, attemptLimit, async (req, res) => {
    const interaction = await details(req, res);
    const parsed = stepForm.safeParse(req.body ?? {});
    if (!parsed.success) throw new PortalError('request.invalid', 400);
    const form = parsed.data;
    const current = await flows.forInteraction<SignInData>(signInKind, interaction.uid);
    if (!current || current.id !== form.flow) throw new PortalError('flow.expired', 410);
    const flow = await flows.forSubmit<SignInData>(form.flow, signInKind, [current.state], form.csrf);
    const user = flow.userId ? await users.findById(flow.userId) : undefined;
    if (!user) throw new PortalError('flow.expired', 410);

    // A passkey instead of the code: not counted in the 3 + 3 (flows/sign-in/sign-in.ts says why).
    if (flow.state === 'second_factor' && form.webauthn) {
      const challenge = await deps.webauthnChallenges.take(form.challenge, { purpose: 'second_factor', userId: user.id, interactionUid: interaction.uid });
      if (!challenge) {
        res.status(400);
        return renderSecondFactorStep(res, interaction.uid, flow, { problems: [messageFor('signin.passkey_expired', support)] });
      }
      const attempt = await signIn.attemptPasskey({ response: form.webauthn, challenge, user }, auditContext(req, user.id));
      if (!attempt.ok) {
        if (attempt.locked) return lockedOut(res, interaction.uid, user.username, flow);
        res.status(attempt.status);
        return renderSecondFactorStep(res, interaction.uid, flow, { problems: [messageFor(attempt.error, support)] });
      }
      return moveOn(req, res, interaction.uid, flow, user, { done: [...flow.data.done, 'second_factor'], amr: [...(flow.data.amr ?? ['pwd']), ...attempt.amr] });
    }

    // The code step is a sign-in attempt of its own: counted, CAPTCHA'd and locked like a password.
    if (flow.state === 'second_factor') {
      const code = (form.code ?? '').trim();
      if (!code) {
        res.status(400);
        return renderSecondFactorStep(res, interaction.uid, flow, { problems: [messageFor('signin.code_missing', support)] });
      }
      const attempt = await signIn.attemptSecondFactor(
        { user, code, captchaId: form.captcha_id, captchaAnswer: form.captcha, binding: `interaction:${interaction.uid}` },
        auditContext(req, user.id),
      );
      if (!attempt.ok) {
        if (attempt.locked) return lockedOut(res, interaction.uid, user.username, flow);
        res.status(attempt.status);
        const message = attempt.error === 'signin.captcha_required' || attempt.error === 'signin.captcha_wrong' ? 'signin.code_captcha' : attempt.error;
        return renderSecondFactorStep(res, interaction.uid, flow, { problems: [messageFor(message, support)], captcha: attempt.captchaRequired, attemptsLeft: attempt.attemptsLeft });
      }
      return moveOn(req, res, interaction.uid, flow, user, { done: [...flow.data.done, 'second_factor'], amr: [...(flow.data.amr ?? ['pwd']), attempt.amr] });
    }

    const outcome = await completeStep(req, flow, user, form);
    if (outcome.problems) return renderStep(res, interaction.uid, flow, user, outcome.problems);
    if (outcome.declined) {
      await flows.advance(flow, 'declined', {}, outcome.effect);
      await flows.end(flow);
      res.set('cache-control', 'no-store');
      return res.type('html').send(
        messagePage({
          title: t('signedOut.title'),
          message: t('signedOut.declined'),
          supportContact: config.supportContact,
          extra: html`<p>${t('signedOut.changedMind')}</p><p><a class="usa-button" href="/login">${t('common.signIn')}</a></p>`,
        }),
      );
    }

    return moveOn(req, res, interaction.uid, flow, user, outcome);
  });

  /** Records a step as done (with its effect) and goes to the next one, or into the app. */
  async function moveOn(
    req: Request,
    res: Response,
    uid: string,
    flow: Flow<SignInData>,
    user: UserRow,
    outcome: { done: SignInStep[]; next?: SignInStep; amr?: string[]; effect?: () => Promise<void>; recoveryCodes?: () => string[] },
  ) {
    // The steps already done decide what is left, so the user as read before the step will do.
    const next = outcome.next ?? (await steps.next(user, outcome.done, { requireFactor: flow.data.requireFactor }));
    const amr = outcome.amr ?? flow.data.amr ?? ['pwd'];
    // Compare-and-set with the step's effect: of two submissions racing (two tabs, a double
    // click), exactly one applies its effect and moves on; the other gets 409 and changes nothing.
    // The notice, if any, has been seen; an enrolment's offered key is stored or forgotten.
    const data: SignInData = { done: outcome.done, amr, ...(flow.data.requireFactor ? { requireFactor: true } : {}) };
    const moved = await flows.advance(flow, next === 'done' ? 'ready' : next, { data }, outcome.effect);
    if (next === 'done') {
      await flows.end(moved);
      return finishSignIn(req, res, user.id, amr);
    }
    if (outcome.recoveryCodes) {
      // Shown in this answer only: the codes are stored hashed and a reload cannot show them again.
      res.set('cache-control', 'no-store');
      return res.type('html').send(
        recoveryCodesPage({ action: `/interaction/${uid}/step`, csrfToken: flows.csrfToken(moved), flowId: moved.id, supportContact: config.supportContact, codes: outcome.recoveryCodes(), continueLabel: t('twoStep.savedContinue') }),
      );
    }
    return res.redirect(303, `/interaction/${uid}`);
  }

  /**
   * Checks the step the flow is at and prepares its effect (hashing, validation) without applying
   * it; the caller applies it together with the flow's move. Returns problems to show instead.
   */
  async function completeStep(
    req: Request,
    flow: Flow<SignInData>,
    user: UserRow,
    form: StepForm,
  ): Promise<{ done: SignInStep[]; problems?: FormProblem[]; next?: SignInStep; amr?: string[]; effect?: () => Promise<void>; declined?: boolean; recoveryCodes?: () => string[] }> {
    const context = auditContext(req, user.id);
    const done = [...flow.data.done];
    switch (flow.state as SignInState) {
      case 'enrol_second_factor': {
        // A first code from the app proves the key was added; it is also this sign-in's second factor.
        const prepared = deps.totpEnrolment.prepare(user, flow.data.pendingTotp ?? '', form.code ?? '');
        if (!prepared.ok) return { done, problems: [messageFor('mfa.wrong_first_code', support)] };
        let codes: string[] = [];
        return {
          done: [...done, 'enrol_second_factor'],
          amr: [...(flow.data.amr ?? ['pwd']), 'otp'],
          next: 'recovery_codes',
          effect: async () => {
            codes = await deps.totpEnrolment.apply(user, prepared, context);
          },
          recoveryCodes: () => codes,
        };
      }
      case 'recovery_codes':
        return { done: [...done, 'recovery_codes'] };
      case 'change_password': {
        const how = { reason: user.password_temporary ? ('temporary' as const) : ('expired' as const), context };
        const prepared = await deps.passwordChanger.prepare(user, { newPassword: form.new_password ?? '', confirmPassword: form.confirm_password ?? '' }, how);
        if (!prepared.ok) return { done, problems: passwordFormProblems(prepared.problems) };
        return { done: [...done, 'change_password'], effect: () => deps.passwordChanger.apply(user, prepared.hash, how) };
      }
      case 'password_expiring':
        // "Change Password" leads to the change step; "Continue" skips the warning for this sign-in.
        if (form.choice === 'change') return { done: [...done, 'password_expiring'], next: 'change_password' };
        return { done: [...done, 'password_expiring', 'change_password'] };
      case 'aua': {
        const current = await deps.aua.current();
        if (form.choice === 'decline') return { done, declined: true, effect: () => deps.aua.decline(user.id, current.version, context) };
        // The version the person read must be the one in force: a new text means reading again.
        if (form.choice !== 'agree' || form.version !== current.version) throw new PortalError('flow.replayed', 409);
        return { done: [...done, 'aua'], effect: () => deps.aua.accept(user.id, current.version, context) };
      }
      case 'security_questions': {
        const answers = [0, 1, 2].map((i) => ({ questionId: form[`question_${i}` as 'question_0'] ?? '', answer: form[`answer_${i}` as 'answer_0'] ?? '' }));
        const prepared = await deps.securityQuestions.prepare(answers);
        if (!prepared.ok) return { done, problems: prepared.problems };
        return { done: [...done, 'security_questions'], effect: () => deps.securityQuestions.apply(user.id, prepared.hashed, context) };
      }
      default:
        throw new PortalError('flow.expired', 410);
    }
  }

  /**
   * Locked (a password, a code or a passkey against a locked account): the sign-in flow, if any,
   * ends, and the browser goes straight to Forgot Password, which says why and names Customer
   * Support (SPEC §3.2).
   */
  async function lockedOut(res: Response, uid: string, username: string | undefined, flow?: Flow<SignInData>) {
    if (flow) await flows.end(flow);
    await startRecovery(res, uid, { notice: 'locked', username });
    return res.redirect(303, '/forgot-password');
  }

  async function startRecovery(res: Response, uid: string, input: { notice?: 'locked'; username?: string }) {
    const flow = await deps.recovery.start({ interactionUid: uid, ...input });
    setFlowCookie(res, config, 'recovery', flow.id, 60 * 60_000);
  }

  // Forgot Password from an app's sign-in page: the interaction cookie (sent only on this path)
  // proves this browser owns the sign-in the reset will continue.
  router.get('/interaction/:uid/forgot-password', attemptLimit, async (req, res) => {
    const interaction = await details(req, res);
    await startRecovery(res, interaction.uid, {});
    res.redirect(303, '/forgot-password');
  });

  return router;
}

/** For recovery: once a reset from an app sign-in is done, the sign-in continues at its next step. */
export function createSignInContinuation(deps: { flows: FlowStore; users: UserQueries; steps: SignInSteps }) {
  return async (interactionUid: string, userId: string) => {
    const user = await deps.users.findById(userId);
    if (!user) return;
    const done: SignInStep[] = ['change_password', 'password_expiring'];
    const next = await deps.steps.next(user, done);
    await deps.flows.start<SignInData>({
      kind: signInKind,
      state: next === 'done' ? 'ready' : next,
      ttlMs: signInFlowTtlMs,
      userId,
      interactionUid,
      data: { done, notice: 'password_reset' },
    });
  };
}
