import type { Db } from '@portal/db';

/** roi_submitted → widget_active → waiting → live: each step is taken by a compare-and-set. */
export type ExchangeState = 'roi_submitted' | 'widget_active' | 'waiting' | 'live';

export interface ExchangeRow {
  id: number;
  organization_iis_id: string;
  enrollment_id: number;
  state: ExchangeState;
  roi: string;
  queued_at: number | null;
  hl7_client_id: string | null;
  created_at: number;
  updated_at: number;
}

export function createExchangeQueries(db: Db) {
  return {
    async ofOrganization(iisId: string): Promise<ExchangeRow | undefined> {
      return db('exchanges').where({ organization_iis_id: iisId }).first();
    },
    async withState(state: ExchangeState): Promise<ExchangeRow[]> {
      return db('exchanges').where({ state }).orderBy(state === 'waiting' ? 'queued_at' : 'updated_at', 'asc').orderBy('id', 'asc').select('*');
    },
    async insert(row: Omit<ExchangeRow, 'id'>): Promise<number> {
      const [inserted] = await db('exchanges').insert(row).returning('id');
      return typeof inserted === 'object' ? (inserted as { id: number }).id : (inserted as number);
    },
    async updateRoi(id: number, roi: string, now: number): Promise<boolean> {
      return (await db('exchanges').where({ id, state: 'roi_submitted' }).update({ roi, updated_at: now })) === 1;
    },
    /** The step is taken only from `from`: a repeated or skipped step changes nothing (0 rows). */
    async transition(id: number, from: ExchangeState, to: ExchangeState, now: number, patch: Partial<Pick<ExchangeRow, 'queued_at'>> = {}): Promise<boolean> {
      return (await db('exchanges').where({ id, state: from }).update({ ...patch, state: to, updated_at: now })) === 1;
    },
    /** 1 for the first in the waiting queue: those who entered it earlier, plus one. */
    async queuePosition(row: ExchangeRow): Promise<number> {
      const ahead = await db('exchanges')
        .where({ state: 'waiting' })
        .andWhere((q) => q.where('queued_at', '<', row.queued_at!).orWhere((q2) => q2.where('queued_at', row.queued_at!).andWhere('id', '<', row.id)))
        .count<{ n: number | string }[]>({ n: '*' });
      return Number(ahead[0]?.n ?? 0) + 1;
    },
    /** Records the HL7 client of a live site once (a second concurrent issue is refused). */
    async setClientId(id: number, clientId: string, now: number): Promise<boolean> {
      return (await db('exchanges').where({ id, state: 'live' }).whereNull('hl7_client_id').update({ hl7_client_id: clientId, updated_at: now })) === 1;
    },
  };
}

export type ExchangeQueries = ReturnType<typeof createExchangeQueries>;
