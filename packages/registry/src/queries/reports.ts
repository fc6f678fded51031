import type { Db, Knex } from '@portal/db';
import type { OrganizationRow } from './organizations.js';

/**
 * Which organizations a report covers: one organization, every organization of a Health Service
 * Region (null: the organizations without one), or the whole state. The library decides it from the actor; these queries only apply it.
 */
export type OrganizationScope = { organizationId: string } | { region: number | null } | 'state';

export interface OrganizationActivity extends OrganizationRow {
  clients: number;
  administered: number;
  historical: number;
}
export interface GroupActivity { iis_id: string; name: string; code: string; region: number | null; group: string; label: string; administered: number; historical: number }
export interface OrganizationInformation extends OrganizationRow { clients_of_record: number; doses_last_year: number }

/** A client a recall run checks: who, where they live, whose they are. */
export interface RecallCandidate {
  id: number;
  registry_id: string;
  first_name: string;
  middle_name: string | null;
  last_name: string;
  suffix: string | null;
  birth_date: string;
  phone: string | null;
  organization_name: string;
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
}
export interface ResponsiblePerson { client_id: number; first_name: string; last_name: string; relationship: string; phone: string | null }

/** PostgreSQL answers COUNT and SUM as text (bigint/numeric), SQLite as numbers. */
const count = (value: unknown): number => Number(value ?? 0);

// Comments that take a client off every recall: no reminder goes to someone deceased or gone.
const noRecallComments = ['deceased', 'moved_out_of_state'];

/** The aggregate reads behind Reports, Recall and reminder and Organization information. */
export function createReportQueries(db: Db) {
  function inScope(q: Knex.QueryBuilder, scope: OrganizationScope, column = 'o'): Knex.QueryBuilder {
    if (scope === 'state') return q;
    if ('organizationId' in scope) return q.where(`${column}.iis_id`, scope.organizationId);
    return scope.region === null ? q.whereNull(`${column}.region`) : q.where(`${column}.region`, scope.region);
  }

  /** Doses given in the period by an organization of the scope, to clients the reader may see. */
  function dosesInPeriod(scope: OrganizationScope, period: { from: string; to: string }, withdrawnToo: boolean): Knex.QueryBuilder {
    const q = db('immunizations as i')
      .join('organizations as o', 'o.iis_id', 'i.organization_id')
      .join('clients as c', 'c.id', 'i.client_id')
      .whereBetween('i.given_on', [period.from, period.to]);
    if (!withdrawnToo) q.whereNot('c.consent', 'withdrawn');
    return inScope(q, scope);
  }

  // Region order, organizations without a region last: SQLite sorts NULL first, PostgreSQL last.
  const byRegion = 'case when o.region is null then 1 else 0 end, o.region, o.name';

  const historicalSum = db.raw('sum(case when i.historical then 1 else 0 end) as historical');
  const administeredSum = db.raw('sum(case when i.historical then 0 else 1 end) as administered');

  return {
    async organizations(scope: OrganizationScope): Promise<OrganizationRow[]> {
      return inScope(db('organizations as o').select('o.*'), scope).orderByRaw(byRegion);
    },

    /**
     * Every organization of the scope with what it recorded in the period: distinct clients with a
     * dose, doses administered there and historical doses transcribed. Organizations without doses
     * are listed too (zeros), so an area's report names every organization in it.
     */
    async activityByOrganization(scope: OrganizationScope, period: { from: string; to: string }, withdrawnToo: boolean): Promise<OrganizationActivity[]> {
      const doses = dosesInPeriod(scope, period, withdrawnToo)
        .groupBy('i.organization_id')
        .select('i.organization_id', administeredSum, historicalSum)
        .countDistinct({ clients: 'i.client_id' })
        .as('d');
      const rows = await inScope(db('organizations as o'), scope)
        .leftJoin(doses, 'd.organization_id', 'o.iis_id')
        .select('o.*', 'd.clients', 'd.administered', 'd.historical')
        .orderByRaw(byRegion);
      return (rows as Record<string, unknown>[]).map((r) => ({
        ...(r as unknown as OrganizationRow), clients: count(r.clients), administered: count(r.administered), historical: count(r.historical),
      }));
    },

    /** Clients with at least one dose in the period, counted once however many organizations gave one. */
    async clientsWithDoses(scope: OrganizationScope, period: { from: string; to: string }, withdrawnToo: boolean): Promise<number> {
      const row = (await dosesInPeriod(scope, period, withdrawnToo).countDistinct({ n: 'i.client_id' }).first()) as { n: unknown } | undefined;
      return count(row?.n);
    },

    /**
     * Doses of the period per organization and vaccine group. A combination vaccine counts in each of
     * its groups (Pediarix: DTaP, HepB, Polio): `vaccines.groups` is a space-separated list of codes,
     * matched word by word (`' ' || groups || ' '` contains `' ' || code || ' '`; codes hold no LIKE
     * wildcards). `||` and LIKE mean the same on SQLite and PostgreSQL.
     */
    async activityByGroup(scope: OrganizationScope, period: { from: string; to: string }, withdrawnToo: boolean): Promise<GroupActivity[]> {
      const rows = await dosesInPeriod(scope, period, withdrawnToo)
        .join('vaccines as v', 'v.cvx', 'i.cvx')
        .join('vaccine_groups as g', db.raw(`(' ' || v.groups || ' ') like ('% ' || g.code || ' %')`))
        .groupBy('o.iis_id', 'o.name', 'o.code', 'o.region', 'g.code', 'g.label', 'g.display_order')
        .select('o.iis_id', 'o.name', 'o.code', 'o.region', 'g.code as group', 'g.label', administeredSum, historicalSum)
        .orderByRaw(`${byRegion}, g.display_order`);
      return (rows as Record<string, unknown>[]).map((r) => ({ ...(r as unknown as GroupActivity), administered: count(r.administered), historical: count(r.historical) }));
    },

    /** Organization information: each organization with its clients of record and the doses it recorded in the period. */
    async organizationInformation(scope: OrganizationScope, period: { from: string; to: string }, withdrawnToo: boolean): Promise<OrganizationInformation[]> {
      const clients = db('clients as c').groupBy('c.organization_id').select('c.organization_id').count({ n: '*' });
      if (!withdrawnToo) clients.whereNot('c.consent', 'withdrawn');
      const doses = db('immunizations as i')
        .join('clients as c', 'c.id', 'i.client_id')
        .whereBetween('i.given_on', [period.from, period.to])
        .groupBy('i.organization_id')
        .select('i.organization_id')
        .count({ n: '*' });
      if (!withdrawnToo) doses.whereNot('c.consent', 'withdrawn');
      const rows = await inScope(db('organizations as o'), scope)
        .leftJoin(clients.as('cr'), 'cr.organization_id', 'o.iis_id')
        .leftJoin(doses.as('dy'), 'dy.organization_id', 'o.iis_id')
        .select('o.*', 'cr.n as clients_of_record', 'dy.n as doses_last_year')
        .orderByRaw(byRegion);
      return (rows as Record<string, unknown>[]).map((r) => ({ ...(r as unknown as OrganizationRow), clients_of_record: count(r.clients_of_record), doses_last_year: count(r.doses_last_year) }));
    },

    /**
     * A recall run's candidates, in one query: clients of the organization (of record, or with a dose
     * it recorded) born in the range, with their current address. Withdrawn clients never, whoever
     * asks; nor clients whose record says deceased or moved out of state. At most `limit`.
     */
    async recallCandidates(input: { organizationId: string; bornFrom: string; bornTo: string; limit: number }): Promise<RecallCandidate[]> {
      return db('clients as c')
        .join('organizations as o', 'o.iis_id', 'c.organization_id')
        .leftJoin('client_addresses as a', function () {
          this.on('a.client_id', 'c.id').andOn('a.current', db.raw('?', [true]));
        })
        .where((w) => {
          w.where('c.organization_id', input.organizationId).orWhereIn('c.id', db('immunizations').where('organization_id', input.organizationId).select('client_id'));
        })
        .whereNot('c.consent', 'withdrawn')
        .whereBetween('c.birth_date', [input.bornFrom, input.bornTo])
        .whereNotIn('c.id', db('client_comments').whereIn('code', noRecallComments).select('client_id'))
        .select(
          'c.id', 'c.registry_id', 'c.first_name', 'c.middle_name', 'c.last_name', 'c.suffix', 'c.birth_date', 'c.phone', 'o.name as organization_name',
          'a.line1', 'a.line2', 'a.city', 'a.state', 'a.zip',
        )
        .orderBy([{ column: 'c.last_key' }, { column: 'c.first_key' }, { column: 'c.birth_date' }, { column: 'c.id' }])
        .limit(input.limit);
    },

    /** The first responsible person on file of each client (the letter's addressee), in batches. */
    async responsiblePersonsOf(clientIds: number[]): Promise<Map<number, ResponsiblePerson>> {
      const out = new Map<number, ResponsiblePerson>();
      for (let i = 0; i < clientIds.length; i += 500) {
        const rows = (await db('responsible_persons')
          .whereIn('client_id', clientIds.slice(i, i + 500))
          .orderBy('id')
          .select('client_id', 'first_name', 'last_name', 'relationship', 'phone')) as ResponsiblePerson[];
        for (const row of rows) if (!out.has(row.client_id)) out.set(row.client_id, row);
      }
      return out;
    },

    /**
     * Disclosure entries of the audit trail (registry_audit, as queries/audit.ts writes them), many
     * at once: a recall export names hundreds of clients and each gets its own line.
     */
    async recordDisclosures(entries: { at: number; sub: string; organization_id: string | null; action: string; client_id: number | null; details: string | null }[]): Promise<void> {
      for (let i = 0; i < entries.length; i += 200) await db('registry_audit').insert(entries.slice(i, i + 200));
    },
  };
}

export type ReportQueries = ReturnType<typeof createReportQueries>;
