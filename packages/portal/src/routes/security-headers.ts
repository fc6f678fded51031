import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { PortalConfig } from '../config/index.js';

/** Sets the HTML pages' security headers on a response (synchronously), whoever renders the page. */
export type SecurityHeaders = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The headers every HTML answer carries (SPEC §7, issue 14): a CSP without inline script or style
 * and with `frame-ancestors 'none'` (clickjacking), Referrer-Policy, nosniff, HSTS behind TLS.
 * The portal's pages get them from the app; the machine paths skip the app's copy (issue #9:
 * their JSON needs none), so an HTML error page there — oidc-provider's renderError, the error
 * handler — sets them itself through this same function.
 */
export function createSecurityHeaders(config: PortalConfig) {
  const middleware = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        // USWDS's web fonts, served by the portal itself.
        fontSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        // The CAPTCHA's recording (<audio src>, same origin); no other media anywhere.
        mediaSrc: ["'self'"],
        scriptSrc: ["'self'"],
        formAction: ["'self'", ...appOrigins(config)],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        connectSrc: ["'self'"],
      },
    },
    strictTransportSecurity: config.secureCookies,
  });
  // helmet sets every header before calling next, so the headers are on `res` when this returns.
  const apply: SecurityHeaders = (req, res) => middleware(req, res, () => {});
  return { middleware, apply };
}

/** The apps' origins: RP-initiated logout and form_post send the browser there. */
function appOrigins(config: PortalConfig): string[] {
  return Object.values(config.apps).map((a) => new URL(a.url).origin);
}
