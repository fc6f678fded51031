import type { Db } from '@portal/db';

export type EnrollmentStatus = 'draft' | 'submitted' | 'approved' | 'rejected';

export interface EnrollmentRow {
  id: number;
  kind: 'registration' | 'renewal';
  programme: string;
  organization_iis_id: string;
  organization_name: string;
  status: EnrollmentStatus;
  renews_id: number | null;
  details: string;
  site_name: string;
  contact_sub: string;
  contact_name: string;
  contact_email: string | null;
  created_at: number;
  updated_at: number;
}

export interface EventRow {
  id: number;
  enrollment_id: number | null;
  exchange_id: number | null;
  at: number;
  actor_sub: string;
  actor_name: string;
  from_state: string | null;
  to_state: string;
  comment: string | null;
}

/** Enrollments and the history of their transitions. */
export function createEnrollmentQueries(db: Db) {
  return {
    async insert(row: Omit<EnrollmentRow, 'id'>): Promise<number> {
      const [inserted] = await db('enrollments').insert(row).returning('id');
      return typeof inserted === 'object' ? (inserted as { id: number }).id : (inserted as number);
    },
    async find(id: number): Promise<EnrollmentRow | undefined> {
      return db('enrollments').where({ id }).first();
    },
    async ofOrganizations(iisIds: readonly string[]): Promise<EnrollmentRow[]> {
      if (!iisIds.length) return [];
      return db('enrollments').whereIn('organization_iis_id', iisIds).orderBy('id', 'desc').select('*');
    },
    async withStatus(status: EnrollmentStatus): Promise<EnrollmentRow[]> {
      return db('enrollments').where({ status }).orderBy('updated_at', 'asc').select('*');
    },
    async lastApproved(iisId: string, programme?: string): Promise<EnrollmentRow | undefined> {
      const q = db('enrollments').where({ organization_iis_id: iisId, status: 'approved' });
      if (programme) q.andWhere({ programme });
      return q.orderBy('updated_at', 'desc').orderBy('id', 'desc').first();
    },
    /** Saves a draft's form only while it is still a draft (compare-and-set on the status). */
    async saveDraft(id: number, details: string, siteName: string, now: number): Promise<boolean> {
      return (await db('enrollments').where({ id }).whereIn('status', ['draft', 'rejected']).update({ details, site_name: siteName, updated_at: now })) === 1;
    },
    /**
     * Moves an enrollment from one status to another only if it is still in `from`: of two
     * reviewers approving at once, one wins and the other is told (no double approval).
     */
    async transition(id: number, from: readonly EnrollmentStatus[], to: EnrollmentStatus, now: number, patch: Partial<Pick<EnrollmentRow, 'details' | 'site_name' | 'contact_email' | 'contact_name' | 'contact_sub'>> = {}): Promise<boolean> {
      return (await db('enrollments').where({ id }).whereIn('status', from).update({ ...patch, status: to, updated_at: now })) === 1;
    },
    async addEvent(event: Omit<EventRow, 'id'>): Promise<void> {
      await db('enrollment_events').insert(event);
    },
    async history(enrollmentId: number): Promise<EventRow[]> {
      return db('enrollment_events').where({ enrollment_id: enrollmentId }).orderBy('at', 'asc').orderBy('id', 'asc').select('*');
    },
    async exchangeHistory(exchangeId: number): Promise<EventRow[]> {
      return db('enrollment_events').where({ exchange_id: exchangeId }).orderBy('at', 'asc').orderBy('id', 'asc').select('*');
    },
  };
}

export type EnrollmentQueries = ReturnType<typeof createEnrollmentQueries>;
