import { createHmac } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import type { PortalConfig } from '../config/index.js';
import type { Clock } from '../libraries/clock.js';
import { PortalError } from '../libraries/errors.js';
import type { ActionCounterQueries } from '../queries/action-counters.js';
import { usernameKey } from '../queries/users.js';
import { withoutNul } from './refuse-nul.js';

export interface FormGuards {
  /**
   * In front of every form that checks a secret (sign-in, Forgot Password, account, help desk): the
   * coarse layer before the per-username counters (SPEC §3.2). Two budgets a minute, counted in the
   * database so every instance shares them: one per client IP and posted username, and a higher
   * one per IP alone — a school district behind one NAT is many people, not one attacker, while
   * one address still cannot spray the whole directory. Needs the body parsed first.
   */
  attemptLimit: RequestHandler;
  /** Form bodies: small and flat, so an oversized post is a clear 413, not work. */
  parseBody: RequestHandler;
}

const windowMs = 60_000;

export function createFormGuards(deps: { config: PortalConfig; counters: ActionCounterQueries; clock: Clock; serverKey: string }): FormGuards {
  const { perIpAndUsername, perIp } = deps.config.signInRateLimit;
  // A username field sometimes holds a mistyped password: the counter key carries a keyed digest.
  const subjectOf = (body: unknown): string | undefined => {
    const username = (body as { username?: unknown } | undefined)?.username;
    if (typeof username !== 'string' || !username.trim()) return undefined;
    return createHmac('sha256', deps.serverKey).update(`rate-limit:${usernameKey(username)}`).digest('base64url').slice(0, 22);
  };
  return {
    attemptLimit: (req, res, next) => {
      const ip = req.ip ?? 'unknown';
      const subject = subjectOf(req.body);
      const now = deps.clock.now();
      const windowStart = now - (now % windowMs);
      const keys = [`limit:ip:${ip}`, ...(subject ? [`limit:ip-user:${ip}:${subject}`] : [])];
      deps.counters.hitMany(keys, windowStart).then(
        (counts) => {
          const ipCount = counts[0]!;
          const userCount = counts[1] ?? 0;
          const remaining = Math.min(perIp - ipCount, subject ? perIpAndUsername - userCount : Infinity);
          const resetSeconds = Math.ceil((windowStart + windowMs - now) / 1000);
          res.setHeader('RateLimit-Policy', `"ip";q=${perIp};w=60, "ip-username";q=${perIpAndUsername};w=60`);
          res.setHeader('RateLimit', `"${subject && perIpAndUsername - userCount <= perIp - ipCount ? 'ip-username' : 'ip'}";r=${Math.max(0, remaining)};t=${resetSeconds}`);
          if (remaining >= 0) return next();
          res.setHeader('Retry-After', String(resetSeconds));
          next(new PortalError('request.rate_limited', 429));
        },
        (err: unknown) => next(err),
      );
    },
    parseBody: withoutNul(express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 })),
  };
}
