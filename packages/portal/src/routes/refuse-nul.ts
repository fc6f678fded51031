import type { RequestHandler } from 'express';
import { PortalError } from '../libraries/errors.js';
import { containsNul } from '../libraries/contains-nul.js';
import type { PortalCookieNames } from '../config/cookie-names.js';

/**
 * Input with a NUL character is refused at the edge with a 400 before any work (SPEC §7: bad input
 * gets a clear message and changes nothing): PostgreSQL cannot store or compare it, so letting it
 * reach a query would be a 500 there and a different answer on SQLite. The address (path and
 * query, as sent: `%00` is how a URL carries NUL) and the portal's cookies are checked here for every
 * request; bodies by `withoutNul` around each body parser; what oidc-provider parses itself (its
 * bodies, Basic credentials) by its adapter (oidc/adapter.ts).
 */
export function refuseNul(options: { protocolJson: (path: string) => boolean; cookieNames: PortalCookieNames }): RequestHandler {
  // Only the portal's own cookies (their names from config, so `__Host-…` behind TLS) reach its
  // code, oidc-provider's signatures (`<name>.sig`) included: an app on the same host may set
  // whatever it likes in its own, and that must not lock its users out of the portal.
  const own = new Set(Object.values(options.cookieNames).flatMap((name) => [name, `${name}.sig`]));
  const portalCookies = (header: string | undefined) => (header ?? '').split(';').filter((part) => own.has(part.slice(0, Math.max(0, part.indexOf('='))).trim()));
  return (req, res, next) => {
    if (!carriesNul(req.originalUrl) && !portalCookies(req.headers.cookie).some(carriesNul)) return next();
    // Relying parties' machine endpoints speak OAuth (RFC 6749 §5.2), not the portal's pages.
    if (options.protocolJson(req.path)) {
      res.status(400).set('cache-control', 'no-store').json({ error: 'invalid_request', error_description: 'the request contains a NUL character' });
      return;
    }
    next(new PortalError('request.invalid', 400));
  };
}

/** A body parser whose result is refused (400) when it holds a NUL anywhere. */
export function withoutNul(parser: RequestHandler): RequestHandler {
  return (req, res, next) =>
    parser(req, res, (err?: unknown) => {
      if (err) return next(err);
      next(containsNul(req.body) ? new PortalError('request.invalid', 400) : undefined);
    });
}

// Literally (a header cannot hold one, a proxy might pass one) or percent-encoded.
const carriesNul = (raw: string) => raw.includes('\u0000') || raw.includes('%00');
