import express, { type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { PortalConfig } from '../config/index.js';
import { PortalError } from '../libraries/errors.js';

export interface FormGuards {
  /** Per client IP, shared by every form that checks a secret (sign-in, reset, account): a coarse
   * layer in front of the per-username counters (SPEC §3.2). One store, so the budget is per IP. */
  perIpLimit: RequestHandler;
  /** Form bodies: small and flat, so an oversized post is a clear 413, not work. */
  parseBody: RequestHandler;
}

export function createFormGuards(config: PortalConfig): FormGuards {
  return {
    perIpLimit: rateLimit({
      windowMs: 60_000,
      limit: config.signInRateLimitPerMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) => next(new PortalError('request.rate_limited', 429)),
    }),
    parseBody: express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }),
  };
}
