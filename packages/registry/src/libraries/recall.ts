import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Db } from '@portal/db';
import type { Clock } from '@portal/rp-kit';
import { dueStatus, forecast, forecastGroups, type GroupForecast, type VaccineGroup } from '../forecast/index.js';
import { vaccineGroupData } from '../forecast/supporting-data/index.js';
import { createImmunizationQueries } from '../queries/immunizations.js';
import type { OrganizationQueries } from '../queries/organizations.js';
import { createReportQueries, type RecallCandidate, type ResponsiblePerson } from '../queries/reports.js';
import { requireCapability, type Actor } from './access.js';
import { addDays, addYears, ageInYears } from './report-dates.js';

/** The vaccine groups a recall can look for: those the forecast has a tracking schedule for. */
export const recallGroups: readonly { code: VaccineGroup; label: string }[] = forecastGroups.map((code) => ({ code, label: vaccineGroupData[code].label }));

export interface RecallCriteria {
  groups: VaccineGroup[];
  /** Ages in whole years, both included: 0–18 is from birth to the day before the 19th birthday. */
  minAge: number;
  maxAge: number;
  /** Only clients past due, or due and past due. */
  overdueOnly: boolean;
}

export const defaultRecallCriteria: RecallCriteria = { groups: [...forecastGroups], minAge: 0, maxAge: 18, overdueOnly: false };

/** The criteria of a recall form: `group_<code>` checkboxes (one field each), ages, status. */
export function parseRecallCriteria(body: Record<string, string | undefined>): { criteria: RecallCriteria } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const groups = recallGroups.filter((g) => body[`group_${g.code}`] === '1').map((g) => g.code);
  if (!groups.length) errors[`group_${recallGroups[0]!.code}`] = 'Choose at least one vaccine group.';
  const age = (field: 'minAge' | 'maxAge', label: string) => {
    const text = (body[field] ?? '').trim();
    if (!/^\d{1,3}$/.test(text) || Number(text) > 120) {
      errors[field] = `Enter the ${label} as whole years from 0 to 120.`;
      return undefined;
    }
    return Number(text);
  };
  const minAge = age('minAge', 'youngest age');
  const maxAge = age('maxAge', 'oldest age');
  if (minAge !== undefined && maxAge !== undefined && minAge > maxAge) errors.minAge = 'The youngest age must not be more than the oldest age.';
  const status = body.status ?? 'due';
  if (status !== 'due' && status !== 'overdue') errors.status = 'Choose which clients to list.';
  if (Object.keys(errors).length || minAge === undefined || maxAge === undefined) return { errors };
  return { criteria: { groups, minAge, maxAge, overdueOnly: status === 'overdue' } };
}

/** The form fields that carry criteria from the list to its CSV and letters. */
export function recallCriteriaFields(criteria: RecallCriteria): Record<string, string> {
  const fields: Record<string, string> = { minAge: String(criteria.minAge), maxAge: String(criteria.maxAge), status: criteria.overdueOnly ? 'overdue' : 'due' };
  for (const g of criteria.groups) fields[`group_${g}`] = '1';
  return fields;
}

export interface RecallDue {
  group: VaccineGroup;
  label: string;
  status: 'due' | 'overdue';
  nextDose: number | undefined;
  /** Overdue since the past-due date, due since the recommended date. */
  since: string;
}

export interface RecallEntry {
  client: RecallCandidate;
  age: number;
  responsible: ResponsiblePerson | undefined;
  due: RecallDue[];
}

export interface RecallList {
  criteria: RecallCriteria;
  today: string;
  organization: { iis_id: string; name: string; code: string; phone: string | null; city: string | null };
  /** Clients whose records were evaluated. */
  checked: number;
  /** More clients matched than a run checks: the list is of the first `cap` only. */
  capped: boolean;
  cap: number;
  entries: RecallEntry[];
  byGroup: { group: VaccineGroup; label: string; due: number; overdue: number }[];
}

/** The largest run: beyond it a person narrows the age range rather than wait. */
export const recallCap = 5_000;

/**
 * Recall and reminder (seed 000: "Produce recall and reminder notices"): the clients of the actor's
 * organization due or overdue for chosen vaccine groups, as the forecast says today. Candidates and
 * their histories are read in bulk (two queries per 500 clients), never one query per client.
 */
export function createRecall(deps: { db: Db; clock: Clock; orgs: OrganizationQueries; cap?: number }) {
  const { clock, orgs } = deps;
  const cap = deps.cap ?? recallCap;
  const queries = createReportQueries(deps.db);
  const immunizations = createImmunizationQueries(deps.db);
  const today = () => new Date(clock.now()).toISOString().slice(0, 10);

  async function organizationOf(actor: Actor): Promise<RecallList['organization']> {
    const row = await orgs.find(actor.org.iis_id);
    return { iis_id: actor.org.iis_id, name: row?.name ?? actor.org.name, code: actor.org.code, phone: row?.phone ?? null, city: row?.city ?? null };
  }

  async function run(actor: Actor, criteria: RecallCriteria): Promise<RecallList> {
    requireCapability(actor, 'recall:run');
    const day = today();
    const organization = await organizationOf(actor);
    const candidates = await queries.recallCandidates({
      organizationId: actor.org.iis_id,
      bornFrom: addDays(addYears(day, -(criteria.maxAge + 1)), 1),
      bornTo: addYears(day, -criteria.minAge),
      limit: cap + 1,
    });
    const capped = candidates.length > cap;
    const checked = candidates.slice(0, cap);
    const histories = await immunizations.historiesOf(checked.map((c) => c.id));
    const found: { client: RecallCandidate; due: RecallDue[] }[] = [];
    for (const [index, client] of checked.entries()) {
      // The forecast is CPU work (about a millisecond a client): let other requests in between.
      if (index % 100 === 99) await nextTurn();
      const due = dueGroups(forecast({ birthDate: client.birth_date, doses: histories.get(client.id) ?? [] }, day, criteria.groups), day, criteria.overdueOnly);
      if (due.length) found.push({ client, due });
    }
    const responsible = await queries.responsiblePersonsOf(found.map((f) => f.client.id));
    const entries = found.map((f) => ({ ...f, age: ageInYears(f.client.birth_date, day), responsible: responsible.get(f.client.id) }));
    const byGroup = criteria.groups.map((group) => {
      const statuses = entries.flatMap((e) => e.due.filter((d) => d.group === group).map((d) => d.status));
      return { group, label: vaccineGroupData[group].label, due: statuses.filter((s) => s === 'due').length, overdue: statuses.filter((s) => s === 'overdue').length };
    });
    return { criteria, today: day, organization, checked: checked.length, capped, cap, entries, byGroup };
  }

  return {
    /** What the recall form offers; refuses a role without recall before the form is shown. */
    async options(actor: Actor) {
      requireCapability(actor, 'recall:run');
      return { groups: recallGroups, organization: await organizationOf(actor) };
    },

    run,

    /**
     * The list leaving the registry as a file or as letters: a disclosure of each client on it, so
     * each gets a line on the audit trail (who, which organization, which kind) — the same record
     * an Official Immunization Record print leaves.
     */
    async disclose(actor: Actor, criteria: RecallCriteria, kind: 'csv' | 'letters'): Promise<RecallList> {
      const list = await run(actor, criteria);
      const at = clock.now();
      const details = `${criteria.groups.join(' ')}; ages ${criteria.minAge}-${criteria.maxAge}${criteria.overdueOnly ? '; overdue only' : ''}`;
      await queries.recordDisclosures(list.entries.map((e) => ({ at, sub: actor.sub, organization_id: actor.org.iis_id, action: `recall.${kind}`, client_id: e.client.id, details })));
      return list;
    },
  };
}

function dueGroups(forecasts: GroupForecast[], day: string, overdueOnly: boolean): RecallDue[] {
  const out: RecallDue[] = [];
  for (const f of forecasts) {
    const status = dueStatus(f, day);
    // dueStatus says overdue only with a past-due date, due only with a recommended one.
    if (status === 'overdue') out.push({ group: f.vaccineGroup, label: f.label, status, nextDose: f.nextDose, since: f.pastDue! });
    else if (status === 'due' && !overdueOnly) out.push({ group: f.vaccineGroup, label: f.label, status, nextDose: f.nextDose, since: f.recommended! });
  }
  return out;
}

export type Recall = ReturnType<typeof createRecall>;
