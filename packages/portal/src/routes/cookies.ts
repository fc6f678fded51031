import type { Request, Response } from 'express';
import type { PortalConfig } from '../config/index.js';

/** Reads one cookie from the request (express 5 does not parse cookies by itself). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** A cookie that only the portal's own pages read: HttpOnly, SameSite=Lax, Secure behind https. */
export function setFlowCookie(res: Response, config: PortalConfig, name: string, value: string, maxAgeMs: number): void {
  res.cookie(name, value, { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/', maxAge: maxAgeMs });
}

export function clearFlowCookie(res: Response, config: PortalConfig, name: string): void {
  res.clearCookie(name, { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/' });
}
