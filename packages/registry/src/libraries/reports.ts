import type { Db } from '@portal/db';
import type { Clock } from '@portal/rp-kit';
import { dueStatus, forecast, type DueStatus, type GroupForecast } from '../forecast/index.js';
import type { AuditQueries } from '../queries/audit.js';
import type { DoseView } from '../queries/immunizations.js';
import type { OrganizationRow } from '../queries/organizations.js';
import type { ReferenceQueries } from '../queries/reference.js';
import { createReportQueries, type GroupActivity, type OrganizationActivity, type OrganizationInformation, type OrganizationScope } from '../queries/reports.js';
import { can, requireCapability, type Actor } from './access.js';
import type { ClientRecord, ClientRecords } from './client-records.js';
import { addYears, type ReportPeriod } from './report-dates.js';

/**
 * Whose activity a report may show (seed 000): a provider's own organization ("Generate specific
 * reports"), a Sub-state user's "responsible area" (their organization's Health Service Region),
 * DSHS "everything across the state". Decided here from the actor, never from the request.
 */
export type ReportScope =
  | { kind: 'organization'; organization: { iis_id: string; name: string; code: string }; query: OrganizationScope }
  | { kind: 'region'; region: number; query: OrganizationScope }
  /** A Sub-state user whose organization has no region on file: there is no area to show. */
  | { kind: 'no_region'; organization: { name: string; code: string } }
  | { kind: 'state'; region: number | null | undefined; query: OrganizationScope };

export interface ActivityReport {
  scope: ReportScope;
  period: ReportPeriod;
  organizations: OrganizationActivity[];
  groups: GroupActivity[];
  /** Clients with a dose in the period, each counted once. */
  clientsWithDoses: number;
}

/** One vaccine group of a client's immunization report: its doses and, if forecast, where it stands. */
export interface ClientReportGroup {
  code: string;
  label: string;
  doses: Pick<DoseView, 'given_on' | 'vaccine' | 'cvx' | 'historical' | 'organization_name'>[];
  forecast?: Pick<GroupForecast, 'status' | 'nextDose' | 'earliest' | 'recommended' | 'pastDue'> & { due: DueStatus };
}

export interface ClientReport {
  record: ClientRecord;
  today: string;
  groups: ClientReportGroup[];
}

export function createReports(deps: { db: Db; clock: Clock; audit: AuditQueries; records: ClientRecords; reference: ReferenceQueries }) {
  const { clock, audit, records, reference } = deps;
  const queries = createReportQueries(deps.db);
  const today = () => new Date(clock.now()).toISOString().slice(0, 10);

  function reportScope(actor: Actor, stateRegion?: number | null): ReportScope {
    requireCapability(actor, 'reports:provider');
    if (can(actor, 'orgs:all')) return { kind: 'state', region: stateRegion, query: stateRegion === undefined ? 'state' : { region: stateRegion } };
    if (can(actor, 'reports:area')) {
      if (actor.region === null) return { kind: 'no_region', organization: { name: actor.org.name, code: actor.org.code } };
      return { kind: 'region', region: actor.region, query: { region: actor.region } };
    }
    const { iis_id, name, code } = actor.org;
    return { kind: 'organization', organization: { iis_id, name, code }, query: { organizationId: iis_id } };
  }

  /**
   * A client's immunization report: the doses of each vaccine group with the forecast's status
   * today. The record is read through records.record, so a withdrawn client stays "not found".
   */
  async function clientReport(actor: Actor, registryId: string): Promise<ClientReport> {
    requireCapability(actor, 'reports:provider');
    const record = await records.record(actor, registryId);
    const day = today();
    const forecasts = new Map(forecast({ birthDate: record.client.birth_date, doses: record.doses.map((d) => ({ cvx: d.cvx, date: d.given_on })) }, day).map((f) => [f.vaccineGroup as string, f]));
    const groups: ClientReportGroup[] = [];
    for (const { code, label } of (await reference.vaccineGroups()) as { code: string; label: string }[]) {
      const doses = record.doses.filter((d) => d.groups.split(' ').includes(code));
      const f = forecasts.get(code);
      if (!doses.length && !f) continue;
      groups.push({
        code, label,
        doses: doses.map(({ given_on, vaccine, cvx, historical, organization_name }) => ({ given_on, vaccine, cvx, historical, organization_name })),
        ...(f ? { forecast: { status: f.status, nextDose: f.nextDose, earliest: f.earliest, recommended: f.recommended, pastDue: f.pastDue, due: dueStatus(f, day) } } : {}),
      });
    }
    return { record, today: day, groups };
  }

  return {
    /** Where this actor's reports look, to say it on the page before a report is run. */
    scopeOf: (actor: Actor): ReportScope => reportScope(actor),

    /**
     * Doses given per organization (administered there, or historical ones it transcribed) and per
     * vaccine group, and the clients with doses recorded, in the period. Withdrawn clients count only
     * for those who may see them (Full Access State).
     */
    async activity(actor: Actor, period: ReportPeriod): Promise<ActivityReport> {
      const scope = reportScope(actor);
      if (scope.kind === 'no_region') return { scope, period, organizations: [], groups: [], clientsWithDoses: 0 };
      const withdrawnToo = can(actor, 'clients:withdrawn');
      const [organizations, groups, clientsWithDoses] = await Promise.all([
        queries.activityByOrganization(scope.query, period, withdrawnToo),
        queries.activityByGroup(scope.query, period, withdrawnToo),
        queries.clientsWithDoses(scope.query, period, withdrawnToo),
      ]);
      return { scope, period, organizations, groups, clientsWithDoses };
    },

    clientReport,

    /** The same report as a file leaving the registry: a disclosure, on the audit trail. */
    async exportClientReport(actor: Actor, registryId: string): Promise<ClientReport> {
      const report = await clientReport(actor, registryId);
      await audit.record({ at: clock.now(), sub: actor.sub, organization_id: actor.org.iis_id, action: 'report.client.export', client_id: report.record.client.id });
      return report;
    },

    /**
     * Organization information (seed 000): a Sub-state user's region, or the whole state for DSHS
     * (optionally one region, `null` for the organizations without one), with each organization's
     * clients of record and the doses it recorded in the last year.
     */
    async organizations(actor: Actor, filter: { region?: number | null } = {}): Promise<{ scope: ReportScope; since: string; today: string; organizations: OrganizationInformation[] }> {
      requireCapability(actor, 'orgs:area');
      const scope = reportScope(actor, can(actor, 'orgs:all') ? filter.region : undefined);
      const day = today();
      const since = addYears(day, -1);
      if (scope.kind === 'no_region' || scope.kind === 'organization') return { scope, since, today: day, organizations: [] };
      return { scope, since, today: day, organizations: await queries.organizationInformation(scope.query, { from: since, to: day }, can(actor, 'clients:withdrawn')) };
    },
  };
}

export type Reports = ReturnType<typeof createReports>;
export type { GroupActivity, OrganizationActivity, OrganizationInformation, OrganizationRow };
