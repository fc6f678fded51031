import type { IsoDate } from './calendar-date.js';
import type { SeriesDefinition } from './supporting-data/series-definition.js';
import type { DoseGiven, DoseStatus } from './types.js';

/** A dose as one series judged it. */
export interface EvaluatedDose {
  dose: DoseGiven;
  status: DoseStatus;
  reason?: string;
  /** 1-based target dose the dose satisfied. */
  targetDose?: number;
  /** Whether later intervals "from the previous dose" are measured from this one (CDSi: valid or not valid, not inadvertent or extraneous). */
  startsNextInterval: boolean;
  /** CDSi: after such a dose the 4-day grace period no longer applies to the next one. */
  notValidForAgeOrInterval: boolean;
}

/** How far a patient has come through one series, and what the evaluation found on the way. */
export interface SeriesProgress {
  series: SeriesDefinition;
  birthDate: IsoDate;
  evaluated: EvaluatedDose[];
  /** 0-based index of the first target dose not yet satisfied or skipped. */
  nextTargetIndex: number;
  /** Date of the dose that satisfied each target dose, by 0-based index. */
  satisfiedOn: (IsoDate | undefined)[];
  validCount: number;
}

export function previousIntervalStart(progress: Pick<SeriesProgress, 'evaluated'>): EvaluatedDose | undefined {
  for (let i = progress.evaluated.length - 1; i >= 0; i--) {
    const evaluated = progress.evaluated[i];
    if (evaluated?.startsNextInterval) return evaluated;
  }
  return undefined;
}
