import type { PortalConfig } from '../config/index.js';
import type { ClientQueries } from '../queries/clients.js';

/**
 * The portal's own pages (home, My Profile, security questions) sign people in through the same
 * OIDC front door as the apps, as a first-party client using response_type `none`: the person
 * meets the same sign-in, lockout and steps, and the portal reads the resulting SSO session.
 */
export const portalClientId = 'enterprise-portal';

export function portalRedirects(config: PortalConfig) {
  return { signedIn: `${config.portalUrl}/signed-in`, signedOut: `${config.portalUrl}/signed-out` };
}

export async function ensurePortalClient(clients: ClientQueries, config: PortalConfig, now: number): Promise<void> {
  const { signedIn, signedOut } = portalRedirects(config);
  const metadata = {
    client_id: portalClientId,
    client_name: 'HHS Enterprise Portal',
    grant_types: [],
    response_types: ['none'],
    redirect_uris: [signedIn],
    post_logout_redirect_uris: [signedOut],
    token_endpoint_auth_method: 'none',
  };
  await clients.upsert({ client_id: portalClientId, name: 'HHS Enterprise Portal', app: null, secret_hash: null, metadata: JSON.stringify(metadata), created_at: now });
}
