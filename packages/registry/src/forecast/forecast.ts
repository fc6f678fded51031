import { isIsoDate, type IsoDate } from './calendar-date.js';
import { evaluateSeries, type EvaluationContext } from './evaluate-series.js';
import { forecastNextDose } from './forecast-next-dose.js';
import { liveVirusVaccines } from './supporting-data/live-virus-conflicts.js';
import { isSeriesCandidate, selectBestSeries, type SeriesOutcome } from './select-best-series.js';
import { vaccineGroupData } from './supporting-data/index.js';
import type { DoseEvaluation, DoseGiven, GroupForecast, PatientHistory, VaccineGroup } from './types.js';
import { normalizeCvx, vaccineGroupsOf } from './vaccine-groups-of.js';

/** The groups forecast when the caller names none, in display order. */
export const forecastGroups: readonly VaccineGroup[] = Object.freeze(Object.keys(vaccineGroupData) as VaccineGroup[]);

/**
 * The immunization forecast for one patient on `assessmentDate` (CDSi "vaccines recommended"):
 * for each vaccine group, how each dose given was evaluated, whether the series is complete,
 * and when the next dose is earliest valid, recommended and past due. Doses dated after the
 * assessment date are not yet given and are left out.
 */
export function forecast(history: PatientHistory, assessmentDate: string, groups: readonly VaccineGroup[] = forecastGroups): GroupForecast[] {
  for (const date of [history.birthDate, assessmentDate, ...history.doses.map((dose) => dose.date)]) {
    if (!isIsoDate(date)) throw new RangeError(`forecast: not an ISO date (YYYY-MM-DD): ${date}`);
  }
  const doses = history.doses
    .map((dose) => ({ date: dose.date, cvx: normalizeCvx(dose.cvx) }))
    .filter((dose) => dose.date <= assessmentDate)
    // Stable sort: doses given the same day keep the order they were recorded in.
    .sort((a, b) => a.date.localeCompare(b.date));

  const liveDoses = doses.filter((dose) => liveVirusVaccines.has(dose.cvx));
  const assumingLiveDosesCounted = liveDoses.map((dose) => ({ date: dose.date, countedInItsGroup: true }));
  const firstPass = new Map(groups.map((group) => [group, bestOutcome(group, doses, history.birthDate, assessmentDate, assumingLiveDosesCounted)]));

  // A live dose that did not count in its own group leaves no 4-day grace to the next live vaccine (CDSi live virus conflict).
  const uncounted = new Set<DoseGiven>();
  for (const outcome of firstPass.values()) {
    for (const evaluated of outcome?.progress.evaluated ?? []) if (evaluated.status !== 'valid' && liveVirusVaccines.has(evaluated.dose.cvx)) uncounted.add(evaluated.dose);
  }
  const liveDosesAsEvaluated = liveDoses.map((dose) => ({ date: dose.date, countedInItsGroup: !uncounted.has(dose) }));

  return groups.map((group) => {
    const outcome = uncounted.size > 0 ? bestOutcome(group, doses, history.birthDate, assessmentDate, liveDosesAsEvaluated) : firstPass.get(group);
    return toGroupForecast(group, outcome, history.birthDate, doses);
  });
}

function toGroupForecast(group: VaccineGroup, outcome: SeriesOutcome | undefined, birthDate: IsoDate, allDoses: readonly DoseGiven[]): GroupForecast {
  const { label, immuneIfBornBefore } = vaccineGroupData[group];
  if (!outcome) {
    // Every group has a series without age limits to start, so this is a gap in the tables, not a patient state.
    const evaluations = dosesOf(group, allDoses).map((dose) => ({ ...dose, vaccineGroup: group, status: 'extraneous' as const, reason: 'No series applies' }));
    return { vaccineGroup: group, label, status: 'not_recommended', evaluations };
  }
  const evaluations: DoseEvaluation[] = outcome.progress.evaluated.map((evaluated) => ({
    date: evaluated.dose.date,
    cvx: evaluated.dose.cvx,
    vaccineGroup: group,
    status: evaluated.status,
    ...(evaluated.reason ? { reason: evaluated.reason } : {}),
    ...(evaluated.targetDose ? { targetDose: evaluated.targetDose } : {}),
  }));
  if (immuneIfBornBefore && birthDate < immuneIfBornBefore) return { vaccineGroup: group, label, status: 'immune', evaluations };

  const { next } = outcome;
  if (next.status !== 'not_complete') return { vaccineGroup: group, label, status: next.status, evaluations };
  return {
    vaccineGroup: group,
    label,
    status: 'not_complete',
    nextDose: outcome.progress.validCount + 1,
    ...(next.earliest ? { earliest: next.earliest } : {}),
    ...(next.recommended ? { recommended: next.recommended } : {}),
    ...(next.pastDue ? { pastDue: next.pastDue } : {}),
    evaluations,
  };
}

function dosesOf(group: VaccineGroup, doses: readonly DoseGiven[]): DoseGiven[] {
  return doses.filter((dose) => vaccineGroupsOf(dose.cvx).includes(group));
}

function bestOutcome(
  group: VaccineGroup,
  allDoses: readonly DoseGiven[],
  birthDate: IsoDate,
  assessmentDate: IsoDate,
  liveDoses: EvaluationContext['liveDoses'],
): SeriesOutcome | undefined {
  const doses = dosesOf(group, allDoses);
  const startDate = doses[0]?.date ?? assessmentDate;
  const context: EvaluationContext = { birthDate, liveDoses };
  const outcomes = vaccineGroupData[group].series
    .filter((series) => isSeriesCandidate(series, birthDate, startDate))
    .map((series) => {
      const progress = evaluateSeries(series, doses, context);
      const liveDates = series.doses.some((dose) => dose.allowableVaccines.some((vaccine) => liveVirusVaccines.has(vaccine.cvx))) ? liveDoses.map((live) => live.date) : [];
      return { progress, next: forecastNextDose(progress, assessmentDate, liveDates) };
    });
  return selectBestSeries(outcomes);
}
