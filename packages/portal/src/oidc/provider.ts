import { t } from '../locales/portal.js';
import { randomBytes } from 'node:crypto';
import { html } from '@portal/common';
import Provider, { type Configuration, type KoaContextWithOIDC, errors, interactionPolicy } from 'oidc-provider';
import { aal2, acrValues, secondFactorRequired } from '../libraries/assurance.js';
import type { KeyRing } from './key-ring.js';
import { originAllowed, type PortalConfig } from '../config/index.js';
import type { Logger } from '../libraries/logger.js';
import type { Clock } from '../libraries/clock.js';
import { safeEqual, sha256Hex } from '../libraries/secrets.js';
import type { UserQueries } from '../queries/users.js';
import type { OrgQueries } from '../queries/orgs.js';
import type { OidcPayloadQueries } from '../queries/oidc-payloads.js';
import type { ClientQueries } from '../queries/clients.js';
import { createAdapterClass } from './adapter.js';
import { adminApiResource, claimsByScope, hl7SubmitScope, inventoryAdministeredScope, orgBindingProperty, supportedScopes, userClaims } from './claims.js';
import { apiScopeNames, memberScope } from '../libraries/administration/actors.js';
import { logoutConfirmPage, messagePage, oauthErrorPage, signingOutPage } from '../views/message.js';
import { entitledApps, isAppName, refusalFor } from '../libraries/entitlements.js';
import { allowFormActionOrigin } from '../libraries/csp.js';
import type { SecurityHeaders } from '../routes/security-headers.js';

export interface ProviderDeps {
  config: PortalConfig;
  logger: Logger;
  clock: Clock;
  users: UserQueries;
  orgs: OrgQueries;
  payloads: OidcPayloadQueries;
  clients: ClientQueries;
  /** The signing keys, swapped in as they rotate (oidc/key-ring.ts). */
  keyRing: KeyRing;
  cookieKeys: string[];
  /** The HTML pages' security headers, for the pages oidc-provider renders on the machine paths. */
  securityHeaders: SecurityHeaders;
}

/**
 * oidc-provider owns the protocol (SPEC §4). This file only configures it: storage, accounts,
 * claims, token lifetimes, the pages it renders, and the one deliberate exception to its SSRF guard.
 */
/**
 * oidc-provider's prompts, plus one check: a signed-in person whose session has no second factor is
 * asked for one when this sign-in needs it (an app's `acr_values`, staff, the registry's state-wide
 * role when the policy says so) — a step-up at the second factor, not a new password.
 */
function loginPolicy(deps: Pick<ProviderDeps, 'users' | 'config'>) {
  const { Check } = interactionPolicy;
  const policy = interactionPolicy.base();
  policy.get('login')!.checks.add(
    new Check('second_factor_required', 'a second factor is required for this sign-in', async (ctx) => {
      const { oidc } = ctx;
      const accountId = oidc.session?.accountId;
      if (!accountId || oidc.acr === aal2) return Check.NO_NEED_TO_PROMPT;
      // Staff are held to AAL2 at sign-in and by the consoles; here, what the app asks and the registry rule.
      const required = await secondFactorRequired(
        deps.config.mfa,
        { acrValues: oidc.params?.acr_values, clientApp: async () => (oidc.client as { app?: unknown } | undefined)?.app },
        undefined,
        async () => (await deps.users.findWithMemberships(accountId))?.memberships ?? [],
      );
      return required ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
    }),
  );
  return policy;
}

export function createProvider(deps: ProviderDeps): Provider {
  const { config, logger } = deps;
  const secure = config.secureCookies;
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure, signed: true };
  const adminResource = adminApiResource(config.portalUrl);
  const adminScopes = new Set<string>(apiScopeNames);
  const hl7Resource = config.hl7Resource;
  const inventoryResource = config.inventoryResource;
  /** The organization an HL7 credential is bound to, from its stored metadata (never the request). */
  const boundIisId = (client: { [key: string]: unknown } | undefined): string | undefined => {
    const value = client?.[orgBindingProperty];
    return typeof value === 'string' && /^\d{10}$/.test(value) ? value : undefined;
  };

  const configuration: Configuration = {
    adapter: createAdapterClass({
      ...deps,
      sessionPolicy: { idleMs: config.sessionIdleMinutes * 60_000, maxMs: config.sessionMaxHours * 3600_000 },
    }),
    jwks: { keys: deps.keyRing.slots },
    cookies: {
      keys: deps.cookieKeys,
      long: cookieOptions,
      short: cookieOptions,
      // `__Host-` for the session, `__Secure-` for the two path-scoped ones, over https (config/cookie-names.ts).
      names: { session: config.cookieNames.session, interaction: config.cookieNames.interaction, resume: config.cookieNames.resume },
    },
    scopes: supportedScopes,
    claims: Object.fromEntries(Object.entries(claimsByScope).map(([k, v]) => [k, [...v]])),
    conformIdTokenClaims: false, // apps read name and orgs from the ID token without a userinfo call

    // Claims are read with the account (one statement): every caller of findAccount on the token
    // and userinfo paths asks for them next.
    async findAccount(_ctx, sub) {
      const found = await deps.users.findWithMemberships(sub);
      if (!found || found.user.disabled_at) return undefined;
      const claims = userClaims(found.user, found.memberships);
      return { accountId: found.user.id, claims: async () => claims };
    },

    // `previous_secret` ("hash.expiresAt") is set by the adapter while a rotated secret still works.
    // `org_iis_id`: the organization an HL7 exchange credential submits for (hl7-credentials.ts).
    extraClientMetadata: { properties: ['app', 'previous_secret', orgBindingProperty] },
    // `none` only for the portal's own client: it establishes the SSO session and returns, no tokens.
    responseTypes: ['code', 'none'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    // Asymmetric only: client secrets are stored hashed, so they can never be HMAC keys.
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256'],
      userinfoSigningAlgValues: ['RS256'],
      introspectionSigningAlgValues: ['RS256'],
      authorizationSigningAlgValues: ['RS256'],
    },
    pkce: { required: (_ctx, client) => config.pkceRequired === 'all' || client.clientAuthMethod === 'none' },

    features: {
      devInteractions: { enabled: false },
      // How the key ring hands oidc-provider keys that change while it runs (oidc/key-ring.ts).
      externalSigningSupport: { enabled: true, ack: 'experimental-01' },
      clientCredentials: { enabled: true },
      // A client may introspect or revoke its own tokens; the registry app may also introspect the
      // machine (client_credentials) tokens presented to its HL7 endpoint (SPEC §5).
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId || client['app'] === 'registry',
      },
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      userinfo: { enabled: true },
      // RFC 8707, two resource servers. The registry's HL7 endpoint (HL7_RESOURCE, issue 12): only a
      // client_credentials client registered for `hl7:submit` and bound to an organization (its
      // `org_iis_id` metadata, set by hl7-credentials.ts) gets a token for it, a JWT (RFC 9068,
      // RS256 with the portal's signing keys) the registry verifies against the JWKS on its own;
      // extraTokenClaims adds the organization. Everything else asking for it is an invalid target.
      // The admin API: its machine tokens are client_credentials
      // tokens whose `aud` is its URL and whose scopes are the admin scopes the client is registered
      // for (its `scope` metadata; a client without any is refused, so no machine client gets admin
      // scopes by default). A person's token for it exists for one thing only: an app registered for
      // `org:members` (the registry's "Manage Users") may ask in a sign-in — and then at the code
      // exchange or a refresh — for a token with `org:members` alone, so the person manages their
      // organizations' users as themselves (org-members.ts decides which, from the database). Any
      // other sign-in or refresh asking for this resource is refused. Opaque, so the API looks each
      // one up (revocation and the end of the session take effect at once).
      resourceIndicators: {
        enabled: true,
        async getResourceServerInfo(ctx, resourceIndicator, client) {
          const { route, params } = ctx.oidc;
          if (resourceIndicator === hl7Resource) {
            const machine = route === 'token' && params?.grant_type === 'client_credentials';
            if (!machine || !(client.scope ?? '').split(' ').includes(hl7SubmitScope) || !boundIisId(client)) {
              throw new errors.InvalidTarget(`the HL7 endpoint accepts client_credentials tokens of an organization's HL7 exchange credentials only`);
            }
            return { scope: hl7SubmitScope, audience: hl7Resource, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
          }
          // VAOS's inventory API (INVENTORY_RESOURCE): the registry's own client_credentials token
          // for feeding it doses given, a JWT VAOS verifies against the JWKS.
          if (resourceIndicator === inventoryResource) {
            const machine = route === 'token' && params?.grant_type === 'client_credentials';
            if (!machine || !(client.scope ?? '').split(' ').includes(inventoryAdministeredScope)) {
              throw new errors.InvalidTarget(`the inventory API accepts client_credentials tokens of a client registered for ${inventoryAdministeredScope} only`);
            }
            return { scope: inventoryAdministeredScope, audience: inventoryResource, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
          }
          if (resourceIndicator !== adminResource) throw new errors.InvalidTarget();
          if (route === 'token' && params?.grant_type === 'client_credentials') {
            const allowed = (client.scope ?? '').split(' ').filter((s) => adminScopes.has(s));
            if (!allowed.length) throw new errors.InvalidTarget('this client is not registered for the admin API');
            return { scope: allowed.join(' '), audience: adminResource, accessTokenFormat: 'opaque' };
          }
          const signIn = ['authorization', 'resume', 'pushed_authorization_request'].includes(route) || (route === 'token' && ['authorization_code', 'refresh_token'].includes(String(params?.grant_type)));
          if (!signIn || !(client.scope ?? '').split(' ').includes(memberScope)) {
            throw new errors.InvalidTarget(`the admin API accepts client_credentials tokens, and a person's ${memberScope} token from an app registered for it`);
          }
          return { scope: memberScope, audience: adminResource, accessTokenFormat: 'opaque' };
        },
      },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.type = 'html';
          // The hint names the person signed in here (oidc-provider has checked its signature and
          // client): their app sent them, so no second question. Someone else's token (a link an
          // attacker made with their own) still gets the question: no logout CSRF.
          const hint = ctx.oidc.entities.IdTokenHint as { payload?: { sub?: unknown } } | undefined;
          const own = hint?.payload?.sub !== undefined && hint.payload.sub === ctx.oidc.session?.accountId;
          ctx.body = own
            ? signingOutPage({ form, appName: ctx.oidc.client?.clientName, supportContact: config.supportContact })
            : logoutConfirmPage({ form, supportContact: config.supportContact });
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = messagePage({
            title: t('signedOut.title'),
            message: t('signedOut.message'),
            supportContact: config.supportContact,
            extra: html`<p><a class="usa-button" href="/login">${t('common.signIn')}</a></p>`,
          });
        },
      },
    },

    // The submitting organization of an HL7 token (issue 12: "from the token, never from the
    // message"): only in a client_credentials token for the HL7 resource, from the client's metadata.
    async extraTokenClaims(_ctx, token) {
      if (token.kind !== 'ClientCredentials' || token.aud !== hl7Resource) return undefined;
      const iisId = boundIisId(token.client as unknown as { [key: string]: unknown } | undefined);
      // getResourceServerInfo refused unbound clients; refuse here too rather than issue a token without its organization.
      if (!iisId) throw new errors.InvalidTarget('this client is not bound to an organization');
      return { iis_id: iisId };
    },

    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}`, policy: loginPolicy(deps) },
    // Password alone, or password and a second factor (libraries/assurance.ts); the session's acr is in the ID token.
    acrValues,

    // Every registered client is a first-party programme app: no consent screen (issue #2).
    // The grant covers exactly what the app asked for.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const client = ctx.oidc.client!;
      const session = ctx.oidc.session!;
      // Entitlement is enforced here, at the provider, for every authorization request — a fresh
      // sign-in, SSO or prompt=none alike (SPEC §3.8): the app gets access_denied and says why.
      const app = client['app'];
      if (isAppName(app) && !entitledApps(await deps.orgs.membershipsOf(session.accountId!)).includes(app)) {
        throw new errors.AccessDenied(refusalFor(app));
      }
      const existingId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const grant =
        (existingId && (await ctx.oidc.provider.Grant.find(existingId))) ||
        new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId! });
      const scope = ctx.oidc.params?.scope;
      // Admin API scope names asked for here are granted as plain words too (oidc-provider counts every
      // registered scope as an OIDC one); they release no claim, and only a token with the API's
      // audience (below, getResourceServerInfo) is accepted by the API.
      if (typeof scope === 'string') grant.addOIDCScope(scope);
      // RFC 8707: what was asked of a resource the app may use (getResourceServerInfo said so and which scopes).
      for (const [indicator, server] of Object.entries(ctx.oidc.resourceServers ?? {})) {
        const asked = [...ctx.oidc.requestParamScopes].filter((s) => server.scopes.has(s));
        if (asked.length) grant.addResourceScope(indicator, asked.join(' '));
      }
      const claims = ctx.oidc.claims;
      if (claims?.id_token) grant.addOIDCClaims(Object.keys(claims.id_token));
      if (claims?.userinfo) grant.addOIDCClaims(Object.keys(claims.userinfo));
      await grant.save();
      return grant;
    },

    // First-party apps keep a user signed in through refresh tokens while the SSO session lives
    // (expiresWithSession), without needing offline_access + consent.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,

    ttl: {
      Session: config.sessionMaxHours * 3600,
      Grant: config.sessionMaxHours * 3600,
      Interaction: 30 * 60,
      AuthorizationCode: 60,
      IdToken: 3600,
      AccessToken: config.accessTokenMinutes * 60,
      ClientCredentials: config.accessTokenMinutes * 60,
      RefreshToken: config.refreshTokenHours * 3600,
    },

    async renderError(ctx, out) {
      // The developer text goes to the log under a reference the person can quote; the page says
      // in plain words what happened and what to do next (views/message.ts).
      const reference = randomBytes(5).toString('hex').toUpperCase();
      logger.warn({ event: 'oidc.refused', reference, error: out.error, description: out.error_description, client: ctx.oidc?.client?.clientId ?? ctx.oidc?.params?.client_id }, 'oidc request refused');
      // On the machine paths (/token, /me …) the app's headers were skipped for their JSON.
      deps.securityHeaders(ctx.req, ctx.res);
      ctx.type = 'html';
      ctx.body = oauthErrorPage({ error: String(out.error), reference, supportContact: config.supportContact });
    },

    // oidc-provider refuses to POST to loopback/private addresses (SSRF guard). Apps on a private
    // network are legitimate here, so exactly the configured origins bypass it — nothing else.
    fetch(url, options) {
      const allowed = originAllowed(config.backchannelLogoutAllowedOrigins, String(url));
      if (allowed) delete (options as { dispatcher?: unknown }).dispatcher;
      return globalThis.fetch(url, options);
    },
  };

  const provider = new Provider(config.portalUrl, configuration);
  // Koa's switch for X-Forwarded-Proto/Host: on whenever some proxy is trusted.
  provider.proxy = config.trustProxy !== false && config.trustProxy !== 0;

  // Pages oidc-provider renders whose form goes to the app — response_mode=form_post, the sign-out
  // confirmation (its answer redirects to post_logout_redirect_uri) — need the app's origin in the
  // CSP's form-action. Only a URI the client has registered is added.
  provider.use(async (ctx, next) => {
    await next();
    const csp = ctx.response.get('content-security-policy');
    const client = ctx.oidc?.client;
    if (!csp || !client || !ctx.response.is('html')) return;
    const params = ctx.oidc.params ?? {};
    for (const uri of [params.redirect_uri, params.post_logout_redirect_uri]) {
      if (typeof uri === 'string' && (client.redirectUriAllowed(uri) || client.postLogoutRedirectUriAllowed(uri))) {
        ctx.set('content-security-policy', allowFormActionOrigin(ctx.response.get('content-security-policy'), uri));
      }
    }
  });

  // Client secrets are stored as SHA-256 hashes (they are 256-bit random, so a fast hash is enough);
  // compare the hash of what was presented, in constant time.
  // During a rotation the previous secret works until its expiry, then fails like any wrong one.
  provider.Client.prototype.compareClientSecret = function compareHashed(this: { clientSecret?: string; previous_secret?: string }, actual: string) {
    const presented = sha256Hex(actual);
    const current = !!this.clientSecret && safeEqual(this.clientSecret, presented);
    const [previousHash, previousExpiresAt] = (this.previous_secret ?? '').split('.');
    const previous = !!previousHash && Number(previousExpiresAt) > deps.clock.now() && safeEqual(previousHash, presented);
    return Promise.resolve(current || previous);
  } as never;

  provider.on('server_error', (_ctx, err) => logger.error({ event: 'server_error', err: err.message }, 'oidc-provider error'));
  provider.on('backchannel.error', (_ctx, err, client) =>
    logger.warn({ event: 'backchannel.error', err: err.message, client: client.clientId }, 'back-channel logout not delivered'),
  );
  provider.on('backchannel.success', (_ctx, client) =>
    logger.info({ event: 'backchannel.success', client: client.clientId }, 'back-channel logout delivered'),
  );
  return provider;
}

export { errors as oidcErrors };
