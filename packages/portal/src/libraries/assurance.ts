import type { UserRow } from '../queries/users.js';
import type { MembershipView } from '../queries/orgs.js';

/**
 * Authentication assurance in `acr` (issue #10), in the NIST SP 800-63B terms login.gov publishes:
 * a password alone is AAL1; a password and an authenticator app (or a passkey) is AAL2.
 */
export const aal1 = 'http://idmanagement.gov/ns/assurance/aal/1';
export const aal2 = 'http://idmanagement.gov/ns/assurance/aal/2';
export const acrValues = [aal1, aal2];

/** `amr` values (RFC 8176) that are a second factor. */
const secondFactorAmr = new Set(['otp', 'hwk', 'swk', 'mfa']);

export function acrFor(amr: readonly string[]): string {
  return amr.some((m) => secondFactorAmr.has(m)) ? aal2 : aal1;
}

export interface AssurancePolicy {
  requiredForStaff: boolean;
  requiredForStateRole: boolean;
}

/**
 * Whether this sign-in needs a second factor: the app asked for AAL2 (`acr_values`), the person is
 * staff (help desk, admin), or they hold ImmTrac2's state-wide role and the registry is asking while
 * the policy says so. The one rule the provider's prompt check and the sign-in steps both ask.
 */
export async function secondFactorRequired(
  policy: AssurancePolicy,
  request: { acrValues?: unknown; clientApp: () => Promise<unknown> },
  user: Pick<UserRow, 'system_role'> | undefined,
  memberships: () => Promise<readonly Pick<MembershipView, 'role'>[]>,
): Promise<boolean> {
  // Cheapest first: what the app asked and who this is need no query; the registry rule needs two.
  if (typeof request.acrValues === 'string' && request.acrValues.split(' ').includes(aal2)) return true;
  if (user && policy.requiredForStaff && user.system_role !== null) return true;
  if (!policy.requiredForStateRole || (await request.clientApp()) !== 'registry') return false;
  return (await memberships()).some((m) => m.role === 'full_access_state');
}
