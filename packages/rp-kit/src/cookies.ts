import type { Request, Response } from 'express';

/** Reads one cookie from the request; express has no cookie parser of its own. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface CookiePolicy {
  /** Secure (and the `__Host-` name prefix) when the app is served over https. */
  secure: boolean;
}

/**
 * Every rp-kit cookie is HttpOnly (no script reads it, XSS cannot steal it), SameSite=Lax (not sent
 * on cross-site POSTs: CSRF) and Secure behind TLS. The `__Host-` prefix pins it to this origin.
 */
export function cookieName(policy: CookiePolicy, name: string): string {
  return policy.secure ? `__Host-${name}` : name;
}

/** Without `maxAgeMs` the cookie ends with the browser session. */
export function setCookie(res: Response, policy: CookiePolicy, name: string, value: string, maxAgeMs: number | undefined): void {
  res.cookie(cookieName(policy, name), value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: policy.secure,
    path: '/',
    ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs }),
  });
}

export function clearCookie(res: Response, policy: CookiePolicy, name: string): void {
  res.clearCookie(cookieName(policy, name), { httpOnly: true, sameSite: 'lax', secure: policy.secure, path: '/' });
}
