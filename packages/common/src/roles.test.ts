import { untranslated } from './i18n.js';
import { coordinatorLabel, registryRoles, roleLabel } from './roles.js';

test('a role reads in English unless a language is named, and every role has its Spanish name', () => {
  expect(roleLabel('provider_supervisor')).toBe('Provider Supervisor');
  expect(roleLabel('provider_supervisor', 'es')).toBe('Supervisor de Proveedores');
  expect(coordinatorLabel('secondary', 'es')).toBe('Coordinador secundario de vacunas');
  expect(coordinatorLabel(null, 'es')).toBeUndefined();
  expect(registryRoles.filter((role) => roleLabel(role, 'es') === roleLabel(role))).toEqual([]);
  expect(untranslated('es', ['roles'])).toEqual([]);
});
