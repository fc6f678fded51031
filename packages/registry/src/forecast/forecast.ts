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

  const evaluateGroups = (liveDoses: EvaluationContext['liveDoses']) => (group: VaccineGroup) =>
    toGroupForecast(group, bestOutcome(group, doses, history.birthDate, assessmentDate, liveDoses), history.birthDate, doses);

  const liveDoses = doses.filter((dose) => liveVirusVaccines.has(dose.cvx));
  if (liveDoses.length === 0) return groups.map(evaluateGroups([]));

  // CDSi live virus conflict: after a live dose that did not count in its own group, the next live
  // vaccine gets no 4-day grace. Which live doses counted is known only once every group is evaluated.
  const firstPass = forecastGroups.map(evaluateGroups(liveDoses.map((dose) => ({ date: dose.date, countedInItsGroup: true }))));
  const uncounted = new Set(
    firstPass.flatMap((group) => group.evaluations.filter((e) => e.status !== 'valid' && liveVirusVaccines.has(e.cvx)).map((e) => `${e.date} ${e.cvx}`)),
  );
  return groups.map(evaluateGroups(liveDoses.map((dose) => ({ date: dose.date, countedInItsGroup: !uncounted.has(`${dose.date} ${dose.cvx}`) }))));
}

function toGroupForecast(group: VaccineGroup, outcome: SeriesOutcome | undefined, birthDate: IsoDate, allDoses: readonly DoseGiven[]): GroupForecast {
  const { label, immuneIfBornBefore } = vaccineGroupData[group];
  if (!outcome) {
    // Each group's series together cover every age to start, so this is a gap in the tables, not a patient state.
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
