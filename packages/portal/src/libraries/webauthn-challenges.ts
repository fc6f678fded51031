import type { FlowStore } from './flow-store.js';
import { ceremonyTimeoutMs } from './factors/passkeys.js';
import { PortalError } from './errors.js';

/** What a challenge was made for: adding a passkey (My Profile), the second factor, or a sign-in without a password. */
export type ChallengePurpose = 'register' | 'second_factor' | 'sign_in';

interface ChallengeData {
  purpose: ChallengePurpose;
  challenge: string;
  /** For a registration: the SSO session that asked, so another session of the same person cannot finish it. */
  sessionId?: string;
}

export interface ChallengeBinding {
  purpose: ChallengePurpose;
  /** The person it was made for (registration, second factor); null for a sign-in without a password. */
  userId: string | null;
  /** The sign-in (oidc-provider interaction) it belongs to. */
  interactionUid?: string;
  sessionId?: string;
}

const kind = 'webauthn';
const waiting = 'awaiting_response';
// A little longer than the ceremony may take, so a slow fingerprint is not refused for our clock.
const ttlMs = ceremonyTimeoutMs + 60_000;
/** The flow store's "expired" and "replayed" mean no challenge here; anything else (the database) is an error. */
const refused = (err: unknown): undefined => {
  if (err instanceof PortalError) return undefined;
  throw err;
};

/**
 * WebAuthn challenges kept on the server as stored flow records (STYLE: a flow is a record with a
 * named state): random (the library's 32 bytes), bound to what they were made for (the sign-in's
 * interaction, or the person and their session), short-lived, and used once — taking one is a
 * compare-and-set on its state, so of two posts of the same answer (a replay, a double click, two
 * instances) exactly one gets the challenge and the other nothing. The browser carries only the
 * record's id. Nothing here is logged or audited: a challenge is a nonce, not a secret, but the
 * audit has no use for it.
 */
export function createWebAuthnChallenges(deps: { flows: FlowStore }) {
  const { flows } = deps;
  return {
    async issue(challenge: string, binding: ChallengeBinding): Promise<string> {
      const data: ChallengeData = { purpose: binding.purpose, challenge, ...(binding.sessionId ? { sessionId: binding.sessionId } : {}) };
      const flow = await flows.start<ChallengeData>({ kind, state: waiting, ttlMs, userId: binding.userId, interactionUid: binding.interactionUid ?? null, data });
      return flow.id;
    },

    /**
     * The challenge, once, if `id` names a live one made for exactly this binding; otherwise
     * undefined (unknown, expired, already used, or made for another sign-in, person or session).
     */
    async take(id: unknown, binding: ChallengeBinding): Promise<string | undefined> {
      if (typeof id !== 'string' || !id || id.length > 64) return undefined;
      const flow = await flows.load<ChallengeData>(id, kind).catch(refused);
      if (!flow || flow.state !== waiting) return undefined;
      const d = flow.data;
      const bound =
        d.purpose === binding.purpose &&
        flow.userId === binding.userId &&
        flow.interactionUid === (binding.interactionUid ?? null) &&
        (d.sessionId ?? null) === (binding.sessionId ?? null);
      if (!bound) return undefined;
      const taken = await flows.advance(flow, 'used').catch(refused);
      if (!taken) return undefined;
      await flows.end(taken);
      return d.challenge;
    },
  };
}

export type WebAuthnChallenges = ReturnType<typeof createWebAuthnChallenges>;
