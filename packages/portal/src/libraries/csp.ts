/**
 * The CSP's `form-action` is strict (the portal and the configured apps). A form whose answer is a
 * redirect to an app — a finished sign-in, a confirmed sign-out — needs that app's origin too;
 * callers pass only a URI oidc-provider has already matched against the client's registration.
 */
export function allowFormActionOrigin(csp: string, uri: unknown): string {
  if (typeof uri !== 'string') return csp;
  let origin: string;
  try {
    origin = new URL(uri).origin;
  } catch {
    return csp;
  }
  if (origin === 'null') return csp;
  return csp.replace(/form-action ([^;]*)/, (_m, list: string) => (list.split(' ').includes(origin) ? `form-action ${list}` : `form-action ${list} ${origin}`));
}
