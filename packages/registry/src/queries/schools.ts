import type { Db } from '@portal/db';
import type { Consent } from './clients.js';

export interface SchoolListRow {
  id: number;
  organization_id: string;
  name: string;
  created_at: number;
}

export interface SchoolListSummary extends SchoolListRow {
  students: number;
}

/** A student on a list, with what a list page and a report need of the client. */
export interface ListStudent {
  client_id: number;
  registry_id: string;
  first_name: string;
  middle_name: string | null;
  last_name: string;
  birth_date: string;
  consent: Consent;
  added_at: number;
}

export interface SchoolReportRow {
  id: number;
  list_id: number;
  organization_id: string;
  created_by: string;
  created_at: number;
  summary: string;
}

/**
 * School lists, their students and the reports made of them (seed 000, "Schools"). Every read and
 * change of a list or report names the organization: a list id alone never reaches another's list.
 */
export function createSchoolQueries(db: Db) {
  const insertedId = (row: unknown) => (typeof row === 'object' ? (row as { id: number }).id : (row as number));

  return {
    async listsOf(organizationId: string): Promise<SchoolListSummary[]> {
      const rows = (await db('school_lists as l')
        .leftJoin('school_list_students as s', 's.list_id', 'l.id')
        .where('l.organization_id', organizationId)
        .groupBy('l.id', 'l.organization_id', 'l.name', 'l.created_at')
        .orderBy('l.name')
        .select('l.id', 'l.organization_id', 'l.name', 'l.created_at')
        .count({ students: 's.client_id' })) as (SchoolListRow & { students: number | string })[];
      return rows.map((r) => ({ ...r, students: Number(r.students) }));
    },

    async findList(organizationId: string, id: number): Promise<SchoolListRow | undefined> {
      return db('school_lists').where({ id, organization_id: organizationId }).first();
    },

    /** A list of the organization with this name, whatever its letter case (names are told apart by people). */
    async findListByName(organizationId: string, name: string): Promise<SchoolListRow | undefined> {
      return db('school_lists').where({ organization_id: organizationId }).whereRaw('lower(name) = lower(?)', [name]).first();
    },

    async insertList(organizationId: string, name: string, now: number): Promise<number> {
      const [row] = await db('school_lists').insert({ organization_id: organizationId, name, created_at: now }).returning('id');
      return insertedId(row);
    },

    async renameList(organizationId: string, id: number, name: string): Promise<number> {
      return db('school_lists').where({ id, organization_id: organizationId }).update({ name });
    },

    /** The list with its students and its reports (the foreign keys cascade; said here too, for clarity). */
    async deleteList(organizationId: string, id: number): Promise<number> {
      const list = await db('school_lists').where({ id, organization_id: organizationId }).first('id');
      if (!list) return 0;
      await db('school_list_students').where({ list_id: id }).delete();
      await db('school_reports').where({ list_id: id, organization_id: organizationId }).delete();
      return db('school_lists').where({ id, organization_id: organizationId }).delete();
    },

    /** The list's students by name; withdrawn-consent clients only when asked for (Full Access State). */
    async students(listId: number, withdrawnToo: boolean): Promise<ListStudent[]> {
      const q = db('school_list_students as s')
        .join('clients as c', 'c.id', 's.client_id')
        .where('s.list_id', listId)
        .orderBy(['c.last_key', 'c.first_key', 'c.birth_date', 'c.id'])
        .select('s.client_id', 'c.registry_id', 'c.first_name', 'c.middle_name', 'c.last_name', 'c.birth_date', 'c.consent', 's.added_at');
      if (!withdrawnToo) q.whereNot('c.consent', 'withdrawn');
      return q;
    },

    async studentCount(listId: number): Promise<number> {
      const row = (await db('school_list_students').where({ list_id: listId }).count({ n: '*' }).first()) as { n: number | string } | undefined;
      return Number(row?.n ?? 0);
    },

    /** Adds the student unless already on the list; true when added. */
    async addStudent(listId: number, clientId: number, now: number): Promise<boolean> {
      const rows = await db('school_list_students').insert({ list_id: listId, client_id: clientId, added_at: now }).onConflict(['list_id', 'client_id']).ignore().returning('client_id');
      return rows.length > 0;
    },

    async removeStudent(listId: number, clientId: number): Promise<number> {
      return db('school_list_students').where({ list_id: listId, client_id: clientId }).delete();
    },

    /** Of the organization's lists, those the client is on (the find-student page marks them). */
    async listIdsWith(organizationId: string, clientIds: number[]): Promise<Map<number, Set<number>>> {
      const out = new Map<number, Set<number>>();
      if (!clientIds.length) return out;
      const rows = (await db('school_list_students as s')
        .join('school_lists as l', 'l.id', 's.list_id')
        .where('l.organization_id', organizationId)
        .whereIn('s.client_id', clientIds)
        .select('s.client_id', 's.list_id')) as { client_id: number; list_id: number }[];
      for (const r of rows) out.set(r.client_id, (out.get(r.client_id) ?? new Set()).add(r.list_id));
      return out;
    },

    async insertReport(report: Omit<SchoolReportRow, 'id'>): Promise<number> {
      const [row] = await db('school_reports').insert(report).returning('id');
      return insertedId(row);
    },

    async findReport(organizationId: string, id: number): Promise<SchoolReportRow | undefined> {
      return db('school_reports').where({ id, organization_id: organizationId }).first();
    },

    /** The organization's reports, newest first (or one list's). */
    async reportsOf(organizationId: string, listId?: number): Promise<SchoolReportRow[]> {
      const q = db('school_reports').where({ organization_id: organizationId }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(200).select('*');
      if (listId !== undefined) q.where({ list_id: listId });
      return q;
    },

    /** Which of these clients have withdrawn consent now (a stored report stops showing them). */
    async withdrawnAmong(clientIds: number[]): Promise<Set<number>> {
      const out = new Set<number>();
      for (let i = 0; i < clientIds.length; i += 500) {
        const rows = (await db('clients').whereIn('id', clientIds.slice(i, i + 500)).where({ consent: 'withdrawn' }).select('id')) as { id: number }[];
        for (const r of rows) out.add(r.id);
      }
      return out;
    },
  };
}

export type SchoolQueries = ReturnType<typeof createSchoolQueries>;
