import * as oidc from 'openid-client';
import { startBackchannelReceiver, startTestPortal, type TestPortal } from './index.js';

/**
 * What many system tests start from: a test portal, an app registered with it (ImmTrac2, its
 * back-channel logout endpoint a recording receiver) and that app's openid-client configuration.
 * The app itself does not run: its redirect URI only receives the browser's last hop.
 */
export interface PortalWithApp {
  t: TestPortal;
  receiver: Awaited<ReturnType<typeof startBackchannelReceiver>>;
  app: oidc.Configuration;
  clientId: string;
  appUrl: string;
  /** An authorization request of the app (PKCE with a fixed challenge: the code is never redeemed). */
  authUrl(scope?: string): string;
  close(): Promise<void>;
}

export async function startPortalWithApp(options: Parameters<typeof startTestPortal>[0] & { appUrl?: string } = {}): Promise<PortalWithApp> {
  const appUrl = options.appUrl ?? 'http://127.0.0.1:3990';
  const receiver = await startBackchannelReceiver();
  const t = await startTestPortal({ ...options, env: { BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: receiver.url, ...options.env } });
  const c = await t.directory.createClient({ name: 'ImmTrac2', redirectUris: [`${appUrl}/callback`], backchannelLogoutUri: `${receiver.url}/bcl` });
  const app = await oidc.discovery(new URL(t.url), c.client_id, c.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
  return {
    t,
    receiver,
    app,
    clientId: c.client_id,
    appUrl,
    authUrl: (scope = 'openid') => oidc.buildAuthorizationUrl(app, { redirect_uri: `${appUrl}/callback`, scope, code_challenge: 'f'.repeat(43), code_challenge_method: 'S256' }).href,
    async close() {
      await t.close();
      await receiver.close();
    },
  };
}
