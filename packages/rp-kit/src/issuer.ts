import * as oidc from 'openid-client';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';

export interface IssuerConnection {
  config: oidc.Configuration;
  /** The portal's published signing keys, refetched when an unknown key id appears (rotation). */
  jwks: JWTVerifyGetKey;
}

/**
 * Discovery happens on first need, not at start: the apps may start before the portal is up.
 * A failed discovery is forgotten, so the next request tries again.
 */
export function createIssuerConnection(options: { issuerUrl: string; clientId: string; clientSecret: string }) {
  const issuer = new URL(options.issuerUrl);
  let pending: Promise<IssuerConnection> | undefined;

  async function discover(): Promise<IssuerConnection> {
    const config = await oidc.discovery(issuer, options.clientId, undefined, oidc.ClientSecretBasic(options.clientSecret), {
      // Plain http only for a development issuer on http (PORTAL_URL); https everywhere else.
      execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
      timeout: 10,
    });
    const jwksUri = config.serverMetadata().jwks_uri;
    if (!jwksUri) throw new Error('the issuer publishes no jwks_uri');
    return { config, jwks: createRemoteJWKSet(new URL(jwksUri)) };
  }

  return {
    get(): Promise<IssuerConnection> {
      pending ??= discover().catch((err: unknown) => {
        pending = undefined;
        throw err;
      });
      return pending;
    },
  };
}

export type IssuerConnector = ReturnType<typeof createIssuerConnection>;
