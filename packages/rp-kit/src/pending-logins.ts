import { timingSafeEqual } from 'node:crypto';
import type { Clock } from './clock.js';

/** What /login remembers until the portal sends the browser back to /callback. */
export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** A local path to return to after sign-in (never an absolute URL: no open redirect). */
  returnTo: string;
  /** The browser that started the login: the random value of its login cookie. */
  browser: string;
  expiresAt: number;
}

/**
 * Short-lived, single-use records keyed by `state`, each bound to the browser that started it, so
 * several tabs can sign in at once and a code cannot be redeemed in another browser (login CSRF).
 * Bounded in size: a flood of /login requests evicts the oldest records, it cannot exhaust memory.
 */
export function createPendingLogins(options: { clock: Clock; ttlMs: number; maxEntries?: number }) {
  const { clock, ttlMs } = options;
  const maxEntries = options.maxEntries ?? 10_000;
  const byState = new Map<string, PendingLogin>();

  return {
    ttlMs,
    add(login: Omit<PendingLogin, 'expiresAt'>): void {
      while (byState.size >= maxEntries) byState.delete(byState.keys().next().value!);
      byState.set(login.state, { ...login, expiresAt: clock.now() + ttlMs });
    },

    /** Removes and returns the record for this state if it is live and belongs to this browser. */
    take(state: string | undefined, browser: string | undefined): PendingLogin | undefined {
      if (!state || !browser) return undefined;
      const login = byState.get(state);
      if (!login) return undefined;
      if (!sameSecret(login.browser, browser)) return undefined;
      byState.delete(state);
      return login.expiresAt > clock.now() ? login : undefined;
    },
  };
}

export type PendingLogins = ReturnType<typeof createPendingLogins>;

/** Constant-time comparison of two secrets (timing). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
