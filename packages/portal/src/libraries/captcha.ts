import { createHmac } from 'node:crypto';
import svgCaptcha from 'svg-captcha';
import type { CaptchaQueries } from '../queries/captchas.js';
import type { Clock } from './clock.js';
import { randomToken, safeEqual } from './secrets.js';

export interface CaptchaChallenge {
  id: string;
  /** A data: URL of the SVG picture (the CSP allows data: images, never inline script). */
  imageUrl: string;
}

/** What draws a picture and knows its text; injected so tests can read the answer. */
export type CaptchaGenerator = () => { svg: string; text: string };

export const svgCaptchaGenerator: CaptchaGenerator = () => {
  // No look-alike characters: the person should fail because they are a bot, not because of 0/O.
  const { data, text } = svgCaptcha.create({ size: 5, noise: 2, ignoreChars: '0oO1iIlL', color: false, background: '#f4f4f4' });
  return { svg: data, text };
};

/**
 * CAPTCHAs for the second stage of failed sign-ins (SPEC §3.2): a fresh picture on every try,
 * the answer kept hashed on the server, consumed by the first check whatever its outcome.
 */
export function createCaptchas(deps: { queries: CaptchaQueries; clock: Clock; key: string; generate?: CaptchaGenerator; ttlMs?: number }) {
  const generate = deps.generate ?? svgCaptchaGenerator;
  const ttlMs = deps.ttlMs ?? 10 * 60_000;
  const hash = (answer: string) => createHmac('sha256', deps.key).update(answer.trim().toLowerCase()).digest('hex');

  return {
    async create(binding: string): Promise<CaptchaChallenge> {
      const { svg, text } = generate();
      const id = randomToken(18);
      await deps.queries.insert({ id, binding, answer_hash: hash(text), expires_at: deps.clock.now() + ttlMs });
      return { id, imageUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
    },
    /** True only for the right answer to a live CAPTCHA shown for this binding; never twice. */
    async check(id: unknown, answer: unknown, binding: string): Promise<boolean> {
      if (typeof id !== 'string' || typeof answer !== 'string' || !id || !answer || answer.length > 20) return false;
      const stored = await deps.queries.consume(id, binding, deps.clock.now());
      return stored !== undefined && safeEqual(stored, hash(answer));
    },
    deleteExpired: (now: number) => deps.queries.deleteExpired(now),
  };
}

export type Captchas = ReturnType<typeof createCaptchas>;
