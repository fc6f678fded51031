import type { IsoDate } from './calendar-date.js';
import { addDuration } from './duration.js';
import type { NextDoseForecast } from './forecast-next-dose.js';
import type { SeriesProgress } from './series-progress.js';
import type { SeriesDefinition } from './supporting-data/series-definition.js';

export interface SeriesOutcome {
  progress: SeriesProgress;
  next: NextDoseForecast;
}

/**
 * Whether a series applies to the patient: CDSi "minimum/maximum age to start", judged at the
 * first dose of the group or, for a patient without doses, at the assessment date.
 */
export function isSeriesCandidate(series: SeriesDefinition, birthDate: IsoDate, startDate: IsoDate): boolean {
  if (series.minAgeToStart && startDate < addDuration(birthDate, series.minAgeToStart)) return false;
  return !(series.maxAgeToStart && startDate >= addDuration(birthDate, series.maxAgeToStart));
}

/**
 * CDSi chapter 8, "Select best patient series", reduced to the rules these series need:
 * a complete series wins; among series under way, more valid doses, then fewer target doses
 * left, then the earlier next dose; without valid doses, the default series. Ties go to the
 * series the supporting data prefers.
 */
export function selectBestSeries(outcomes: readonly SeriesOutcome[]): SeriesOutcome | undefined {
  const byPreference = (a: SeriesOutcome, b: SeriesOutcome) => a.progress.series.preference - b.progress.series.preference;

  const complete = outcomes.filter((outcome) => outcome.next.status === 'complete').sort(byPreference);
  if (complete[0]) return complete[0];

  const underWay = outcomes.filter((outcome) => outcome.progress.validCount > 0);
  if (underWay.length > 0) {
    const remaining = (outcome: SeriesOutcome) => outcome.progress.series.doses.length - outcome.progress.nextTargetIndex;
    return [...underWay].sort(
      (a, b) =>
        b.progress.validCount - a.progress.validCount ||
        remaining(a) - remaining(b) ||
        (a.next.earliest ?? '9999-12-31').localeCompare(b.next.earliest ?? '9999-12-31') ||
        byPreference(a, b),
    )[0];
  }

  return [...outcomes].sort((a, b) => Number(b.progress.series.defaultSeries) - Number(a.progress.series.defaultSeries) || byPreference(a, b))[0];
}
