import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const version = 'v1';

/**
 * Encrypts the access tokens kept in app sessions (AES-256-GCM) under a key derived from the
 * client secret (HKDF-SHA256), so the app database alone — a backup, a dump, a read-only SQL
 * injection — yields no token that calls the portal's API. Each sealed value is bound to its
 * session row (`boundTo` as associated data): copied into another row, it does not open.
 * A new client secret makes the old values unreadable, which only means renewing them.
 */
export function createTokenSeal(clientSecret: string, clientId: string) {
  const key = Buffer.from(hkdfSync('sha256', clientSecret, 'rp-kit token seal', `access token of ${clientId}`, 32));

  return {
    seal(token: string, boundTo: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(boundTo));
      const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
      return `${version}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
    },

    /** The token, or undefined when the value was altered, moved, or sealed under another secret. */
    open(sealed: string, boundTo: string): string | undefined {
      const [v, payload] = sealed.split('.');
      if (v !== version || !payload) return undefined;
      const raw = Buffer.from(payload, 'base64url');
      if (raw.length < 12 + 16) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12)).setAAD(Buffer.from(boundTo));
        decipher.setAuthTag(raw.subarray(raw.length - 16));
        return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

export type TokenSeal = ReturnType<typeof createTokenSeal>;
