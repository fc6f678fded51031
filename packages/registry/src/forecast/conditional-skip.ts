import type { IsoDate } from './calendar-date.js';
import { addDuration, type Duration } from './duration.js';
import { previousIntervalStart, type SeriesProgress } from './series-progress.js';
import type { SkipCondition, SkipSet, TargetDose } from './supporting-data/series-definition.js';

/**
 * CDSi "evaluate conditional skip": whether a target dose is not needed. During evaluation the
 * reference date is the date of the dose being evaluated; during forecast it is the assessment
 * date. Only doses evaluated so far (all earlier than the reference date) are counted.
 */
export function isTargetDoseSkipped(targetDose: TargetDose, context: 'evaluation' | 'forecast', referenceDate: IsoDate, progress: SeriesProgress): boolean {
  return (targetDose.conditionalSkips ?? []).some(
    (skip) => (skip.context === 'both' || skip.context === context) && skip.sets.some((set) => isSetMet(set, referenceDate, progress)),
  );
}

/** Moves past every target dose, from `fromIndex` on, that the patient does not need. */
export function firstNeededTargetIndex(fromIndex: number, context: 'evaluation' | 'forecast', referenceDate: IsoDate, progress: SeriesProgress): number {
  let index = fromIndex;
  for (let target = progress.series.doses[index]; target && isTargetDoseSkipped(target, context, referenceDate, progress); target = progress.series.doses[index]) index++;
  return index;
}

function isSetMet(set: SkipSet, referenceDate: IsoDate, progress: SeriesProgress): boolean {
  const met = (condition: SkipCondition) => isConditionMet(condition, referenceDate, progress);
  return set.conditionLogic === 'OR' ? set.conditions.some(met) : set.conditions.every(met);
}

function isConditionMet(condition: SkipCondition, referenceDate: IsoDate, progress: SeriesProgress): boolean {
  const { birthDate } = progress;
  const withinAges = (date: IsoDate, beginAge?: Duration, endAge?: Duration) =>
    (beginAge === undefined || date >= addDuration(birthDate, beginAge)) && (endAge === undefined || date < addDuration(birthDate, endAge));

  switch (condition.type) {
    case 'age':
      return withinAges(referenceDate, condition.beginAge, condition.endAge);
    case 'interval': {
      const previous = previousIntervalStart(progress);
      return previous !== undefined && referenceDate >= addDuration(previous.dose.date, condition.interval);
    }
    case 'vaccine count by age': {
      const counted = progress.evaluated.filter(
        (evaluated) =>
          (condition.doseType === 'total' || evaluated.status === 'valid') &&
          evaluated.dose.date <= referenceDate &&
          withinAges(evaluated.dose.date, condition.beginAge, condition.endAge),
      );
      return counted.length > condition.greaterThan;
    }
  }
}
