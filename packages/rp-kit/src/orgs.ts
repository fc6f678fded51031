/** The `orgs` claim (SPEC §4): one entry per organization the person works for, with their role there. */
import { coordinatorKinds, registryRoles, type Coordinator, type RegistryRole } from '@portal/common';
import { t } from './locales.js';

export { registryRoles, coordinatorKinds, roleLabel, type RegistryRole, type Coordinator } from '@portal/common';

/**
 * "Primary Vaccine Coordinator", in the page's language (the registry roles' names stay as the
 * programme names them, in English, as the portal shows them too).
 */
export function coordinatorLabel(coordinator: Coordinator | null): string | undefined {
  return coordinator ? t(`coordinators.${coordinator}`) : undefined;
}

export interface OrgAccess {
  id: string;
  code: string;
  iis_id: string;
  name: string;
  role: RegistryRole;
  coordinator: Coordinator | null;
}

/**
 * The organizations in a set of claims. An entry that does not have the agreed shape is dropped
 * rather than trusted: a guard must never grant access on a value it does not understand.
 */
export function orgsFromClaims(claims: Readonly<Record<string, unknown>>): OrgAccess[] {
  const orgs = claims.orgs;
  if (!Array.isArray(orgs)) return [];
  return orgs.filter(isOrgAccess).map((o) => ({ id: o.id, code: o.code, iis_id: o.iis_id, name: o.name, role: o.role, coordinator: o.coordinator }));
}

function isOrgAccess(value: unknown): value is OrgAccess {
  if (!value || typeof value !== 'object') return false;
  const o = value as Record<string, unknown>;
  return (
    typeof o.id === 'string' &&
    typeof o.code === 'string' &&
    typeof o.iis_id === 'string' &&
    typeof o.name === 'string' &&
    (registryRoles as readonly unknown[]).includes(o.role) &&
    (o.coordinator === null || (coordinatorKinds as readonly unknown[]).includes(o.coordinator))
  );
}

/** VAOS is for Primary and Secondary Vaccine Coordinators (SPEC §3.8, §5). */
export function isVaccineCoordinator(orgs: readonly OrgAccess[]): boolean {
  return orgs.some((o) => o.coordinator === 'primary' || o.coordinator === 'secondary');
}

/** The organizations where the person holds one of the given roles. */
export function orgsWithRole(orgs: readonly OrgAccess[], roles: readonly RegistryRole[]): OrgAccess[] {
  return orgs.filter((o) => roles.includes(o.role));
}
