/** The forecaster's public vocabulary; `index.ts` re-exports it. */

/** The CDSi vaccine groups this forecaster knows (CDSi names: HepB, DTaP/Tdap/Td, Polio, MMR, Varicella). */
export type VaccineGroup = 'HepB' | 'DTaP' | 'Polio' | 'MMR' | 'Varicella';

/** One vaccination as recorded: ISO date and CVX code with leading zeros ("08"). */
export interface DoseGiven {
  date: string;
  cvx: string;
}

export interface PatientHistory {
  birthDate: string;
  doses: readonly DoseGiven[];
}

export type DoseStatus = 'valid' | 'not_valid' | 'extraneous';

export interface DoseEvaluation {
  date: string;
  cvx: string;
  vaccineGroup: VaccineGroup;
  status: DoseStatus;
  /** Why a dose is not valid or extraneous, e.g. "Age: too young", "Interval: too short". */
  reason?: string;
  /** The series' target dose this dose satisfied (valid doses only). */
  targetDose?: number;
}

export type SeriesStatus = 'not_complete' | 'complete' | 'immune' | 'aged_out' | 'not_recommended';

export interface GroupForecast {
  vaccineGroup: VaccineGroup;
  /** How people name the group, e.g. "DTaP/Tdap/Td". */
  label: string;
  status: SeriesStatus;
  /** The number of the next dose: the doses that counted so far plus one (as CDSi test cases count it). */
  nextDose?: number;
  /** First date the next dose would be valid, without the 4-day grace period. */
  earliest?: string;
  recommended?: string;
  /** From this date on the patient is overdue. */
  pastDue?: string;
  evaluations: DoseEvaluation[];
}
