import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '@portal/rp-kit';

/** What a verified HL7 submission token says: the OAuth client and the organization it submits for. */
export interface Hl7Caller { clientId: string; iisId: string }

/** Thrown for a token that is not accepted: 401 invalid_token, or 403 insufficient_scope (RFC 6750 §3.1). */
export class TokenRefused extends Error {
  constructor(readonly error: 'invalid_token' | 'insufficient_scope', readonly description: string) {
    super(description);
  }
}

export type VerifyToken = (token: string) => Promise<Hl7Caller>;

export const hl7Scope = 'hl7:submit';

/**
 * The portal's client-credentials access tokens (RFC 9068 JWT profile): `typ: at+jwt`, signed with
 * a key of the portal's JWKS (asymmetric only: no `none`, no HS* — an HS256 token "signed" with the
 * public key is refused), `iss` the portal, `aud` the registry's HL7 resource, `scope` containing
 * hl7:submit, `client_id`, and `iis_id`, the organization bound to the client. The JWKS URI comes
 * from the portal's discovery document, read once (again after a failure).
 */
export function createTokenVerifier(options: { issuer: string; audience: string; clock: Clock; fetchImpl?: typeof fetch; clockToleranceSeconds?: number }): VerifyToken {
  const { issuer, audience, clock } = options;
  const fetchImpl = options.fetchImpl ?? fetch;
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const jwks = () => {
    keys ??= (async () => {
      const response = await fetchImpl(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) throw new Error(`discovery answered ${response.status}`);
      const { jwks_uri } = (await response.json()) as { jwks_uri?: string };
      if (!jwks_uri) throw new Error('discovery has no jwks_uri');
      return createRemoteJWKSet(new URL(jwks_uri));
    })().catch((err: unknown) => {
      keys = undefined;
      throw err;
    });
    return keys;
  };
  // Verified tokens until their `exp`: a sender posts many messages with one token, and the RSA
  // check is a tenth of a message's work. Only successes are kept; the expiry is checked on every
  // use with the same tolerance as jwtVerify's. In memory, bounded, oldest dropped first.
  const verified = new Map<string, { caller: Hl7Caller; expiresAtMs: number }>();
  const toleranceMs = (options.clockToleranceSeconds ?? 5) * 1000;
  return async (token) => {
    const kept = verified.get(token);
    if (kept && clock.now() < kept.expiresAtMs + toleranceMs) return kept.caller;
    if (kept) verified.delete(token);
    const caller = await verify(token);
    if (verified.size >= maxVerifiedTokens) verified.delete(verified.keys().next().value!);
    verified.set(token, caller);
    return caller.caller;
  };

  async function verify(token: string): Promise<{ caller: Hl7Caller; expiresAtMs: number }> {
    let payload;
    try {
      const getKey = await jwks();
      ({ payload } = await jwtVerify(token, getKey, {
        issuer, audience, typ: 'at+jwt', algorithms: ['RS256', 'PS256', 'ES256'],
        clockTolerance: options.clockToleranceSeconds ?? 5, currentDate: new Date(clock.now()), requiredClaims: ['exp', 'client_id'],
      }));
    } catch (err) {
      // The portal's keys out of reach is not the caller's fault: 503 below, not 401.
      if (err instanceof joseErrors.JWKSTimeout) throw err;
      if (err instanceof joseErrors.JOSEError) throw new TokenRefused('invalid_token', err instanceof joseErrors.JWTExpired ? 'The access token expired.' : 'The access token is invalid.');
      throw err; // the portal unreachable: not the caller's fault (503)
    }
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    if (!scopes.includes(hl7Scope)) throw new TokenRefused('insufficient_scope', `The access token lacks the ${hl7Scope} scope.`);
    const iisId = payload.iis_id;
    if (typeof iisId !== 'string' || !/^\d{10}$/.test(iisId)) throw new TokenRefused('insufficient_scope', 'The access token names no organization (iis_id).');
    const clientId = payload.client_id;
    if (typeof clientId !== 'string' || !clientId) throw new TokenRefused('invalid_token', 'The access token names no client.');
    return { caller: { clientId, iisId }, expiresAtMs: payload.exp! * 1000 };
  }
}

const maxVerifiedTokens = 1_000;
