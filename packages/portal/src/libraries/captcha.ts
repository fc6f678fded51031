import { createHmac } from 'node:crypto';
import svgCaptcha from 'svg-captcha';
import type { CaptchaQueries } from '../queries/captchas.js';
import type { CaptchaAudio } from './captcha-audio.js';
import type { Clock } from './clock.js';
import type { Sealer } from './sealed.js';
import { randomToken, safeEqual } from './secrets.js';

export interface CaptchaChallenge {
  id: string;
  /** A data: URL of the SVG picture (the CSP allows data: images, never inline script). */
  imageUrl: string;
  /** Whether the same characters can also be heard (espeak-ng runs here). */
  audio: boolean;
}

/** What draws a picture and knows its text; injected so tests can read the answer. */
export type CaptchaGenerator = () => { svg: string; text: string };

/**
 * Digits only, so the picture and its spoken version have one answer that a listener can type
 * without guessing letters that sound alike (B/D/P/T/V); 5 of them, as many characters as before
 * (a blind guess is 1 in 100 000, and only three tries are left at this stage). With no letters
 * there is no 0/O or 1/l to confuse.
 */
export const svgCaptchaGenerator: CaptchaGenerator = () => {
  const { data, text } = svgCaptcha.create({ size: 5, noise: 2, charPreset: '0123456789', color: false, background: '#f4f4f4' });
  return { svg: data, text };
};

/** What a person types is compared without case or spaces: "4 7 2 9 1" heard is "47291" seen. */
const normalise = (answer: string) => answer.replace(/\s+/g, '').toLowerCase();

/**
 * CAPTCHAs for the second stage of failed sign-ins (SPEC §3.2): a fresh picture on every try,
 * the answer kept hashed on the server, consumed by the first check whatever its outcome.
 *
 * One record, two ways to read it (WCAG 1.1.1): the picture, drawn once, and the audio, spoken on
 * request. To speak it the server must read the answer back, so the record also keeps it sealed
 * (AES-256-GCM under its own key, bound to the record's id and binding; libraries/sealed.ts) —
 * the check itself still compares HMACs, so an answer heard or seen is checked the same way, once.
 */
export function createCaptchas(deps: { queries: CaptchaQueries; clock: Clock; key: string; sealer: Sealer; audio?: CaptchaAudio | undefined; generate?: CaptchaGenerator; ttlMs?: number }) {
  const generate = deps.generate ?? svgCaptchaGenerator;
  const ttlMs = deps.ttlMs ?? 10 * 60_000;
  const hash = (answer: string) => createHmac('sha256', deps.key).update(normalise(answer)).digest('hex');
  const purpose = (id: string, binding: string) => `captcha:${id}:${binding}`;

  return {
    async create(binding: string): Promise<CaptchaChallenge> {
      const { svg, text } = generate();
      const id = randomToken(18);
      await deps.queries.insert({ id, binding, answer_hash: hash(text), answer_sealed: deps.sealer.seal(text, purpose(id, binding)), expires_at: deps.clock.now() + ttlMs });
      return { id, imageUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`, audio: (await deps.audio?.available()) ?? false };
    },
    /** True only for the right answer to a live CAPTCHA shown for this binding; never twice. */
    async check(id: unknown, answer: unknown, binding: string): Promise<boolean> {
      if (typeof id !== 'string' || typeof answer !== 'string' || !id || !answer || answer.length > 20) return false;
      const stored = await deps.queries.consume(id, binding, deps.clock.now());
      return stored !== undefined && safeEqual(stored, hash(answer));
    },
    /**
     * The spoken version of a live CAPTCHA shown for this binding, as a WAV file; undefined when
     * there is none (unknown, expired, used, withdrawn, another interaction's, or no espeak-ng).
     * Reading it does not use the CAPTCHA up: the answer typed after listening is the one check.
     */
    async audio(id: string, binding: string): Promise<Buffer | undefined> {
      if (!deps.audio || !(await deps.audio.available())) return undefined;
      const sealed = await deps.queries.findLive(id, binding, deps.clock.now());
      const text = sealed ? deps.sealer.open(sealed, purpose(id, binding)) : undefined;
      if (text === undefined) return undefined;
      // The voices and noise are fixed per CAPTCHA (a keyed digest of its id): see captcha-audio.ts.
      return deps.audio.speak(text, createHmac('sha256', deps.key).update(`captcha-audio:${id}`).digest());
    },
    /** "New picture": the old CAPTCHA (if it is this binding's) stops working; nothing is counted. */
    withdraw: (id: unknown, binding: string): Promise<boolean> => (typeof id === 'string' && id ? deps.queries.withdraw(id, binding) : Promise.resolve(false)),
    deleteExpired: (now: number) => deps.queries.deleteExpired(now),
  };
}

export type Captchas = ReturnType<typeof createCaptchas>;
