import { registryRoles, type OrgAccess, type RegistryRole } from '@portal/rp-kit';
import { RegistryError } from './errors.js';

/**
 * What each of the five roles of seed 000 may do in ImmTrac2. Each role is "the same as the one
 * before, plus": View Only < Full Access Provider < Provider Supervisor < Modified Access Sub-state
 * < Full Access State. Every library function takes an actor and checks here, so a page, a form
 * post and a report cannot differ, and a hidden button is never the only guard.
 */
export type Capability =
  | 'clients:search'
  | 'clients:view'
  | 'schools:manage'
  | 'clients:edit'
  | 'immunizations:edit'
  | 'reports:provider'
  | 'recall:run'
  | 'users:manage'
  | 'reports:area'
  | 'orgs:area'
  | 'clients:withdrawn'
  | 'orgs:all';

const grants: Record<RegistryRole, readonly Capability[]> = {
  view_only: ['clients:search', 'clients:view', 'schools:manage'],
  full_access_provider: ['clients:edit', 'immunizations:edit', 'reports:provider', 'recall:run'],
  provider_supervisor: ['users:manage'],
  modified_access_substate: ['reports:area', 'orgs:area'],
  full_access_state: ['clients:withdrawn', 'orgs:all'],
};

export function capabilitiesOf(role: RegistryRole): ReadonlySet<Capability> {
  const rank = registryRoles.indexOf(role);
  return new Set(registryRoles.slice(0, rank + 1).flatMap((r) => grants[r]));
}

/** A person at work in ImmTrac2: who they are, the organization they chose, their role there. */
export interface Actor {
  readonly sub: string;
  readonly name: string;
  readonly org: OrgAccess;
  /** The Health Service Region of their organization (the area of a Sub-state user), if known. */
  readonly region: number | null;
}

export function can(actor: Actor, capability: Capability): boolean {
  return capabilitiesOf(actor.org.role).has(capability);
}

/** Refuses with 403 (and the page says why) unless the actor's role allows it. */
export function requireCapability(actor: Actor, capability: Capability): void {
  if (!can(actor, capability)) throw new RegistryError('access.role', 403);
}
