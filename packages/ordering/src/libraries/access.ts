import type { OrgAccess } from '@portal/rp-kit';
import { OrderingError } from './errors.js';

/**
 * Who may do what in VAOS (SPEC §5, seed 004). The portal lets only Primary and Secondary Vaccine
 * Coordinators in; the library checks again on every call, per organization, from the `orgs` claim:
 *
 * - a coordinator (`coordinator` set at an organization) orders, receives shipments, reports waste
 *   and sees inventory **for that organization only**;
 * - **state staff** approve, reject and ship every organization's orders. Since the portal admits
 *   only coordinators, state staff reach VAOS as coordinators of an organization where they hold
 *   Full Access State (DSHS): `role = full_access_state` and `coordinator` set, at the same
 *   organization. Full Access State alone never gets past the portal; a coordinator elsewhere is
 *   not state staff.
 */
export interface Actor {
  readonly sub: string;
  readonly name: string;
  /** The person's organizations, from the ID token's `orgs` claim (rp-kit drops malformed ones). */
  readonly orgs: readonly OrgAccess[];
}

export function coordinatedOrgs(orgs: readonly OrgAccess[]): OrgAccess[] {
  return orgs.filter((o) => o.coordinator === 'primary' || o.coordinator === 'secondary');
}

export function coordinates(actor: Actor, orgIisId: string): boolean {
  return coordinatedOrgs(actor.orgs).some((o) => o.iis_id === orgIisId);
}

export function isStateStaff(actor: Actor): boolean {
  return coordinatedOrgs(actor.orgs).some((o) => o.role === 'full_access_state');
}

/** Refuses (403) unless the actor coordinates this organization. */
export function requireCoordinatorOf(actor: Actor, orgIisId: string): OrgAccess {
  const org = coordinatedOrgs(actor.orgs).find((o) => o.iis_id === orgIisId);
  if (!org) throw new OrderingError('access.coordinator', 403);
  return org;
}

export function requireStateStaff(actor: Actor): void {
  if (!isStateStaff(actor)) throw new OrderingError('access.state', 403);
}
