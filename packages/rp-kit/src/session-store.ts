import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';

/** What an app knows about a signed-in person; lives only in this process's memory. */
export interface AppSession {
  readonly id: string;
  readonly sub: string;
  /** The portal's SSO session id (`sid` claim): what a back-channel logout names. */
  readonly sid: string | undefined;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly idToken: string;
  /** Bound to this session; every form the app renders carries it (CSRF). */
  readonly csrfToken: string;
  readonly createdAt: number;
  lastSeenAt: number;
  /** App-specific state, e.g. the registry's chosen organization. */
  readonly data: Record<string, unknown>;
}

export type SessionLookup = { session: AppSession } | { session?: undefined; expired: boolean };

/** A session as seen without counting as activity. */
export type SessionState =
  | { state: 'live'; session: AppSession; remainingMs: number }
  | { state: 'ended'; reason: 'idle' | 'lifetime' }
  | { state: 'absent' };

export interface SessionStoreOptions {
  clock: Clock;
  /** Inactivity that ends a session (SPEC §3.7: 15 minutes). */
  idleMs: number;
  /** A session ends this long after sign-in however active it is. */
  absoluteMs: number;
}

/**
 * Server-side app sessions in a Map keyed by a 256-bit random id (the cookie value). The idle
 * timeout slides: every request that finds a live session moves `lastSeenAt` to now.
 */
export function createSessionStore(options: SessionStoreOptions) {
  const { clock, idleMs, absoluteMs } = options;
  const sessions = new Map<string, AppSession>();
  let lastSweep = 0;

  function isExpired(s: AppSession, now: number): boolean {
    return now - s.lastSeenAt > idleMs || now - s.createdAt > absoluteMs;
  }

  /** Drops expired sessions at most once a minute, so memory does not grow with abandoned ones. */
  function sweep(now: number): void {
    if (now - lastSweep < 60_000) return;
    lastSweep = now;
    for (const [id, s] of sessions) if (isExpired(s, now)) sessions.delete(id);
  }

  return {
    create(input: { sub: string; sid: string | undefined; claims: Record<string, unknown>; idToken: string }): AppSession {
      const now = clock.now();
      sweep(now);
      const session: AppSession = {
        id: randomBytes(32).toString('base64url'),
        sub: input.sub,
        sid: input.sid,
        claims: Object.freeze({ ...input.claims }),
        idToken: input.idToken,
        csrfToken: randomBytes(32).toString('base64url'),
        createdAt: now,
        lastSeenAt: now,
        data: {},
      };
      sessions.set(session.id, session);
      return session;
    },

    /** The live session for a cookie value, touched (sliding idle window); expired ones are removed. */
    use(id: string | undefined): SessionLookup {
      if (!id) return { expired: false };
      const session = sessions.get(id);
      if (!session) return { expired: false };
      const now = clock.now();
      if (isExpired(session, now)) {
        sessions.delete(id);
        return { expired: true };
      }
      session.lastSeenAt = now;
      return { session };
    },

    /**
     * The session's state and time left, without touching it: the idle warning asks this (an open
     * tab must not keep a session alive), and CSRF is checked before a request may slide it.
     * An ended session stays readable (to say why it ended) until `use`, `destroy` or a sweep.
     */
    inspect(id: string | undefined): SessionState {
      const session = id ? sessions.get(id) : undefined;
      if (!session) return { state: 'absent' };
      const now = clock.now();
      const idleEnd = session.lastSeenAt + idleMs;
      const lifetimeEnd = session.createdAt + absoluteMs;
      // Whichever came first is why it ended.
      if (isExpired(session, now)) return { state: 'ended', reason: idleEnd < lifetimeEnd ? 'idle' : 'lifetime' };
      return { state: 'live', session, remainingMs: Math.min(idleEnd, lifetimeEnd) - now };
    },

    destroy(id: string): void {
      sessions.delete(id);
    },

    /**
     * Ends every session of one portal SSO session (sid), or of one person (sub) when the logout
     * token names no sid (OpenID Back-Channel Logout 1.0 §2.4). Returns how many ended.
     */
    destroyMatching(match: { sid?: string | undefined; sub?: string | undefined }): number {
      if (!match.sid && !match.sub) return 0;
      let ended = 0;
      for (const [id, s] of sessions) {
        const sameSid = match.sid ? s.sid === match.sid : true;
        const sameSub = match.sub ? s.sub === match.sub : true;
        if (sameSid && sameSub) {
          sessions.delete(id);
          ended++;
        }
      }
      return ended;
    },

    /** Live sessions, for tests and diagnostics; never rendered to a person. */
    list(): AppSession[] {
      const now = clock.now();
      return [...sessions.values()].filter((s) => !isExpired(s, now));
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
