/**
 * The registry roles and vaccine-coordinator kinds of the `orgs` claim (SPEC §4, seed 000): the
 * provider issues them and every app reads them, so both take them from here.
 */
export const registryRoles = [
  'view_only',
  'full_access_provider',
  'provider_supervisor',
  'modified_access_substate',
  'full_access_state',
] as const;
export type RegistryRole = (typeof registryRoles)[number];

export const coordinatorKinds = ['primary', 'secondary'] as const;
export type Coordinator = (typeof coordinatorKinds)[number];

const roleLabels: Record<RegistryRole, string> = {
  view_only: 'View Only',
  full_access_provider: 'Full Access Provider',
  provider_supervisor: 'Provider Supervisor',
  modified_access_substate: 'Modified Access Sub-state',
  full_access_state: 'Full Access State',
};

/** The name a person reads ("Provider Supervisor"). */
export function roleLabel(role: RegistryRole): string {
  return roleLabels[role];
}

export function coordinatorLabel(coordinator: Coordinator | null): string | undefined {
  if (coordinator === 'primary') return 'Primary Vaccine Coordinator';
  if (coordinator === 'secondary') return 'Secondary Vaccine Coordinator';
  return undefined;
}
