import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { OidcPayloadQueries } from '../queries/oidc-payloads.js';
import type { ClientQueries } from '../queries/clients.js';
import type { Clock } from '../libraries/clock.js';
import { containsNul } from '../libraries/contains-nul.js';

/**
 * oidc-provider's storage, mapped onto our queries. Clients come from the `oidc_clients` table
 * (operators manage them with the CLI); everything else is one payload table, so a restart or a
 * second instance sees the same sessions, grants and tokens.
 */
export interface SessionPolicy {
  /** A session unused this long is over (SPEC §3.7: 15 minutes, sliding). */
  idleMs: number;
  /** A session this old is over however active it is (12 hours). */
  maxMs: number;
}

/** Saving a session on every request would be a write per page view; a few seconds' slack is invisible. */
const touchEveryMs = 5_000;

export function createAdapterClass(deps: { payloads: OidcPayloadQueries; clients: ClientQueries; clock: Clock; sessionPolicy: SessionPolicy }) {
  const { payloads, clients, clock, sessionPolicy } = deps;

  /**
   * The idle rule lives here because every use of an SSO session — a portal page, an app's
   * authorization request, `prompt=none` — loads it through this adapter. An idle or too-old session
   * reads as absent (so silent sign-in gets `login_required`); the sweeper then ends it for real,
   * back-channel logout included. A live one slides.
   */
  async function liveSession(id: string, stored: Awaited<ReturnType<OidcPayloadQueries['find']>>, options: { slide: boolean }): Promise<boolean> {
    if (!stored) return false;
    const now = clock.now();
    // A row from before activity was recorded counts from its first use now, so it too can idle out.
    const lastActive = stored.lastActiveAt ?? now - touchEveryMs;
    if (now - lastActive > sessionPolicy.idleMs) return false;
    if (stored.createdAt !== null && now - stored.createdAt >= sessionPolicy.maxMs) return false;
    if (options.slide && now - lastActive >= touchEveryMs) await payloads.touch('Session', id, now);
    return true;
  }

  return class KnexAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      if (this.model === 'Client') throw new Error('clients are managed with `pnpm portal client:create`');
      await payloads.upsert({
        model: this.model,
        id,
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        user_code: payload.userCode ?? null,
        uid: payload.uid ?? null,
        account_id: payload.accountId ?? null,
        expires_at: expiresIn ? clock.now() + expiresIn * 1000 : null,
        created_at: clock.now(),
        last_active_at: this.model === 'Session' ? clock.now() : null,
      });
    }

    // Every id, uid, user code and grant id here came from a request (oidc-provider parses its own
    // bodies and Basic credentials): one with a NUL names nothing we store, and PostgreSQL would
    // refuse the query (a 500). It is answered as unknown, as on SQLite (routes/refuse-nul.ts).
    async find(id: string): Promise<AdapterPayload | undefined> {
      if (containsNul(id)) return undefined;
      if (this.model === 'Client') {
        const row = await clients.find(id);
        if (!row) return undefined;
        const metadata = JSON.parse(row.metadata) as AdapterPayload;
        // During a rotation the old secret still works until its expiry (compareClientSecret).
        const previousLive = row.previous_secret_hash && row.previous_secret_expires_at != null && Number(row.previous_secret_expires_at) > clock.now();
        return previousLive ? { ...metadata, previous_secret: `${row.previous_secret_hash}.${Number(row.previous_secret_expires_at)}` } : metadata;
      }
      const stored = await payloads.find(this.model, id);
      // By id: the session cookie of the person's browser (a portal page, an authorization request) — activity.
      if (this.model === 'Session' && !(await liveSession(id, stored, { slide: true }))) return undefined;
      return this.live(stored);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      if (containsNul(userCode)) return undefined;
      return this.live(await payloads.findBy(this.model, 'user_code', userCode));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      if (containsNul(uid)) return undefined;
      const stored = await payloads.findBy(this.model, 'uid', uid);
      // By uid: a token bound to the session being used (refresh, userinfo, introspection). A token
      // grant is not the person's activity (issue #9): it reads the session without sliding it, so
      // an app refreshing in the background cannot keep an idle person signed in, nor pay a write.
      if (this.model === 'Session' && stored && !(await liveSession(String(stored.payload.jti), stored, { slide: false }))) return undefined;
      return this.live(stored);
    }

    async consume(id: string): Promise<void> {
      if (containsNul(id)) return;
      await payloads.consume(this.model, id, Math.floor(clock.now() / 1000));
    }

    async destroy(id: string): Promise<void> {
      if (containsNul(id)) return;
      await payloads.destroy(this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      if (containsNul(grantId)) return;
      await payloads.destroyByGrantId(grantId);
    }

    // Expired rows may linger until the sweeper runs; they must never be served.
    private live(stored: Awaited<ReturnType<OidcPayloadQueries['find']>>): AdapterPayload | undefined {
      if (!stored) return undefined;
      if (stored.expiresAt !== null && stored.expiresAt <= clock.now()) return undefined;
      return stored.consumedAt !== null ? { ...stored.payload, consumed: stored.consumedAt } : stored.payload;
    }
  };
}

