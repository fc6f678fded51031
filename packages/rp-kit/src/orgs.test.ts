import { isVaccineCoordinator, orgsFromClaims, orgsWithRole } from './orgs.js';

const peds = { id: 'o1', code: 'PEDS01', iis_id: '1000000001', name: 'Hill Country Pediatrics', role: 'provider_supervisor', coordinator: null };
const pharm = { id: 'o2', code: 'PHARM02', iis_id: '1000000002', name: 'Gulf Coast Pharmacy', role: 'full_access_provider', coordinator: 'secondary' };

test('orgs are read from the claim; malformed entries are dropped, never trusted', () => {
  const claims = { orgs: [peds, { ...pharm, role: 'superuser' }, { ...pharm, coordinator: 'tertiary' }, 'PEDS01', null, { ...pharm, id: 7 }] };
  expect(orgsFromClaims(claims)).toEqual([peds]);
  expect(orgsFromClaims({})).toEqual([]);
  expect(orgsFromClaims({ orgs: 'PEDS01' })).toEqual([]);
});

test('only primary and secondary vaccine coordinators are coordinators', () => {
  expect(isVaccineCoordinator(orgsFromClaims({ orgs: [peds] }))).toBe(false);
  expect(isVaccineCoordinator(orgsFromClaims({ orgs: [peds, pharm] }))).toBe(true);
  expect(isVaccineCoordinator(orgsFromClaims({ orgs: [{ ...peds, coordinator: 'primary' }] }))).toBe(true);
});

test('orgsWithRole picks the organizations where the person holds one of the roles', () => {
  const orgs = orgsFromClaims({ orgs: [peds, pharm] });
  expect(orgsWithRole(orgs, ['provider_supervisor', 'full_access_state']).map((o) => o.code)).toEqual(['PEDS01']);
  expect(orgsWithRole(orgs, ['view_only'])).toEqual([]);
});
