import type { SeriesDefinition, VaccineAllowance, VaccineGroupData } from './series-definition.js';

/**
 * Varicella, after CDSi antigen supporting data "Varicella" 4.x. CDSi's immunity by birth before
 * 1980 also needs the country of birth, which a history here does not carry, so it is not applied.
 */

const allowable: readonly VaccineAllowance[] = [
  { cvx: '21', beginAge: '12 months - 4 days' }, // varicella (Varivax)
  { cvx: '94', beginAge: '12 months - 4 days' }, // MMRV (ProQuad)
  { cvx: '121', beginAge: '12 months - 4 days', endAge: '50 years' }, // zoster live, given by mistake for varicella
];

const childhoodSeries: SeriesDefinition = {
  name: 'Varicella childhood 2-dose series',
  vaccineGroup: 'Varicella',
  defaultSeries: true,
  preference: 1,
  maxAgeToStart: '13 years',
  doses: [
    {
      age: { absMinAge: '12 months - 4 days', minAge: '12 months', earliestRecAge: '12 months', latestRecAge: '16 months + 4 weeks' },
      preferableVaccines: [{ cvx: '21', beginAge: '12 months' }, { cvx: '94', beginAge: '4 years', endAge: '13 years' }],
      allowableVaccines: allowable,
    },
    {
      age: { absMinAge: '13 months', minAge: '15 months', earliestRecAge: '4 years', latestRecAge: '7 years + 4 weeks' },
      intervals: [{ from: 'previous', absMinInt: '12 weeks - 4 days', minInt: '12 weeks', earliestRecInt: '3 years', latestRecInt: '6 years + 4 weeks' }],
      // ACIP: a second dose given at least 4 weeks after the first need not be repeated.
      allowableInterval: { absMinInt: '4 weeks' },
      preferableVaccines: [{ cvx: '21', beginAge: '12 months' }, { cvx: '94', beginAge: '4 years', endAge: '13 years' }],
      allowableVaccines: allowable,
    },
  ],
};

const teenAndAdultSeries: SeriesDefinition = {
  name: 'Varicella 13+ 2-dose series',
  vaccineGroup: 'Varicella',
  defaultSeries: false,
  preference: 2,
  doses: [
    {
      age: { absMinAge: '13 years', minAge: '13 years', earliestRecAge: '13 years', latestRecAge: '13 years' },
      preferableVaccines: [{ cvx: '21', beginAge: '12 months' }],
      allowableVaccines: allowable,
    },
    {
      age: {},
      intervals: [{ from: 'previous', absMinInt: '4 weeks - 4 days', minInt: '4 weeks', earliestRecInt: '4 weeks', latestRecInt: '8 weeks' }],
      preferableVaccines: [{ cvx: '21', beginAge: '12 months' }],
      allowableVaccines: allowable,
    },
  ],
};

export const varicella: VaccineGroupData = {
  vaccineGroup: 'Varicella',
  label: 'Varicella',
  series: [childhoodSeries, teenAndAdultSeries],
};
