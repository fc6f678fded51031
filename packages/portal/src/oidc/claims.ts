import type { UserRow } from '../queries/users.js';
import type { MembershipView } from '../queries/orgs.js';
import { apiScopeNames, memberScope } from '../libraries/administration/actors.js';

/** Which claims each scope releases (SPEC §4). `sub` is the user's opaque id, never the username. */
export const claimsByScope = {
  openid: ['sub', 'auth_time', 'amr', 'acr'],
  profile: ['name', 'preferred_username'],
  email: ['email'],
  phone: ['phone_number'],
  orgs: ['orgs'],
} as const;

/** What a person's sign-in asks for: the ID token's and userinfo's scopes. */
export const peopleScopes = ['openid', 'offline_access', 'profile', 'email', 'phone', 'orgs'];

/**
 * HL7 v2 submission to the registry (issue 12): the one scope of the HL7 resource (HL7_RESOURCE).
 * Only a client_credentials client registered for it and bound to an organization gets a token for
 * that resource: a JWT (RFC 9068) carrying the organization's TX IIS ID as `iis_id`.
 */
export const hl7SubmitScope = 'hl7:submit';

/**
 * Doses given, from the registry to VAOS's inventory (issue 12): the one scope of VAOS's inventory
 * API (INVENTORY_RESOURCE), for a client_credentials client registered for it (the registry's own).
 */
export const inventoryAdministeredScope = 'inventory:administered';

/** The client metadata property binding an HL7 credential to its organization: the 10-digit TX IIS ID. */
export const orgBindingProperty = 'org_iis_id';

/**
 * The people's scopes, then the admin API's (actors.ts): the machine clients' and `org:members`, a
 * person's own token for an organization's users; then HL7 submission (above). They are registered
 * here so a client's `scope` metadata may name them and oidc-provider refuses any it was not
 * registered for; they reach a token bound to a resource server only through its resource
 * indicator (provider.ts), and release no claim.
 */
export const supportedScopes = [...peopleScopes, ...apiScopeNames, memberScope, hl7SubmitScope, inventoryAdministeredScope];

/** The admin JSON API (routes/admin-api.ts), under PORTAL_URL. */
export const adminApiPath = '/api/admin/v1';

/** The `resource` (RFC 8707) an admin API token is asked for and bound to: its `aud`. */
export function adminApiResource(portalUrl: string): string {
  return `${portalUrl.replace(/\/+$/, '')}${adminApiPath}`;
}

export function userClaims(user: UserRow, memberships: MembershipView[]) {
  return {
    sub: user.id,
    preferred_username: user.username,
    name: user.name,
    email: user.email,
    phone_number: user.phone ?? undefined,
    orgs: memberships.map((m) => ({
      id: m.id,
      code: m.code,
      iis_id: m.iis_id,
      name: m.name,
      role: m.role,
      coordinator: m.coordinator ?? null,
    })),
  };
}
