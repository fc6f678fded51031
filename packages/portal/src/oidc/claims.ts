import type { UserRow } from '../queries/users.js';
import type { MembershipView } from '../queries/orgs.js';

/** Which claims each scope releases (SPEC §4). `sub` is the user's opaque id, never the username. */
export const claimsByScope = {
  openid: ['sub', 'auth_time', 'amr'],
  profile: ['name', 'preferred_username'],
  email: ['email'],
  phone: ['phone_number'],
  orgs: ['orgs'],
} as const;

export const supportedScopes = ['openid', 'offline_access', 'profile', 'email', 'phone', 'orgs'];

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
