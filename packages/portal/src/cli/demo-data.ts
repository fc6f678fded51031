import { demoClientSecrets } from '@portal/common';
import type { Services } from '../portal.js';
import { createDirectory } from '../libraries/directory.js';
import { memberScope, type ApiScope } from '../libraries/administration/actors.js';
import { inventoryAdministeredScope } from '../oidc/claims.js';

export { demoClientSecrets };

export const demoPassword = 'Immunize-Texas-2026!';

const demoOrgs = [
  { code: 'PEDS01', iisId: '1000000001', name: 'Hill Country Pediatrics' },
  { code: 'PHARM02', iisId: '1000000002', name: 'Gulf Coast Pharmacy' },
  { code: 'SCHOOL03', iisId: '1000000003', name: 'Central Texas ISD' },
  { code: 'HSR07', iisId: '1000000007', name: 'Health Service Region 7' },
  { code: 'DSHS', iisId: '1000000000', name: 'DSHS Immunization Unit' },
];

const demoUsers: { username: string; name: string; orgs?: string[]; role?: 'helpdesk' | 'admin'; what: string }[] = [
  { username: 'viewonly', name: 'Valerie Viewonly', orgs: ['SCHOOL03:view_only'], what: 'View Only (school)' },
  { username: 'provider', name: 'Pat Provider', orgs: ['PEDS01:full_access_provider'], what: 'Full Access Provider' },
  { username: 'supervisor', name: 'Sam Supervisor', orgs: ['PEDS01:provider_supervisor', 'PHARM02:full_access_provider'], what: 'Provider Supervisor, two organizations' },
  { username: 'substate', name: 'Rosa Region', orgs: ['HSR07:modified_access_substate'], what: 'Modified Access Sub-state' },
  { username: 'stateuser', name: 'Steve State', orgs: ['DSHS:full_access_state'], what: 'Full Access State' },
  { username: 'coordinator', name: 'Carmen Coordinator', orgs: ['PEDS01:full_access_provider:primary'], what: 'Primary Vaccine Coordinator' },
  { username: 'backup', name: 'Ben Backup', orgs: ['PHARM02:full_access_provider:secondary'], what: 'Secondary Vaccine Coordinator' },
  { username: '00012345678', name: 'Erin Employee', orgs: ['DSHS:full_access_state:primary'], what: 'State employee (11-digit number); approves and ships VAOS orders' },
  { username: 'helpdesk', name: 'Hal Helpdesk', role: 'helpdesk', what: 'Help desk' },
  { username: 'admin', name: 'Ada Admin', role: 'admin', what: 'Administrator' },
];

/**
 * Creates the demo organizations, users and the three apps on an empty database (never in
 * production). Returns the sign-in table to print, or undefined when there was nothing to do.
 */
export async function seedDemoData(services: Services, validateClient?: (m: Record<string, unknown>) => Promise<void>): Promise<string | undefined> {
  const { config } = services;
  if (config.env === 'production' || (await services.users.count()) > 0) return undefined;
  const directory = createDirectory(services, validateClient);

  for (const org of demoOrgs) await directory.createOrg(org, 'demo-data');
  for (const u of demoUsers) {
    await directory.createUser(
      { username: u.username, name: u.name, email: `${u.username}@example.org`, password: demoPassword, orgs: u.orgs ?? [], role: u.role },
      'demo-data',
    );
  }
  for (const [app, name] of [['registry', 'ImmTrac2'], ['enrollment', 'Syntropi'], ['ordering', 'VAOS']] as const) {
    const url = config.apps[app].url;
    await directory.createClient({
      clientId: app,
      clientSecret: config.apps[app].clientSecret ?? demoClientSecrets[app],
      name,
      app,
      redirectUris: [`${url}/callback`],
      postLogoutRedirectUris: [`${url}/`],
      backchannelLogoutUri: `${url}/backchannel-logout`,
      // ImmTrac2's "Manage Users": a supervisor's own token for the admin API's members routes.
      // And, as itself (client_credentials), it feeds VAOS's inventory the doses it records (issue 12).
      ...(app === 'registry' ? { grants: ['authorization_code', 'client_credentials'] as const, scopes: [memberScope, inventoryAdministeredScope] } : {}),
      // Syntropi's "Connectivity and Transport": with its own client id and secret it creates and
      // rotates an approved site's HL7 exchange credentials through the admin API (issue 12), and
      // still signs people in.
      ...(app === 'enrollment' ? { grants: ['authorization_code', 'client_credentials'] as const, scopes: ['enrollment:credentials' satisfies ApiScope] } : {}),
    });
  }

  const width = Math.max(...demoUsers.map((u) => u.username.length));
  return [
    'Demo data created. Every demo user signs in with the password ' + demoPassword,
    ...demoUsers.map((u) => `  ${u.username.padEnd(width)}  ${u.what}`),
    `Apps: ImmTrac2 ${config.apps.registry.url}  Syntropi ${config.apps.enrollment.url}  VAOS ${config.apps.ordering.url}`,
  ].join('\n');
}
