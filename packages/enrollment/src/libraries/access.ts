import type { OrgAccess } from '@portal/rp-kit';
import { EnrollmentError } from './errors.js';

/**
 * A person at work in Syntropi: who they are and their organizations, straight from the portal's
 * `orgs` claim. Every library function takes an actor and checks here, so a hidden button is never
 * the only guard.
 */
export interface Actor {
  readonly sub: string;
  readonly name: string;
  readonly email: string | null;
  readonly orgs: readonly OrgAccess[];
}

/** Applicants: any role at the organization they act for — only their own organizations. */
export function orgOf(actor: Actor, iisId: string): OrgAccess | undefined {
  return actor.orgs.find((o) => o.iis_id === iisId);
}

export function requireOrganization(actor: Actor, iisId: string): OrgAccess {
  const org = orgOf(actor, iisId);
  if (!org) throw new EnrollmentError('access.organization', 403);
  return org;
}

/** Reviewers: Full Access State at any of their organizations (the DSHS Immunization Unit). */
export function isStateReviewer(actor: Actor): boolean {
  return actor.orgs.some((o) => o.role === 'full_access_state');
}

export function requireStateReviewer(actor: Actor): void {
  if (!isStateReviewer(actor)) throw new EnrollmentError('access.state', 403);
}
