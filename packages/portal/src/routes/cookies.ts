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

/** The flows whose id the browser carries in a cookie of the portal's own (config.cookieNames). */
export type FlowCookie = 'recovery' | 'emailChange';

export function readFlowCookie(req: Request, config: PortalConfig, flow: FlowCookie): string | undefined {
  return readCookie(req, config.cookieNames[flow]);
}

/**
 * A cookie that only the portal's own pages read: HttpOnly (no script can read it: XSS), SameSite=Lax
 * (not sent on another site's POST: CSRF), Path=/ and, over https, Secure with the `__Host-` name.
 */
export function setFlowCookie(res: Response, config: PortalConfig, flow: FlowCookie, value: string, maxAgeMs: number): void {
  res.cookie(config.cookieNames[flow], value, { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/', maxAge: maxAgeMs });
}

export function clearFlowCookie(res: Response, config: PortalConfig, flow: FlowCookie): void {
  res.clearCookie(config.cookieNames[flow], { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/' });
}
