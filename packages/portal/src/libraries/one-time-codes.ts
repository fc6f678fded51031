import { createHmac, randomInt } from 'node:crypto';
import { safeEqual } from './secrets.js';

/** A number in [0, max); tests pass a fixed sequence, production uses the CSPRNG. */
export type RandomInt = (max: number) => number;

export interface OneTimeCodeOptions {
  /** Server key for the HMAC; at least 32 characters. */
  key: string;
  /** SPEC §3.6: 6 or more digits. */
  digits?: number;
  random?: RandomInt;
}

/**
 * Emailed security codes (SPEC §3.6). Only the code's HMAC is stored: with a million possible
 * codes a plain SHA-256 is reversed by trying them all, an HMAC needs the server key too.
 * Expiry, the 5-try limit and "only the newest code" belong to the flow record that keeps the hash.
 */
export function createOneTimeCodes({ key, digits = 6, random = (max) => randomInt(max) }: OneTimeCodeOptions) {
  if (key.length < 32) throw new Error('one-time codes: key must be at least 32 characters');
  if (!Number.isInteger(digits) || digits < 6 || digits > 12) throw new Error('one-time codes: digits must be 6 to 12');
  const shape = new RegExp(`^[0-9]{${digits}}$`);
  const mac = (code: string) => createHmac('sha256', key).update(`one-time-code:${code}`).digest('base64url');

  return {
    digits,
    /** Digits drawn one by one, so every code, leading zeros included, is equally likely. */
    generate(): string {
      let code = '';
      for (let i = 0; i < digits; i++) {
        const digit = random(10);
        if (!Number.isInteger(digit) || digit < 0 || digit > 9) throw new Error('one-time codes: random source out of range');
        code += String(digit);
      }
      return code;
    },
    hash(code: string): string {
      return mac(code.trim());
    },
    /** Spaces around a pasted code are forgiven; anything else in it is a wrong code. */
    verify(code: string, hash: string): boolean {
      const typed = code.trim();
      // The shape says nothing about the secret, so refusing early leaks nothing; the compare is
      // constant-time so the stored hash cannot be learnt byte by byte (timing).
      return shape.test(typed) && safeEqual(mac(typed), hash);
    },
  };
}

export type OneTimeCodes = ReturnType<typeof createOneTimeCodes>;
