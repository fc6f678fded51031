import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { forecast, forecastGroups, vaccineGroupsOf, type DoseEvaluation, type GroupForecast, type VaccineGroup } from './index.js';

/** CDC's CDSi test cases (v4.4 workbook), shared with the other registry checks; see forecast-cases.md beside the file. */
const casesFile = new URL('../../../../../shared/testdata/iis/forecast-cases.json', import.meta.url);

interface CdsiCase {
  cdc_test_id: string;
  name: string;
  vaccine_group: 'HepB' | 'DTAP' | 'MMR' | 'VAR' | 'POL';
  dob: string;
  assessment_date: string;
  doses: { date: string; cvx: string; expected_evaluation: 'Valid' | 'Not Valid' | 'Extraneous'; expected_reason: string }[];
  expected_series_status: 'Not complete' | 'Complete' | 'Immune';
  expected_forecast_dose_number: string | null;
  expected_earliest_date: string | null;
  expected_recommended_date: string | null;
  expected_past_due_date: string | null;
}

const cases = (JSON.parse(readFileSync(casesFile, 'utf8')) as { cases: CdsiCase[] }).cases;

const groupOf: Record<CdsiCase['vaccine_group'], VaccineGroup> = { HepB: 'HepB', DTAP: 'DTaP', MMR: 'MMR', VAR: 'Varicella', POL: 'Polio' };
const seriesStatus: Record<CdsiCase['expected_series_status'], GroupForecast['status']> = { 'Not complete': 'not_complete', Complete: 'complete', Immune: 'immune' };
const doseStatus: Record<CdsiCase['doses'][number]['expected_evaluation'], DoseEvaluation['status']> = { Valid: 'valid', 'Not Valid': 'not_valid', Extraneous: 'extraneous' };

test('the shared case file is the one in ../shared beside the project, read in place', () => {
  expect(fileURLToPath(casesFile)).toMatch(/\/shared\/testdata\/iis\/forecast-cases\.json$/);
  expect(cases).toHaveLength(28);
});

describe('CDC CDSi test cases', () => {
  test.each(cases.map((c) => [`${c.cdc_test_id} ${c.vaccine_group}: ${c.name}`, c] as const))('%s', (_title, c) => {
    const group = groupOf[c.vaccine_group];
    const forecasts = forecast({ birthDate: c.dob, doses: c.doses.map(({ date, cvx }) => ({ date, cvx })) }, c.assessment_date, forecastGroups);
    const result = forecasts.find((f) => f.vaccineGroup === group);
    // A dose of another group (the MMR before a varicella forecast, 2013-0840) is judged in its own group.
    const evaluationOf = (dose: { date: string; cvx: string }) => {
      const groups = vaccineGroupsOf(dose.cvx);
      const judgedIn = groups.includes(group) ? group : groups[0];
      const evaluation = forecasts.find((f) => f.vaccineGroup === judgedIn)?.evaluations.find((e) => e.date === dose.date && e.cvx === dose.cvx);
      return `${dose.date} ${dose.cvx} ${evaluation?.status ?? 'not evaluated'}`;
    };

    expect({
      status: result?.status,
      nextDose: result?.nextDose,
      earliest: result?.earliest,
      recommended: result?.recommended,
      pastDue: result?.pastDue,
      evaluations: c.doses.map(evaluationOf),
      dosesInGroup: result?.evaluations.length,
    }).toEqual({
      status: seriesStatus[c.expected_series_status],
      nextDose: c.expected_forecast_dose_number === null ? undefined : Number(c.expected_forecast_dose_number),
      earliest: c.expected_earliest_date ?? undefined,
      recommended: c.expected_recommended_date ?? undefined,
      pastDue: c.expected_past_due_date ?? undefined,
      evaluations: c.doses.map((d) => `${d.date} ${d.cvx} ${doseStatus[d.expected_evaluation]}`),
      dosesInGroup: c.doses.filter((d) => vaccineGroupsOf(d.cvx).includes(group)).length,
    });
  });
});
