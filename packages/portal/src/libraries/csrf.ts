import { createHmac } from 'node:crypto';
import { safeEqual } from './secrets.js';

/**
 * Synchroniser tokens for every form (CSRF). A token is an HMAC of what the form is bound to —
 * an oidc-provider interaction uid or a stored flow id — so it cannot be forged without the key
 * and cannot be replayed on another person's flow.
 */
export function createCsrf(key: string) {
  const sign = (binding: string) => createHmac('sha256', key).update(`csrf:${binding}`).digest('base64url');
  return {
    token: sign,
    verify(binding: string, token: unknown): boolean {
      return typeof token === 'string' && token.length > 0 && safeEqual(sign(binding), token);
    },
  };
}

export type Csrf = ReturnType<typeof createCsrf>;
