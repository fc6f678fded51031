import { addDays, latestOf, type IsoDate } from './calendar-date.js';
import { firstNeededTargetIndex } from './conditional-skip.js';
import { addDuration } from './duration.js';
import { conflictEnd } from './supporting-data/live-virus-conflicts.js';
import { previousIntervalStart, type SeriesProgress } from './series-progress.js';
import type { SeriesStatus } from './types.js';

export interface NextDoseForecast {
  status: Extract<SeriesStatus, 'not_complete' | 'complete' | 'aged_out'>;
  /** 0-based index of the target dose forecast. */
  targetIndex?: number;
  earliest?: IsoDate;
  recommended?: IsoDate;
  pastDue?: IsoDate;
}

/**
 * CDSi chapter 7, "Forecast dates and reasons", for one evaluated series. The earliest date has
 * no grace period: the minimum age, every minimum interval and the end of any live-virus
 * conflict. The recommended and past-due dates come from the age when the table gives one,
 * otherwise from the intervals, and never fall before the earliest date.
 */
export function forecastNextDose(progress: SeriesProgress, assessmentDate: IsoDate, liveVirusDoseDates: readonly IsoDate[]): NextDoseForecast {
  const { series, birthDate } = progress;
  const targetIndex = firstNeededTargetIndex(progress.nextTargetIndex, 'forecast', assessmentDate, progress);
  const target = series.doses[targetIndex];
  if (!target) return { status: 'complete' };
  const { age } = target;
  if (age.maxAge && assessmentDate >= addDuration(birthDate, age.maxAge)) return { status: 'aged_out', targetIndex };

  const previous = previousIntervalStart(progress)?.dose.date;
  const intervals = (target.intervals ?? []).flatMap((interval) => {
    const from = interval.from === 'previous' ? previous : progress.satisfiedOn[interval.from.targetDose - 1];
    return from === undefined ? [] : [{ ...interval, from }];
  });

  const minAge = age.minAge ?? age.absMinAge;
  const earliest =
    latestOf([
      minAge ? addDuration(birthDate, minAge) : birthDate,
      ...intervals.map((interval) => addDuration(interval.from, interval.minInt)),
      ...liveVirusDoseDates.map((date) => addDuration(date, conflictEnd)),
    ]) ?? birthDate;

  const recommendedFromTable = age.earliestRecAge
    ? addDuration(birthDate, age.earliestRecAge)
    : latestOf(intervals.map((interval) => (interval.earliestRecInt ? addDuration(interval.from, interval.earliestRecInt) : undefined)));
  const latestRecommended = age.latestRecAge
    ? addDuration(birthDate, age.latestRecAge)
    : latestOf(intervals.map((interval) => (interval.latestRecInt ? addDuration(interval.from, interval.latestRecInt) : undefined)));
  // The latest recommended date is the last good day; the dose is past due the day after.
  const pastDue = latestRecommended === undefined ? undefined : latestOf([addDays(latestRecommended, -1), earliest]);

  return { status: 'not_complete', targetIndex, earliest, recommended: latestOf([earliest, recommendedFromTable]), ...(pastDue ? { pastDue } : {}) };
}
