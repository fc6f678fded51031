import { entitledApps } from './entitlements.js';
import type { MembershipView } from '../queries/orgs.js';

const m = (coordinator: MembershipView['coordinator'], role: MembershipView['role'] = 'full_access_provider'): MembershipView => ({
  id: 'x', code: 'C', iis_id: '1000000001', name: 'Clinic', role, coordinator,
});

test('ImmTrac2 and Syntropi with any membership; VAOS only for a primary or secondary coordinator', () => {
  expect(entitledApps([])).toEqual([]);
  expect(entitledApps([m(null, 'view_only')])).toEqual(['registry', 'enrollment']);
  expect(entitledApps([m(null), m('secondary')])).toEqual(['registry', 'enrollment', 'ordering']);
  expect(entitledApps([m('primary', 'view_only')])).toEqual(['registry', 'enrollment', 'ordering']);
});
