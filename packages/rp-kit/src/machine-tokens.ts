import type { RequestHandler, Response } from 'express';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Clock } from './clock.js';
import type { RpLogger } from './relying-party.js';

/**
 * Machine-to-machine calls between the apps, through the portal: an app that offers an API is a
 * resource server for the portal's JWT access tokens (RFC 9068), and an app that calls one gets a
 * client_credentials token with its own client id and secret. The registry's HL7 endpoint and the
 * inventory feed from the registry to VAOS both use these.
 */

/** Thrown for a token that is not accepted: 401 invalid_token, or 403 insufficient_scope (RFC 6750 §3.1). */
export class AccessTokenRefused extends Error {
  constructor(
    readonly error: 'invalid_token' | 'insufficient_scope',
    readonly description: string,
  ) {
    super(description);
  }
}

export interface VerifiedAccessToken {
  clientId: string;
  scopes: string[];
  claims: JWTPayload;
}

export type VerifyAccessToken = (token: string) => Promise<VerifiedAccessToken>;

/**
 * The portal's JWT access tokens for one resource server: `typ: at+jwt`, signed with a key of the
 * portal's JWKS (asymmetric only: no `none`, no HS* — an HS256 token "signed" with the public key
 * is refused), `iss` the portal, `aud` this resource, `scope` containing `scope`, and `client_id`.
 * The JWKS URI comes from the portal's discovery document, read once (again after a failure). The
 * portal unreachable is thrown as is (the caller answers 503: not the sender's fault).
 *
 * Verified tokens are kept until their `exp`: a sender uses one token for many calls, and the RSA
 * check is a tenth of an HL7 message's work. Only successes are kept; the expiry is checked on
 * every use with the same tolerance as jwtVerify's. In memory, bounded, oldest dropped first.
 */
export function createAccessTokenVerifier(options: { issuer: string; audience: string; scope: string; clock: Clock; fetchImpl?: typeof fetch; clockToleranceSeconds?: number }): VerifyAccessToken {
  const { issuer, audience, scope, clock } = options;
  const fetchImpl = options.fetchImpl ?? fetch;
  const toleranceSeconds = options.clockToleranceSeconds ?? 5;
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

  const verified = new Map<string, VerifiedAccessToken>();
  async function verify(token: string): Promise<VerifiedAccessToken> {
    let claims: JWTPayload;
    try {
      const getKey = await jwks();
      ({ payload: claims } = await jwtVerify(token, getKey, {
        issuer, audience, typ: 'at+jwt', algorithms: ['RS256', 'PS256', 'ES256'],
        clockTolerance: toleranceSeconds, currentDate: new Date(clock.now()), requiredClaims: ['exp', 'client_id'],
      }));
    } catch (err) {
      // The portal's keys out of reach is not the caller's fault: the caller's 503, not 401.
      if (err instanceof joseErrors.JWKSTimeout) throw err;
      if (err instanceof joseErrors.JOSEError) throw new AccessTokenRefused('invalid_token', err instanceof joseErrors.JWTExpired ? 'The access token expired.' : 'The access token is invalid.');
      throw err;
    }
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    if (!scopes.includes(scope)) throw new AccessTokenRefused('insufficient_scope', `The access token lacks the ${scope} scope.`);
    const clientId = claims.client_id;
    if (typeof clientId !== 'string' || !clientId) throw new AccessTokenRefused('invalid_token', 'The access token names no client.');
    return { clientId, scopes, claims };
  }

  return async (token) => {
    const kept = verified.get(token);
    if (kept && clock.now() < (kept.claims.exp! + toleranceSeconds) * 1000) return kept;
    if (kept) verified.delete(token);
    const fresh = await verify(token);
    if (verified.size >= maxVerifiedTokens) verified.delete(verified.keys().next().value!);
    verified.set(token, fresh);
    return fresh;
  };
}

const maxVerifiedTokens = 1_000;

/**
 * Express middleware: a bearer token verified by `verify` (and, optionally, `accept`, which may
 * refuse a verified token with AccessTokenRefused) goes to `res.locals.caller`; anything else is
 * answered 401/403 with WWW-Authenticate (RFC 6750), or 503 with Retry-After when the portal's
 * keys cannot be fetched. Answers are text/plain or JSON ({ error, error_description }).
 */
export function requireAccessToken<T>(options: { verify: VerifyAccessToken; accept: (token: VerifiedAccessToken) => T; realm: string; answer: 'text' | 'json'; log: RpLogger; unavailable: string }): RequestHandler {
  const send = (res: Response, status: number, error: string, description: string) => {
    res.status(status).set('cache-control', 'no-store');
    if (options.answer === 'json') res.json({ error, error_description: description });
    else res.type('text/plain').send(`${description}\n`);
  };
  return async (req, res, next) => {
    const refuse = (status: 401 | 403, error: string, description: string) =>
      send(res.set('www-authenticate', `Bearer realm="${options.realm}", error="${error}", error_description="${description.replace(/"/g, "'")}"`), status, error, description);
    const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(req.get('authorization') ?? '');
    if (!match) return refuse(401, 'invalid_token', 'A bearer access token is required.');
    try {
      res.locals.caller = options.accept(await options.verify(match[1]!));
      next();
    } catch (err) {
      if (err instanceof AccessTokenRefused) return refuse(err.error === 'invalid_token' ? 401 : 403, err.error, err.description);
      options.log('error', 'access token verification unavailable', { err: (err as Error)?.message });
      send(res.set('retry-after', '30'), 503, 'temporarily_unavailable', options.unavailable);
    }
  };
}

export class MachineTokenError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'MachineTokenError';
  }
}

export interface MachineTokens {
  /** A live token: the cached one until 30 seconds before it ends, else a new one. */
  token(): Promise<string>;
  /** Drops the cached token (the API answered 401: revoked or expired early). */
  forget(): void;
}

/**
 * An app's own client_credentials tokens at the portal for one resource and scope (RFC 8707
 * `resource`), authenticating with HTTP Basic. The secret never leaves this closure; an error
 * names only the status (the token endpoint's body may echo the request).
 */
export function createMachineTokens(options: { portalUrl: string; clientId: string; clientSecret: string; scope: string; resource: string; clock?: Clock; fetchImpl?: typeof fetch }): MachineTokens {
  const portal = options.portalUrl.replace(/\/+$/, '');
  const doFetch = options.fetchImpl ?? fetch;
  const now = () => (options.clock ?? { now: Date.now }).now();
  let cached: { token: string; expiresAt: number } | undefined;
  return {
    async token() {
      if (cached && cached.expiresAt - 30_000 > now()) return cached.token;
      const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64');
      const res = await doFetch(`${portal}/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: options.scope, resource: options.resource }).toString(),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new MachineTokenError(`token request refused (${res.status})`, res.status);
      const body = (await res.json()) as { access_token?: unknown; expires_in?: unknown };
      if (typeof body.access_token !== 'string') throw new MachineTokenError('token response without access_token');
      const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 60;
      cached = { token: body.access_token, expiresAt: now() + expiresIn * 1000 };
      return cached.token;
    },
    forget() {
      cached = undefined;
    },
  };
}
