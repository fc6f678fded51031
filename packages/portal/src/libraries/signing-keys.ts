import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { KeyQueries } from '../queries/keys.js';
import { randomToken } from './secrets.js';

/**
 * Signing keys live in the database so every instance publishes and uses the same set.
 * Rotation adds a key and keeps the old ones published: tokens already issued keep verifying.
 */
export function createSigningKeys(deps: { keys: KeyQueries; now: () => number }) {
  async function generate(): Promise<string> {
    const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const jwk: JWK = { ...(await exportJWK(privateKey)), kid: randomToken(12), alg: 'RS256', use: 'sig' };
    await deps.keys.insertSigningKey({ kid: jwk.kid!, private_jwk: JSON.stringify(jwk), created_at: deps.now() });
    return jwk.kid!;
  }

  return {
    rotate: generate,
    /** The JWKS oidc-provider signs with: newest first. Creates the first key on a fresh database. */
    async load(): Promise<JWK[]> {
      let rows = await deps.keys.listSigningKeys();
      if (rows.length === 0) {
        await generate();
        rows = await deps.keys.listSigningKeys();
      }
      return rows.map((r) => JSON.parse(r.private_jwk) as JWK);
    },
  };
}
