import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '@portal/db';
import type { Clock } from './clock.js';
import { createSessionQueries, type ExpiryCutoffs, type StoredSession } from './session-queries.js';
import type { TokenSeal } from './token-seal.js';

/** What an app knows about a signed-in person; kept in the app's database (rp_sessions). */
export interface AppSession {
  /** The cookie value. Only its SHA-256 is stored: a database read never yields a usable cookie. */
  readonly id: string;
  readonly sub: string;
  /** The portal's SSO session id (`sid` claim): what a back-channel logout names. */
  readonly sid: string | undefined;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly idToken: string;
  /** Bound to this session; every form the app renders carries it (CSRF). */
  readonly csrfToken: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  /**
   * App-specific state, e.g. the registry's chosen organization. Read-only here: changed through
   * `updateData` (rp.updateSessionData), which stores it — a change made in place would be lost.
   */
  readonly data: Readonly<Record<string, unknown>>;
}

/** A stored session as listed for tests and diagnostics: without the cookie value, which is not stored. */
export type ListedSession = Omit<AppSession, 'id'>;

export type SessionLookup = { session: AppSession } | { session?: undefined; expired: boolean };

/** A session as seen without counting as activity. */
export type SessionState =
  | { state: 'live'; session: AppSession; remainingMs: number }
  | { state: 'ended'; reason: 'idle' | 'lifetime' }
  | { state: 'absent' };

export interface SessionStoreOptions {
  db: Db;
  /** Whose sessions these are: apps sharing a database keep theirs apart. */
  clientId: string;
  clock: Clock;
  /** Inactivity that ends a session (SPEC §3.7: 15 minutes). */
  idleMs: number;
  /** A session ends this long after sign-in however active it is. */
  absoluteMs: number;
  /** Encrypts the access tokens kept with sessions (the `api` option). */
  tokenSeal: TokenSeal;
}

export interface NewSession {
  sub: string;
  sid: string | undefined;
  claims: Record<string, unknown>;
  idToken: string;
  /** The access token for the app's API resource, when it asked for one. */
  accessToken?: { value: string; expiresAt: number | undefined } | undefined;
  /**
   * The live session this sign-in renews (same person, same browser): the new session keeps its
   * data, its CSRF token (forms open in other tabs still post) and its sign-in time (the lifetime
   * limit still counts from the first sign-in). It gets a new id all the same.
   */
  continues?: AppSession | undefined;
}

/** A session's cookie value is 32 random bytes, base64url. */
const sessionIdShape = /^[A-Za-z0-9_-]{43}$/;
/** An access token this close to its end is treated as ended: it may expire on its way to the API. */
const accessTokenMarginMs = 30_000;

/** The stored key of a cookie value (hex SHA-256): the cookie is 256 random bits, so no salt or slow hash is needed. */
export function sessionKeyOf(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/**
 * Server-side app sessions in the app's database, keyed by a hash of a 256-bit random id (the
 * cookie value). The idle timeout slides: every request that finds a live session moves
 * `lastSeenAt` to now. Every instance of the app on the same database sees the same sessions.
 */
export function createSessionStore(options: SessionStoreOptions) {
  const { clock, idleMs, absoluteMs, tokenSeal } = options;
  const queries = createSessionQueries(options.db, options.clientId);
  // The sealed access token of each session object handed out: decrypted only when asked for.
  const accessTokens = new WeakMap<AppSession, NonNullable<StoredSession['accessToken']>>();
  let lastSweep = 0;

  const cutoffs = (now: number): ExpiryCutoffs => ({ seenBefore: now - idleMs, createdBefore: now - absoluteMs });

  function isExpired(s: { lastSeenAt: number; createdAt: number }, now: number): boolean {
    return now - s.lastSeenAt > idleMs || now - s.createdAt > absoluteMs;
  }

  function toSession(id: string, stored: StoredSession): AppSession {
    const session: AppSession = {
      id,
      sub: stored.sub,
      sid: stored.sid,
      claims: Object.freeze({ ...stored.claims }),
      idToken: stored.idToken,
      csrfToken: stored.csrfToken,
      createdAt: stored.createdAt,
      lastSeenAt: stored.lastSeenAt,
      data: Object.freeze({ ...stored.data }),
    };
    if (stored.accessToken) accessTokens.set(session, stored.accessToken);
    return session;
  }

  async function find(id: string | undefined): Promise<StoredSession | undefined> {
    if (!id || !sessionIdShape.test(id)) return undefined; // not one of ours: no query
    return queries.find(sessionKeyOf(id));
  }

  function stateOf(session: { lastSeenAt: number; createdAt: number }, now: number): { ended: false; remainingMs: number } | { ended: true; reason: 'idle' | 'lifetime' } {
    const idleEnd = session.lastSeenAt + idleMs;
    const lifetimeEnd = session.createdAt + absoluteMs;
    // Whichever came first is why it ended.
    if (isExpired(session, now)) return { ended: true, reason: idleEnd < lifetimeEnd ? 'idle' : 'lifetime' };
    return { ended: false, remainingMs: Math.min(idleEnd, lifetimeEnd) - now };
  }

  /**
   * Deletes expired rows at most once a minute (per instance), on a request, so the table does not
   * grow with abandoned sessions. Until then an ended session stays readable, to say why it ended.
   */
  async function sweep(now: number): Promise<void> {
    if (now - lastSweep < 60_000) return;
    lastSweep = now;
    await queries.deleteExpired(cutoffs(now));
  }

  return {
    async create(input: NewSession): Promise<AppSession> {
      const now = clock.now();
      await sweep(now);
      const id = randomBytes(32).toString('base64url');
      const key = sessionKeyOf(id);
      const stored: StoredSession = {
        key,
        sub: input.sub,
        sid: input.sid,
        claims: { ...input.claims },
        idToken: input.idToken,
        csrfToken: input.continues?.csrfToken ?? randomBytes(32).toString('base64url'),
        createdAt: input.continues?.createdAt ?? now,
        lastSeenAt: now,
        data: { ...input.continues?.data },
        accessToken: input.accessToken ? { sealed: tokenSeal.seal(input.accessToken.value, key), expiresAt: input.accessToken.expiresAt } : undefined,
      };
      await queries.insert(stored);
      return toSession(id, stored);
    },

    /** The live session for a cookie value, touched (sliding idle window); expired ones are removed. */
    async use(id: string | undefined): Promise<SessionLookup> {
      const stored = await find(id);
      const now = clock.now();
      let found: SessionLookup;
      if (!stored) found = { expired: false };
      else if (isExpired(stored, now)) {
        await queries.delete(stored.key);
        found = { expired: true };
      } else {
        await queries.touch(stored.key, now);
        found = { session: toSession(id!, { ...stored, lastSeenAt: Math.max(now, stored.lastSeenAt) }) };
      }
      // After the lookup, so the person whose session just ended is told so, not "absent".
      await sweep(now);
      return found;
    },

    /**
     * The session's state and time left, without touching it: the idle warning asks this (an open
     * tab must not keep a session alive), and CSRF is checked before a request may slide it.
     * An ended session stays readable (to say why it ended) until `use`, `destroy` or a sweep.
     */
    async inspect(id: string | undefined): Promise<SessionState> {
      const stored = await find(id);
      if (!stored) return { state: 'absent' };
      const state = stateOf(stored, clock.now());
      if (state.ended) return { state: 'ended', reason: state.reason };
      return { state: 'live', session: toSession(id!, stored), remainingMs: state.remainingMs };
    },

    /** Time left of a session a request already holds, without another query (the page header). */
    remainingMs(session: AppSession): number {
      const state = stateOf(session, clock.now());
      return state.ended ? 0 : state.remainingMs;
    },

    /**
     * Merges `patch` into the session's data and stores it (a key set to undefined is removed);
     * `session.data` shows the result. Two requests of one session changing data at once: the
     * last one wins. Nothing happens when the session has ended meanwhile: its next request signs in.
     */
    async updateData(session: AppSession, patch: Readonly<Record<string, unknown>>): Promise<void> {
      const data = JSON.parse(JSON.stringify({ ...session.data, ...patch })) as Record<string, unknown>;
      await queries.updateData(sessionKeyOf(session.id), data);
      (session as { data: Readonly<Record<string, unknown>> }).data = Object.freeze(data);
    },

    /** The session's access token, unless it has none, it has (nearly) expired, or it no longer opens. */
    async accessTokenOf(session: AppSession): Promise<string | undefined> {
      const held = accessTokens.get(session);
      if (!held) return undefined;
      if (held.expiresAt !== undefined && held.expiresAt - accessTokenMarginMs <= clock.now()) return undefined;
      return tokenSeal.open(held.sealed, sessionKeyOf(session.id));
    },

    async destroy(id: string): Promise<void> {
      if (sessionIdShape.test(id)) await queries.delete(sessionKeyOf(id));
    },

    /**
     * Ends every session of one portal SSO session (sid), or of one person (sub) when the logout
     * token names no sid (OpenID Back-Channel Logout 1.0 §2.4). Returns how many ended.
     */
    async destroyMatching(match: { sid?: string | undefined; sub?: string | undefined }): Promise<number> {
      if (!match.sid && !match.sub) return 0;
      return queries.deleteMatching({ sid: match.sid, sub: match.sub });
    },

    /** Live sessions, for tests and diagnostics; never rendered to a person. */
    async list(): Promise<ListedSession[]> {
      const rows = await queries.listLive(cutoffs(clock.now()));
      return rows.map(({ key: _key, accessToken: _token, ...s }) => ({ ...s, claims: Object.freeze(s.claims), data: Object.freeze(s.data) }));
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
