import express, { type Router } from 'express';
import { PortalError } from '../libraries/errors.js';

/** The longest address the 303 below sends a browser to (Node refuses request heads over 16 KiB). */
const maxRedirectLength = 8192;

/**
 * POST at the authorization endpoint (OpenID Connect Core 1.0 §3.1.2.1: GET and POST) and at the
 * end-session endpoint (RP-Initiated Logout 1.0 §2). oidc-provider serves POST only when its
 * cookies are `SameSite=None`: a cross-site form POST carries no `Lax` cookie, so it would not see
 * the SSO session. We keep `Lax` (CSRF defence for the session cookie; browsers refuse `None`
 * without HTTPS) and answer the POST with a 303 to the same endpoint as GET with the same
 * parameters: the browser follows it as a top-level GET, which carries the session cookie, so SSO,
 * `prompt=none` and sign-out behave exactly as with GET, and every check stays oidc-provider's.
 */
export function createOidcPostRoutes(): Router {
  const router = express.Router();
  const formBody = express.text({ type: 'application/x-www-form-urlencoded', limit: '16kb' });
  router.post(['/auth', '/session/end'], formBody, (req, res) => {
    if (!req.is('application/x-www-form-urlencoded') || typeof req.body !== 'string') {
      throw new PortalError('request.form_expected', 400);
    }
    // Parsed and serialised again: what reaches the query string is well-formed, duplicates kept
    // (oidc-provider refuses those with invalid_request, as it does for GET).
    const target = `${req.path}?${new URLSearchParams(req.body).toString()}`;
    // The browser must be able to follow the 303: Node (ours, and most servers) refuses a request
    // line and headers over 16 KiB, and the client may refuse such a Location. A request this large
    // is not a sign-in; an app with many parameters pushes them (PAR, /request) instead.
    if (target.length > maxRedirectLength) throw new PortalError('request.too_large', 413);
    res.set('cache-control', 'no-store');
    res.redirect(303, target);
  });
  return router;
}
