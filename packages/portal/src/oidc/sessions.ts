import type Provider from 'oidc-provider';
import type { OidcPayloadQueries } from '../queries/oidc-payloads.js';
import type { PendingSessionEndQueries } from '../queries/pending-session-ends.js';
import type { Logger } from '../libraries/logger.js';
import type { Clock } from '../libraries/clock.js';

interface StoredSession {
  accountId?: string;
  authorizations?: Record<string, { sid?: string; grantId?: string }>;
}

/**
 * Ends every SSO session of an account — after a password reset, a help-desk lock, a disabled
 * account (SPEC §3.7): each app that holds a session for it gets a back-channel logout token, every
 * grant (and so every token and refresh token) is revoked, and the sessions are deleted.
 */
export function createSessionTerminator(deps: { provider: Provider; payloads: OidcPayloadQueries; pending: PendingSessionEndQueries; logger: Logger; clock: Clock }) {
  const { provider, payloads, pending, logger, clock } = deps;

  /** Ends one stored session: back-channel logout to each app in it, grants revoked, row deleted. */
  async function end(id: string, session: StoredSession): Promise<number> {
    let notified = 0;
    const accountId = session.accountId!;
    for (const [clientId, authorization] of Object.entries(session.authorizations ?? {})) {
      const client = await provider.Client.find(clientId);
      if (client?.backchannelLogoutUri) {
        try {
          // oidc-provider's own sender: signs the logout token and honours the fetch allow-list.
          await (client as unknown as { backchannelLogout(sub: string, sid: string): Promise<void> }).backchannelLogout(accountId, authorization.sid!);
          notified++;
        } catch (err) {
          // The app may be down; its own idle timeout still ends its session.
          logger.warn({ event: 'backchannel.error', client: clientId, err: (err as Error).message }, 'back-channel logout not delivered');
        }
      }
      if (authorization.grantId) {
        await payloads.destroyByGrantId(authorization.grantId);
        await payloads.destroy('Grant', authorization.grantId);
      }
    }
    await payloads.destroy('Session', id);
    return notified;
  }

  async function endAllSessions(accountId: string, options: { except?: string | null; createdBefore?: number } = {}): Promise<{ sessions: number; notified: number }> {
    const now = clock.now();
    const sessions = (await payloads.findByAccount('Session', accountId, now, { createdBefore: options.createdBefore })).filter((s) => s.id !== options.except);
    let notified = 0;
    for (const { id, payload } of sessions) notified += await end(id, payload as StoredSession);
    // Grants outside any session (refresh tokens of a session already gone) are revoked too, except
    // those of the session kept (Change Password keeps the person's own).
    const kept = options.except ? await payloads.find('Session', options.except) : undefined;
    const keptGrants = new Set(Object.values((kept?.payload as StoredSession | undefined)?.authorizations ?? {}).map((a) => a.grantId));
    for (const { id } of await payloads.findByAccount('Grant', accountId, now, { createdBefore: options.createdBefore })) {
      if (keptGrants.has(id)) continue;
      await payloads.destroyByGrantId(id);
      await payloads.destroy('Grant', id);
    }
    return { sessions: sessions.length, notified };
  }

  /** Carries out one recorded request; it is removed only once done, so a crash means a retry. */
  async function carryOut(id: number): Promise<{ sessions: number; notified: number } | undefined> {
    const request = await pending.find(id);
    if (!request) return undefined; // another instance did it
    const result = await endAllSessions(request.user_id, { except: request.keep_session_id, createdBefore: Number(request.requested_at) });
    await pending.remove(id);
    return result;
  }

  return {
    endAllSessions,
    /**
     * Records, inside the caller's transaction, that every session of the account must end: the
     * change (a new password, a disabled account) and this promise commit together. Call `carryOut`
     * with the id once committed; if the process dies first, `retryPending` does it.
     */
    requestEndAll: (accountId: string, reason: string, options: { keepSessionId?: string | null } = {}) =>
      pending.add({ user_id: accountId, reason, requested_at: clock.now(), keep_session_id: options.keepSessionId ?? null }),
    carryOut,
    /**
     * Requests left over by a process that stopped between the commit and carrying them out. The
     * sweeper passes a minute (a live instance carries out its own first); a starting process 0.
     */
    async retryPending(olderThanMs = 60_000): Promise<number> {
      const due = await pending.due(clock.now() - olderThanMs);
      for (const request of due) {
        try {
          await carryOut(Number(request.id));
        } catch (err) {
          logger.error({ event: 'sessions.retry_error', err: (err as Error).message }, 'ending sessions failed; will retry');
        }
      }
      return due.length;
    },
    /** Ends every session past its idle or absolute limit, the same way as Sign Out (SPEC §3.7). */
    async expireStale(policy: { idleMs: number; maxMs: number }): Promise<number> {
      const now = clock.now();
      const stale = await payloads.findStale('Session', now - policy.idleMs, now - policy.maxMs);
      for (const { id, payload } of stale) {
        if ((payload as StoredSession).accountId) await end(id, payload as StoredSession);
        else await payloads.destroy('Session', id);
      }
      return stale.length;
    },
    /** Ends the session with this id (the one in a person's cookie): Sign Out, idle expiry. */
    async endSession(id: string): Promise<boolean> {
      const found = await payloads.find('Session', id);
      if (!found || !(found.payload as StoredSession).accountId) return false;
      await end(id, found.payload as StoredSession);
      return true;
    },
  };
}

export type SessionTerminator = ReturnType<typeof createSessionTerminator>;
