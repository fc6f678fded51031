import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets the portal must read back (an authenticator app's key), sealed with AES-256-GCM under a
 * key kept apart from the rows: `v1.<iv>.<tag>.<ciphertext>`, base64url. What it seals is bound to
 * a purpose (`aad`, e.g. the user's id), so a sealed value copied to another row does not open.
 */
export function createSealer(key: string) {
  const k = createHash('sha256').update(`sealed-v1:${key}`).digest();
  return {
    seal(plain: string, aad: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', k, iv).setAAD(Buffer.from(aad));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    /** undefined for anything that was not sealed here for this purpose. */
    open(sealed: string, aad: string): string | undefined {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(aad));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

export type Sealer = ReturnType<typeof createSealer>;
