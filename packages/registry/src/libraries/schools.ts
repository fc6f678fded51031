import { unitOfWork, type Db } from '@portal/db';
import type { Clock } from '@portal/rp-kit';
import { z } from 'zod';
import { dueStatus, forecast, type DueStatus, type SeriesStatus, type VaccineGroup } from '../forecast/index.js';
import type { AuditQueries } from '../queries/audit.js';
import { createClientQueries, type ClientRow } from '../queries/clients.js';
import { createImmunizationQueries } from '../queries/immunizations.js';
import { createSchoolQueries, type ListStudent, type SchoolListRow, type SchoolListSummary, type SchoolReportRow } from '../queries/schools.js';
import { parseDate } from '../search/dates.js';
import { can, requireCapability, type Actor } from './access.js';
import { InvalidForm, RegistryError } from './errors.js';

/** The vaccine groups a school report shows (Texas school requirements), in this order. */
export const schoolGroups: readonly VaccineGroup[] = ['HepB', 'DTaP', 'Polio', 'MMR', 'Varicella'];

/** A list holds a school's class or grade; more than this is a mistake, not a grade. */
export const maxStudentsPerList = 2_000;

// Bidi overrides and zero-width characters (Cf) would make two names look alike or a name read
// backwards on the page; control characters (Cc) have no place in a name.
const invisible = /[\p{Cc}\p{Cf}]/u;

/** The list-name form (create and rename): any printable text, escaped wherever it is shown. */
export const listNameInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter a name for the list, for example \u201cKindergarten 2026\u201d.')
    .max(100, 'A list name has at most 100 characters.')
    .refine((v) => !invisible.test(v), 'A list name may contain only visible characters.'),
});

/** The report form: the date the report is as of, today when left empty. */
export const reportInput = z.object({
  asOf: z
    .string()
    .trim()
    .max(10, 'Enter the date as MM/DD/YYYY.')
    .transform((v, ctx) => {
      if (!v) return null;
      const iso = parseDate(v);
      if (!iso) ctx.addIssue({ code: 'custom', message: 'Enter the date as MM/DD/YYYY.' });
      return iso ?? null;
    }),
});

const groupStanding = z.object({
  status: z.enum(['complete', 'up_to_date', 'due', 'overdue']),
  series: z.enum(['not_complete', 'complete', 'immune', 'aged_out', 'not_recommended']),
  nextDose: z.number().optional(),
  recommended: z.string().optional(),
  pastDue: z.string().optional(),
});

/** What school_reports.summary holds: the report as it was made, read back through this schema. */
const reportSummary = z.object({
  version: z.literal(1),
  listName: z.string(),
  asOf: z.string(),
  createdBy: z.string(),
  groups: z.array(z.object({ code: z.string(), label: z.string() })),
  students: z.array(
    z.object({
      clientId: z.number(),
      registryId: z.string(),
      lastName: z.string(),
      firstName: z.string(),
      middleName: z.string().nullable(),
      birthDate: z.string(),
      groups: z.record(z.string(), groupStanding),
    }),
  ),
});

export type GroupStanding = z.infer<typeof groupStanding>;
export type ReportSummary = z.infer<typeof reportSummary>;
export type ReportStudent = ReportSummary['students'][number];

export interface SchoolReport extends ReportSummary {
  id: number;
  listId: number;
  createdAt: number;
}

/** A report in the "check school report" list: what it is of, not its rows. */
export interface ReportEntry {
  id: number;
  listId: number;
  listName: string;
  asOf: string;
  createdBy: string;
  createdAt: number;
  students: number;
}

/**
 * Schools (seed 000, functions for all users): student lists of the actor's organization, adding
 * students found with the client search, and school reports of a list. Every function checks the
 * role first; a list or report of another organization is "not found", the same answer as an id
 * that does not exist; a withdrawn-consent client is not added or reported but for Full Access State.
 */
export function createSchools(deps: { db: Db; clock: Clock; audit: AuditQueries }) {
  const { db, clock, audit } = deps;
  const schools = createSchoolQueries(db);
  const clients = createClientQueries(db);
  const immunizations = createImmunizationQueries(db);
  const unit = unitOfWork(db);
  const today = () => new Date(clock.now()).toISOString().slice(0, 10);

  const record = (actor: Actor, action: string, clientId: number | null, details: string) =>
    audit.record({ at: clock.now(), sub: actor.sub, organization_id: actor.org.iis_id, action, client_id: clientId, details });

  async function ownList(actor: Actor, listId: number): Promise<SchoolListRow> {
    const list = Number.isSafeInteger(listId) && listId > 0 ? await schools.findList(actor.org.iis_id, listId) : undefined;
    if (!list) throw new RegistryError('list.not_found', 404);
    return list;
  }

  async function visibleClient(actor: Actor, registryId: string): Promise<ClientRow> {
    const client = /^\d{10}$/.test(registryId) ? await clients.findByRegistryId(registryId) : undefined;
    // Withdrawn consent: as unknown as an id that does not exist (the record is not shown to them).
    if (!client || (client.consent === 'withdrawn' && !can(actor, 'clients:withdrawn'))) throw new RegistryError('client.not_found', 404);
    return client;
  }

  async function nameIsFree(actor: Actor, name: string, exceptListId?: number): Promise<void> {
    const taken = await schools.findListByName(actor.org.iis_id, name);
    if (taken && taken.id !== exceptListId) throw new InvalidForm({ name: `Your organization already has a list named \u201c${taken.name}\u201d. Choose another name.` });
  }

  /** Two people creating the same name at once: the unique index decides, with the same message. */
  function asNameTaken(err: unknown, name: string): never {
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505') throw new InvalidForm({ name: `Your organization already has a list named \u201c${name}\u201d. Choose another name.` });
    throw err;
  }

  function parseSummary(row: SchoolReportRow): ReportSummary {
    return reportSummary.parse(JSON.parse(row.summary));
  }

  return {
    async lists(actor: Actor): Promise<SchoolListSummary[]> {
      requireCapability(actor, 'schools:manage');
      return schools.listsOf(actor.org.iis_id);
    },

    /** One list: its students (withdrawn ones only for Full Access State) and its reports. */
    async list(actor: Actor, listId: number): Promise<{ list: SchoolListRow; students: ListStudent[]; reports: ReportEntry[] }> {
      requireCapability(actor, 'schools:manage');
      const list = await ownList(actor, listId);
      const [students, reports] = await Promise.all([schools.students(list.id, can(actor, 'clients:withdrawn')), schools.reportsOf(actor.org.iis_id, list.id)]);
      return { list, students, reports: reports.map((r) => entryOf(r, parseSummary(r))) };
    },

    async createList(actor: Actor, name: string): Promise<number> {
      requireCapability(actor, 'schools:manage');
      return unit(async () => {
        await nameIsFree(actor, name);
        const id = await schools.insertList(actor.org.iis_id, name, clock.now()).catch((err: unknown) => asNameTaken(err, name));
        await record(actor, 'school.list.create', null, `list ${id}`);
        return id;
      });
    },

    async renameList(actor: Actor, listId: number, name: string): Promise<void> {
      requireCapability(actor, 'schools:manage');
      await unit(async () => {
        const list = await ownList(actor, listId);
        if (list.name === name) return;
        await nameIsFree(actor, name, list.id);
        await schools.renameList(actor.org.iis_id, list.id, name).catch((err: unknown) => asNameTaken(err, name));
        await record(actor, 'school.list.rename', null, `list ${list.id}`);
      });
    },

    /** Deletes the list, its students' places on it and its reports. */
    async deleteList(actor: Actor, listId: number): Promise<void> {
      requireCapability(actor, 'schools:manage');
      await unit(async () => {
        const list = await ownList(actor, listId);
        await schools.deleteList(actor.org.iis_id, list.id);
        await record(actor, 'school.list.delete', null, `list ${list.id}`);
      });
    },

    /** Of the organization's lists, those each client is on (client id → list ids). */
    async listsWith(actor: Actor, clientIds: number[]): Promise<Map<number, Set<number>>> {
      requireCapability(actor, 'schools:manage');
      return schools.listIdsWith(actor.org.iis_id, clientIds);
    },

    /**
     * Adds a client to one or more of the organization's lists; returns on how many lists they
     * were new. Every list is checked before anything is written: one foreign id changes nothing.
     */
    async addStudent(actor: Actor, registryId: string, listIds: number[]): Promise<number> {
      requireCapability(actor, 'schools:manage');
      if (!listIds.length) throw new InvalidForm({ lists: 'Choose at least one list to add the student to.' });
      return unit(async () => {
        const client = await visibleClient(actor, registryId);
        const lists = await Promise.all(listIds.map((id) => ownList(actor, id)));
        let added = 0;
        for (const list of lists) {
          if ((await schools.studentCount(list.id)) >= maxStudentsPerList) {
            throw new InvalidForm({ lists: `\u201c${list.name}\u201d already has ${maxStudentsPerList.toLocaleString('en-US')} students, the most a list can hold.` });
          }
          if (!(await schools.addStudent(list.id, client.id, clock.now()))) continue;
          added++;
          await record(actor, 'school.student.add', client.id, `list ${list.id}`);
        }
        return added;
      });
    },

    async removeStudent(actor: Actor, listId: number, registryId: string): Promise<void> {
      requireCapability(actor, 'schools:manage');
      await unit(async () => {
        const list = await ownList(actor, listId);
        const client = await visibleClient(actor, registryId);
        if (!(await schools.removeStudent(list.id, client.id))) throw new RegistryError('client.not_found', 404, 'That client is not on this list.');
        await record(actor, 'school.student.remove', client.id, `list ${list.id}`);
      });
    },

    /**
     * A school report of the list as of `asOf` (today when null): each student's standing in the
     * school vaccine groups by the CDSi forecast, stored as it is now, so checking it later shows
     * what was reported even after doses or the list change.
     */
    async generateReport(actor: Actor, listId: number, asOf: string | null): Promise<number> {
      requireCapability(actor, 'schools:manage');
      const date = asOf ?? today();
      const latest = new Date(clock.now() + 366 * 86_400_000).toISOString().slice(0, 10);
      if (date > latest) throw new InvalidForm({ asOf: 'Choose a date no more than a year from today.' });
      const list = await ownList(actor, listId);
      const students = await schools.students(list.id, can(actor, 'clients:withdrawn'));
      if (!students.length) throw new InvalidForm({ asOf: 'Add students to the list before making a report of it.' });
      const histories = await immunizations.historiesOf(students.map((s) => s.client_id));
      let groups: ReportSummary['groups'] = [];
      const rows = students.map((s) => {
        const forecasts = forecast({ birthDate: s.birth_date, doses: histories.get(s.client_id) ?? [] }, date, schoolGroups);
        groups = forecasts.map((f) => ({ code: f.vaccineGroup, label: f.label }));
        return {
          clientId: s.client_id, registryId: s.registry_id, lastName: s.last_name, firstName: s.first_name, middleName: s.middle_name, birthDate: s.birth_date,
          groups: Object.fromEntries(forecasts.map((f) => [f.vaccineGroup, standing(f.status, dueStatus(f, date), f)])),
        };
      });
      const summary: ReportSummary = { version: 1, listName: list.name, asOf: date, createdBy: actor.name, groups, students: rows };
      return unit(async () => {
        const id = await schools.insertReport({ list_id: list.id, organization_id: actor.org.iis_id, created_by: actor.name.slice(0, 200), created_at: clock.now(), summary: JSON.stringify(summary) });
        await record(actor, 'school.report.create', null, `list ${list.id} report ${id}`);
        return id;
      });
    },

    /** "Check school report": the organization's reports, newest first. */
    async reports(actor: Actor): Promise<ReportEntry[]> {
      requireCapability(actor, 'schools:manage');
      return (await schools.reportsOf(actor.org.iis_id)).map((r) => entryOf(r, parseSummary(r)));
    },

    /**
     * A stored report as it was made — but a student whose consent has been withdrawn since is no
     * longer shown (but to Full Access State). `download` records the export in the audit trail.
     */
    async report(actor: Actor, reportId: number, options: { download?: boolean } = {}): Promise<SchoolReport> {
      requireCapability(actor, 'schools:manage');
      const row = Number.isSafeInteger(reportId) && reportId > 0 ? await schools.findReport(actor.org.iis_id, reportId) : undefined;
      if (!row) throw new RegistryError('list.not_found', 404, 'That school report does not exist at your organization.');
      const summary = parseSummary(row);
      if (!can(actor, 'clients:withdrawn')) {
        const withdrawn = await schools.withdrawnAmong(summary.students.map((s) => s.clientId));
        summary.students = summary.students.filter((s) => !withdrawn.has(s.clientId));
      }
      // Exporting the rows is a disclosure of them: the trail says who took which report away.
      if (options.download) await record(actor, 'school.report.download', null, `list ${row.list_id} report ${row.id}`);
      return { ...summary, id: row.id, listId: row.list_id, createdAt: row.created_at };
    },
  };
}

function standing(series: SeriesStatus, status: DueStatus, f: { nextDose?: number | undefined; recommended?: string | undefined; pastDue?: string | undefined }): GroupStanding {
  return {
    status, series,
    ...(f.nextDose !== undefined ? { nextDose: f.nextDose } : {}),
    ...(f.recommended ? { recommended: f.recommended } : {}),
    ...(f.pastDue ? { pastDue: f.pastDue } : {}),
  };
}

function entryOf(row: SchoolReportRow, summary: ReportSummary): ReportEntry {
  return { id: row.id, listId: row.list_id, listName: summary.listName, asOf: summary.asOf, createdBy: summary.createdBy, createdAt: row.created_at, students: summary.students.length };
}

export type Schools = ReturnType<typeof createSchools>;
