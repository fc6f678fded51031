import { createHmac, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A URL-safe random token with `bytes` of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Constant-time comparison of two strings of any length (timing attacks on secrets). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/**
 * What the audit log records of a username nobody has: a keyed fingerprint, never the text — people
 * type their password into the username box, and a failed sign-in must not write it down. The
 * same typed name always gives the same fingerprint, so repeated tries still read as one series.
 */
export function usernameFingerprint(key: string, usernameKey: string): string {
  return `unknown:${createHmac('sha256', key).update(`audit-username:${usernameKey}`).digest('base64url').slice(0, 22)}`;
}
