import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

/** A resident credential the soft authenticator holds. */
export interface SoftCredential {
  id: string;
  rpId: string;
  userHandle: string;
  privateKey: KeyObject;
  counter: number;
}

/** What a test may bend in one ceremony: another site's origin, no user verification, a counter of its choosing, another credential. */
export interface CeremonyOverrides {
  origin?: string;
  userVerified?: boolean;
  counter?: number;
  credential?: SoftCredential;
  /** Left out of the assertion (an authenticator that does not say whose credential it is). */
  omitUserHandle?: boolean;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest();
const b64 = (data: Uint8Array) => Buffer.from(data).toString('base64url');

/**
 * A WebAuthn authenticator in software for system tests without a browser: ES256 keys, `none`
 * attestation, resident credentials, a signature counter — the bytes a browser would post, built
 * from the options the portal sends, so a test can post them as they are or spoiled. (The browser
 * tests use Chromium's own virtual authenticator instead.)
 */
export function createSoftAuthenticator(defaults: { origin: string }) {
  const credentials: SoftCredential[] = [];

  function authenticatorData(rpId: string, userVerified: boolean, counter: number, attested?: Buffer): Buffer {
    const flags = 0x01 | (userVerified ? 0x04 : 0) | (attested ? 0x40 : 0); // UP, UV, AT
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, attested ?? Buffer.alloc(0)]);
  }

  const clientData = (type: string, challenge: string, origin: string) => Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));

  return {
    credentials,

    /** navigator.credentials.create() for these options; the new credential is kept (resident). */
    register(options: PublicKeyCredentialCreationOptionsJSON, overrides: CeremonyOverrides = {}): RegistrationResponseJSON {
      const rpId = options.rp.id!;
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const jwk = publicKey.export({ format: 'jwk' });
      const cose = isoCBOR.encode(
        new Map<number, number | Uint8Array>([
          [1, 2], // kty: EC2
          [3, -7], // alg: ES256
          [-1, 1], // crv: P-256
          [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
          [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
        ]),
      );
      const id = randomBytes(32);
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(id.length);
      const attested = Buffer.concat([Buffer.alloc(16), idLength, id, Buffer.from(cose)]);
      const counter = overrides.counter ?? 0;
      const authData = authenticatorData(rpId, overrides.userVerified ?? true, counter, attested);
      const attestationObject = isoCBOR.encode(new Map<string, string | Uint8Array | Map<string, string>>([['fmt', 'none'], ['attStmt', new Map<string, string>()], ['authData', new Uint8Array(authData)]]));
      credentials.push({ id: b64(id), rpId, userHandle: options.user.id, privateKey, counter });
      return {
        id: b64(id),
        rawId: b64(id),
        type: 'public-key',
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
        response: { clientDataJSON: b64(clientData('webauthn.create', options.challenge, overrides.origin ?? defaults.origin)), attestationObject: b64(attestationObject), transports: ['internal'] },
      };
    },

    /** navigator.credentials.get(): with the credential named (or the first allowed, or the first held), counter moved on. */
    authenticate(options: PublicKeyCredentialRequestOptionsJSON, overrides: CeremonyOverrides = {}): AuthenticationResponseJSON {
      const allowed = options.allowCredentials?.map((c) => c.id);
      const credential = overrides.credential ?? credentials.find((c) => c.rpId === options.rpId && (!allowed?.length || allowed.includes(c.id)));
      if (!credential) throw new Error('NotAllowedError: no credential for these options');
      // A counter given is a clone's (its own count); the original's goes on from where it was.
      const counter = overrides.counter ?? ++credential.counter;
      const authData = authenticatorData(options.rpId!, overrides.userVerified ?? true, counter);
      const client = clientData('webauthn.get', options.challenge, overrides.origin ?? defaults.origin);
      const signature = sign('sha256', Buffer.concat([authData, sha256(client)]), credential.privateKey); // DER, as authenticators sign
      return {
        id: credential.id,
        rawId: credential.id,
        type: 'public-key',
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
        response: { clientDataJSON: b64(client), authenticatorData: b64(authData), signature: b64(signature), ...(overrides.omitUserHandle ? {} : { userHandle: credential.userHandle }) },
      };
    },
  };
}

export type SoftAuthenticator = ReturnType<typeof createSoftAuthenticator>;
