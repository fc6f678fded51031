import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { ExternalSigningKey } from 'oidc-provider';

interface RingKey {
  kid: string;
  publicJwk: { kty: 'RSA'; n: string; e: string; kid: string; alg: 'RS256'; use: 'sig' };
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** How many keys oidc-provider can verify its own tokens with (id_token_hint): the newest ones. */
const slotCount = 8;

/**
 * The signing keys as every instance sees them in the database, swapped in while the process runs:
 * `keys:rotate` on one instance, and within KEYS_REFRESH_SECONDS every instance signs with the new
 * key and publishes it, without a restart (issue #9).
 *
 * oidc-provider reads its keys once, at construction. So it is given a fixed row of slots instead
 * (its ExternalSigningKey, the interface meant for keys held in a KMS): slot 0 is always the newest
 * key, slot 1 the one before, and so on. It signs with the first slot and verifies by kid, so
 * whatever the ring holds at that moment is what it uses. `/jwks` is answered from the ring too
 * (`jwks()`), since oidc-provider's own copy of the set is the one from start-up.
 */
export function createKeyRing(initial: JWK[]) {
  let keys = initial.map(toRingKey);
  if (keys.length === 0) throw new Error('key ring: no signing key');
  let published = JSON.stringify({ keys: keys.map((k) => k.publicJwk) });

  class Slot extends ExternalSigningKey {
    constructor(private readonly index: number) {
      super();
    }
    private get key(): RingKey | undefined {
      return keys[this.index];
    }
    // An empty slot matches no token (its kid is not one we ever issued); it mirrors slot 0's
    // public numbers only so oidc-provider's start-up checks pass.
    override get kid(): string {
      return this.key?.kid ?? `unused-slot-${this.index}`;
    }
    override set kid(_value: string) {
      // oidc-provider assigns a kid only to keys without one; ours always have one.
    }
    override get alg(): string {
      return 'RS256';
    }
    override set alg(_value: string) {}
    override get kty(): string {
      return 'RSA';
    }
    override get n(): string {
      return (this.key ?? keys[0]!).publicJwk.n;
    }
    override get e(): string {
      return (this.key ?? keys[0]!).publicJwk.e;
    }
    override keyObject(): KeyObject {
      return (this.key ?? keys[0]!).publicKey;
    }
    override sign(data: Uint8Array): Uint8Array {
      const key = this.key;
      if (!key) throw new Error(`key ring: slot ${this.index} is empty`);
      return sign('sha256', data, key.privateKey); // RS256: RSASSA-PKCS1-v1_5 with SHA-256
    }
  }

  return {
    /** What oidc-provider's `jwks.keys` is configured with. */
    slots: Array.from({ length: slotCount }, (_, i) => new Slot(i)),
    /** The public JWKS, newest first, as `/jwks` serves it (a string: built once per change). */
    jwks: (): string => published,
    currentKid: (): string => keys[0]!.kid,
    /** Replaces the ring with the database's keys (newest first); unchanged sets cost nothing. */
    replace(jwks: JWK[]): boolean {
      if (jwks.length === 0) return false;
      const kids = jwks.map((k) => k.kid).join(',');
      if (kids === keys.map((k) => k.kid).join(',')) return false;
      keys = jwks.map(toRingKey);
      published = JSON.stringify({ keys: keys.map((k) => k.publicJwk) });
      return true;
    },
  };
}

export type KeyRing = ReturnType<typeof createKeyRing>;

function toRingKey(jwk: JWK): RingKey {
  if (jwk.kty !== 'RSA' || !jwk.kid || !jwk.n || !jwk.e) throw new Error('key ring: signing keys are RS256 JWKs with a kid');
  const privateKey = createPrivateKey({ key: jwk as never, format: 'jwk' });
  return {
    kid: jwk.kid,
    publicJwk: { kty: 'RSA', n: jwk.n, e: jwk.e, kid: jwk.kid, alg: 'RS256', use: 'sig' },
    privateKey,
    publicKey: createPublicKey(privateKey),
  };
}
