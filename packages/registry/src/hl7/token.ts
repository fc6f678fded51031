import { AccessTokenRefused, createAccessTokenVerifier, type Clock, type VerifiedAccessToken, type VerifyAccessToken } from '@portal/rp-kit';

/** What a verified HL7 submission token says: the OAuth client and the organization it submits for. */
export interface Hl7Caller { clientId: string; iisId: string }

export const hl7Scope = 'hl7:submit';

/**
 * The portal's client-credentials access tokens for the HL7 endpoint (rp-kit's verifier: RFC 9068,
 * asymmetric algorithms only, `aud` the registry's HL7 resource, scope hl7:submit), of an
 * organization's HL7 exchange credentials: `iis_id`, the organization bound to the client.
 */
export function createTokenVerifier(options: { issuer: string; audience: string; clock: Clock; fetchImpl?: typeof fetch; clockToleranceSeconds?: number }): VerifyAccessToken {
  return createAccessTokenVerifier({ ...options, scope: hl7Scope });
}

/** The submitting organization, from the token, never from the message (issue 12). */
export function hl7CallerOf(token: VerifiedAccessToken): Hl7Caller {
  const iisId = token.claims.iis_id;
  if (typeof iisId !== 'string' || !/^\d{10}$/.test(iisId)) throw new AccessTokenRefused('insufficient_scope', 'The access token names no organization (iis_id).');
  return { clientId: token.clientId, iisId };
}
