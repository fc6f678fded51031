import { addCatalogue, translator, type Locale } from './i18n.js';

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

/** The names a person reads, per language (the `roles` catalogue; the programme's Spanish role names). */
addCatalogue('roles', {
  en: {
    view_only: 'View Only',
    full_access_provider: 'Full Access Provider',
    provider_supervisor: 'Provider Supervisor',
    modified_access_substate: 'Modified Access Sub-state',
    full_access_state: 'Full Access State',
    coordinator: { primary: 'Primary Vaccine Coordinator', secondary: 'Secondary Vaccine Coordinator' },
  },
  es: {
    view_only: 'Solo consulta',
    full_access_provider: 'Proveedor con acceso completo',
    provider_supervisor: 'Supervisor de Proveedores',
    modified_access_substate: 'Subestatal con acceso modificado',
    full_access_state: 'Estatal con acceso completo',
    coordinator: { primary: 'Coordinador principal de vacunas', secondary: 'Coordinador secundario de vacunas' },
  },
});

/**
 * The name a person reads ("Provider Supervisor"), in `locale` — English unless the caller names
 * the page's language (the apps' own screens are English yet, so they call it without one).
 */
export function roleLabel(role: RegistryRole, locale: Locale = 'en'): string {
  return translator(locale, 'roles')(role) as string;
}

export function coordinatorLabel(coordinator: Coordinator | null, locale: Locale = 'en'): string | undefined {
  return coordinator === 'primary' || coordinator === 'secondary' ? (translator(locale, 'roles')(`coordinator.${coordinator}`) as string) : undefined;
}
