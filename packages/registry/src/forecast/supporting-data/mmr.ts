import type { SeriesDefinition, VaccineAllowance, VaccineGroupData } from './series-definition.js';

/**
 * MMR, after CDSi antigen supporting data "Measles" 4.x. Measles, mumps and rubella follow the
 * same standard series with MMR products, so the measles table stands for the group; the risk
 * series (travel before 12 months, outbreaks, health care personnel) are not modelled.
 */

const allowable: readonly VaccineAllowance[] = [
  { cvx: '03', beginAge: '12 months - 4 days' }, // MMR
  { cvx: '04', beginAge: '12 months - 4 days' }, // measles-rubella
  { cvx: '05', beginAge: '12 months - 4 days' }, // measles
  { cvx: '94', beginAge: '12 months - 4 days' }, // MMRV (ProQuad)
];
const preferable: readonly VaccineAllowance[] = [
  { cvx: '03', beginAge: '12 months' },
  { cvx: '94', beginAge: '4 years', endAge: '13 years' },
];

const twoDoseSeries: SeriesDefinition = {
  name: 'Measles 2-dose series',
  vaccineGroup: 'MMR',
  defaultSeries: true,
  preference: 1,
  doses: [
    {
      age: { absMinAge: '12 months - 4 days', minAge: '12 months', earliestRecAge: '12 months', latestRecAge: '16 months + 4 weeks' },
      preferableVaccines: preferable,
      allowableVaccines: allowable,
    },
    {
      age: { absMinAge: '13 months - 4 days', minAge: '13 months', earliestRecAge: '4 years', latestRecAge: '7 years + 4 weeks' },
      intervals: [{ from: 'previous', absMinInt: '4 weeks - 4 days', minInt: '4 weeks', earliestRecInt: '3 years', latestRecInt: '6 years + 4 weeks' }],
      preferableVaccines: preferable,
      allowableVaccines: allowable,
      // Adults without risk factors need one dose.
      conditionalSkips: [{ context: 'both', sets: [{ description: 'Not needed for those 19 years or older', conditions: [{ type: 'age', beginAge: '19 years - 4 days' }] }] }],
    },
  ],
};

export const mmr: VaccineGroupData = {
  vaccineGroup: 'MMR',
  label: 'MMR',
  // CDSi: birth before 1957 is evidence of measles immunity (health care personnel excepted, which this forecaster cannot know).
  immuneIfBornBefore: '1957-01-01',
  series: [twoDoseSeries],
};
