import express, { type Request, type Response, type Router } from 'express';
import type Provider from 'oidc-provider';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { PortalConfig } from '../config/index.js';
import type { Csrf } from '../libraries/csrf.js';
import { PortalError, messageFor } from '../libraries/errors.js';
import type { SignInFlow } from '../flows/sign-in/sign-in.js';
import { signInPage } from '../views/sign-in.js';
import { auditContext } from './request-context.js';
import type { Captchas } from '../libraries/captcha.js';

const signInForm = z.object({
  csrf: z.string().max(200).optional(),
  username: z.string().max(100).default(''),
  password: z.string().max(256).default(''),
  captcha_id: z.string().max(64).optional(),
  captcha: z.string().max(20).optional(),
});

/**
 * The pages oidc-provider sends a browser to when it needs the person (SPEC §3.1). Mounted before
 * `provider.callback()`; each ends with `interactionFinished`, which hands control back to the protocol.
 */
export function createInteractionRoutes(deps: {
  config: PortalConfig;
  provider: Provider;
  csrf: Csrf;
  signIn: SignInFlow;
  captchas: Captchas;
}): Router {
  const { config, provider, csrf, signIn, captchas } = deps;
  const router = express.Router();
  const support = { support: config.supportContact };

  // A second, coarser layer in front of the per-username counters: per client IP.
  const perIpLimit = rateLimit({
    windowMs: 60_000,
    limit: config.signInRateLimitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new PortalError('request.rate_limited', 429)),
  });

  async function details(req: Request, res: Response) {
    try {
      return await provider.interactionDetails(req, res);
    } catch {
      // Unknown, expired, finished, or another browser's interaction: start again from the app.
      throw new PortalError('interaction.expired', 400);
    }
  }

  async function clientName(clientId: unknown): Promise<string | undefined> {
    if (typeof clientId !== 'string') return undefined;
    const client = await provider.Client.find(clientId);
    return client?.clientName ?? undefined;
  }

  async function renderSignIn(res: Response, uid: string, opts: { username?: string; error?: string; client?: string | undefined; captcha?: boolean }) {
    // A fresh picture on every render: a CAPTCHA is checked once, right or wrong (SPEC §3.2).
    const captcha = opts.captcha ? await captchas.create(`interaction:${uid}`) : undefined;
    res.type('html').send(
      signInPage({
        captcha,
        action: `/interaction/${uid}/login`,
        csrfToken: csrf.token(`interaction:${uid}`),
        username: opts.username ?? '',
        error: opts.error,
        clientName: opts.client,
        forgotPasswordUrl: '/forgot-password',
        supportContact: config.supportContact,
      }),
    );
  }

  router.get('/interaction/:uid', async (req, res) => {
    const interaction = await details(req, res);
    if (interaction.prompt.name !== 'login') {
      // Consent never needs a person (first-party apps): finish with the grant loadExistingGrant made.
      return provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    }
    res.set('cache-control', 'no-store');
    await renderSignIn(res, interaction.uid, { client: await clientName(interaction.params.client_id) });
  });

  router.post(
    '/interaction/:uid/login',
    perIpLimit,
    express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }),
    async (req, res) => {
      const interaction = await details(req, res);
      const parsed = signInForm.safeParse(req.body ?? {});
      const client = await clientName(interaction.params.client_id);
      res.set('cache-control', 'no-store');

      if (!parsed.success) {
        // Overlong input: answered like any failed sign-in, without touching the database.
        res.status(400);
        return await renderSignIn(res, interaction.uid, { error: messageFor('signin.invalid_credentials', support), client });
      }
      const form = parsed.data;
      if (!csrf.verify(`interaction:${interaction.uid}`, form.csrf)) {
        res.status(403);
        return await renderSignIn(res, interaction.uid, { error: messageFor('request.csrf', support), client });
      }
      if (!form.username.trim() || !form.password) {
        res.status(400);
        return await renderSignIn(res, interaction.uid, {
          username: form.username,
          error: messageFor('signin.missing_fields', support),
          client,
        });
      }

      const outcome = await signIn.attempt(
        {
          username: form.username,
          password: form.password,
          captchaId: form.captcha_id,
          captchaAnswer: form.captcha,
          binding: `interaction:${interaction.uid}`,
        },
        auditContext(req),
      );
      if (!outcome.ok) {
        if (outcome.locked) {
          // Locked: straight to Forgot Password, which says why and names Customer Support.
          return res.redirect(303, `/forgot-password?notice=locked&return=${encodeURIComponent(interaction.uid)}`);
        }
        res.status(outcome.status);
        return await renderSignIn(res, interaction.uid, {
          username: form.username,
          error: messageFor(outcome.error, support),
          client,
          captcha: outcome.captchaRequired,
        });
      }
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId: outcome.user.id, amr: ['pwd'], remember: true } },
        { mergeWithLastSubmission: false },
      );
    },
  );

  return router;
}
