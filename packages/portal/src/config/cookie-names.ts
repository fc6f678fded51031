/**
 * The name of every cookie the portal sets, chosen here once (from PORTAL_URL's scheme, in
 * loadConfig) so that the code that writes a cookie and the code that reads it cannot disagree.
 *
 * Over https each name carries a prefix the browser enforces (RFC 6265bis §4.1.3): `__Host-` is
 * kept only if the cookie is Secure, has Path=/ and no Domain, so no other host (a sibling
 * subdomain, a plain-http man in the middle) can set or overwrite it — session fixation and
 * cookie tossing. oidc-provider scopes two of its cookies to one interaction's path
 * (`interaction`: /interaction/<uid>, `resume`: /auth/<uid>; lib/actions/authorization/
 * interactions.js), which `__Host-` forbids: those get `__Secure-` (Secure required, set only
 * from https). Over plain http (development) a prefixed cookie would be dropped by the browser,
 * so the names stay bare there.
 */
export interface PortalCookieNames {
  /** oidc-provider's SSO session (Path=/), signed: its signature is `<name>.sig`. */
  readonly session: string;
  /** oidc-provider's interaction id, Path=/interaction/<uid>. */
  readonly interaction: string;
  /** oidc-provider's "resume this authorization" id, Path=/auth/<uid>. */
  readonly resume: string;
  /** The chosen language (@portal/common's page context). */
  readonly lang: string;
  /** The Forgot Password flow's id. */
  readonly recovery: string;
  /** The pending email change's id. */
  readonly emailChange: string;
}

export function portalCookieNames(https: boolean): PortalCookieNames {
  const host = (name: string) => (https ? `__Host-${name}` : name);
  const secure = (name: string) => (https ? `__Secure-${name}` : name);
  return Object.freeze({
    session: host('portal.session'),
    interaction: secure('portal.interaction'),
    resume: secure('portal.resume'),
    lang: host('portal.lang'),
    recovery: host('portal.recovery'),
    emailChange: host('portal.email-change'),
  });
}
