import type { MembershipView } from '../queries/orgs.js';

/**
 * Which of the programme's apps a person may open (SPEC §3.8): ImmTrac2 and Syntropi with any
 * membership; VAOS only as a Primary or Secondary Vaccine Coordinator somewhere. Enforced by the
 * provider (an authorization request is refused) and used to list apps on the portal home.
 */
export type AppName = 'registry' | 'enrollment' | 'ordering';

export const appTitles: Record<AppName, { name: string; what: string }> = {
  registry: { name: 'ImmTrac2', what: 'Immunization registry: client search and immunization records' },
  enrollment: { name: 'Syntropi', what: 'Provider enrollment: register or renew sites, data exchange' },
  ordering: { name: 'VAOS', what: 'Vaccine ordering: orders, wasted doses and inventory' },
};

export function entitledApps(memberships: MembershipView[]): AppName[] {
  if (memberships.length === 0) return [];
  const apps: AppName[] = ['registry', 'enrollment'];
  if (memberships.some((m) => m.coordinator === 'primary' || m.coordinator === 'secondary')) apps.push('ordering');
  return apps;
}

/** Why an app is refused, in words the person reads (the app shows it as the error description). */
export function refusalFor(app: AppName): string {
  return app === 'ordering'
    ? 'VAOS is for Primary and Secondary Vaccine Coordinators. Your account is not a vaccine coordinator for any organization. Ask your organization to update your role, or contact Customer Support.'
    : `${appTitles[app].name} needs your account to belong to an organization. Ask your organization's Provider Supervisor to add you, or contact Customer Support.`;
}

export function isAppName(value: unknown): value is AppName {
  return value === 'registry' || value === 'enrollment' || value === 'ordering';
}
