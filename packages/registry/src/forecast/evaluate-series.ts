import type { IsoDate } from './calendar-date.js';
import { firstNeededTargetIndex } from './conditional-skip.js';
import { addDuration, type Duration } from './duration.js';
import { conflictBegin, conflictEnd, conflictEndAfterValidDose, liveVirusVaccines } from './supporting-data/live-virus-conflicts.js';
import { previousIntervalStart, type EvaluatedDose, type SeriesProgress } from './series-progress.js';
import type { SeriesDefinition, TargetDose, VaccineAllowance } from './supporting-data/series-definition.js';
import type { DoseGiven } from './types.js';

/** What the evaluation needs to know about the patient besides the doses of this group. */
export interface EvaluationContext {
  birthDate: IsoDate;
  /** Every live-virus dose in the history, of any group, with whether it counted where it was evaluated. */
  liveDoses: readonly { date: IsoDate; countedInItsGroup: boolean }[];
}

type Outcome = Omit<EvaluatedDose, 'dose' | 'targetDose'>;

/**
 * CDSi chapter 6, "Evaluate vaccine dose administered", for one series: each dose, in date
 * order, is held against the first target dose still needed. A dose that fails does not move the
 * series on, but the next dose's "from previous" intervals are measured from it.
 */
export function evaluateSeries(series: SeriesDefinition, doses: readonly DoseGiven[], context: EvaluationContext): SeriesProgress {
  const progress: SeriesProgress = { series, birthDate: context.birthDate, evaluated: [], nextTargetIndex: 0, satisfiedOn: [], validCount: 0 };

  for (const dose of doses) {
    progress.nextTargetIndex = firstNeededTargetIndex(progress.nextTargetIndex, 'evaluation', dose.date, progress);
    const targetDose = series.doses[progress.nextTargetIndex];
    if (!targetDose) {
      progress.evaluated.push({ dose, status: 'extraneous', reason: 'Series already complete', startsNextInterval: false, notValidForAgeOrInterval: false });
      continue;
    }
    const outcome = evaluateAgainstTarget(dose, targetDose, progress, context);
    if (outcome.status === 'valid') {
      progress.satisfiedOn[progress.nextTargetIndex] = dose.date;
      progress.validCount++;
      progress.evaluated.push({ dose, ...outcome, targetDose: progress.nextTargetIndex + 1 });
      progress.nextTargetIndex++;
    } else {
      progress.evaluated.push({ dose, ...outcome });
    }
  }
  return progress;
}

function evaluateAgainstTarget(dose: DoseGiven, targetDose: TargetDose, progress: SeriesProgress, context: EvaluationContext): Outcome {
  const notValid = (reason: string, forAgeOrInterval: boolean): Outcome => ({ status: 'not_valid', reason, startsNextInterval: true, notValidForAgeOrInterval: forAgeOrInterval });

  if (targetDose.inadvertentVaccines?.includes(dose.cvx)) {
    return { status: 'not_valid', reason: 'Vaccine: inadvertent administration', startsNextInterval: false, notValidForAgeOrInterval: false };
  }

  const previous = previousIntervalStart(progress);
  // CDSi grace period: a dose up to 4 days early counts, unless the dose before it failed on age or interval.
  const graceApplies = progress.nextTargetIndex === 0 || !(previous?.notValidForAgeOrInterval ?? false);
  const { age } = targetDose;
  const { birthDate } = context;

  if (age.maxAge && dose.date >= addDuration(birthDate, age.maxAge)) {
    return { status: 'extraneous', reason: 'Age: too old', startsNextInterval: false, notValidForAgeOrInterval: false };
  }
  const absMinAge = age.absMinAge ?? age.minAge;
  const minAge = age.minAge ?? age.absMinAge;
  if (absMinAge && dose.date < addDuration(birthDate, absMinAge)) return notValid('Age: too young', true);
  if (minAge && dose.date < addDuration(birthDate, minAge) && !graceApplies) return notValid('Age: too young (no grace period after an invalid dose)', true);

  for (const interval of targetDose.intervals ?? []) {
    const from = interval.from === 'previous' ? previous?.dose.date : progress.satisfiedOn[interval.from.targetDose - 1];
    if (from === undefined) continue;
    const allowable = targetDose.allowableInterval && previous ? meets(dose.date, previous.dose.date, targetDose.allowableInterval.absMinInt) : false;
    if (!meets(dose.date, from, interval.absMinInt) && !allowable) return notValid('Interval: too short', true);
    if (!meets(dose.date, from, interval.minInt) && !graceApplies && !allowable) return notValid('Interval: too short (no grace period after an invalid dose)', true);
  }

  if (liveVirusVaccines.has(dose.cvx)) {
    const conflicting = context.liveDoses.find(
      (live) =>
        dose.date >= addDuration(live.date, conflictBegin) && dose.date < addDuration(live.date, live.countedInItsGroup ? conflictEndAfterValidDose : conflictEnd),
    );
    if (conflicting) return notValid(`Live virus conflict with the live vaccine of ${conflicting.date}`, false);
  }

  const allowed = [...targetDose.preferableVaccines, ...targetDose.allowableVaccines].some((vaccine) => isGivenWithinAges(vaccine, dose, birthDate));
  if (!allowed) return notValid('Vaccine: not allowable for this dose at this age', false);

  return { status: 'valid', startsNextInterval: true, notValidForAgeOrInterval: false };
}

function meets(date: IsoDate, from: IsoDate, interval: Duration): boolean {
  return date >= addDuration(from, interval);
}

function isGivenWithinAges(vaccine: VaccineAllowance, dose: DoseGiven, birthDate: IsoDate): boolean {
  if (vaccine.cvx !== dose.cvx) return false;
  if (vaccine.beginAge && dose.date < addDuration(birthDate, vaccine.beginAge)) return false;
  return !(vaccine.endAge && dose.date >= addDuration(birthDate, vaccine.endAge));
}
