import type { ConditionalSkip, SeriesDefinition, TargetDose, VaccineAllowance, VaccineGroupData } from './series-definition.js';

/**
 * Polio (IPV), after CDSi antigen supporting data "Polio" 4.x. The 5-dose series is how CDSi
 * counts a fourth dose given before 4 years: a fifth dose at 4 years or older is then needed.
 */

const allowable: readonly VaccineAllowance[] = [
  { cvx: '02', beginAge: '6 weeks - 4 days' }, // OPV trivalent
  { cvx: '10', beginAge: '6 weeks - 4 days' }, // IPV
  { cvx: '89', beginAge: '6 weeks - 4 days' }, // polio, unspecified formulation
  { cvx: '110', beginAge: '6 weeks - 4 days' }, // DTaP-HepB-IPV (Pediarix)
  { cvx: '120', beginAge: '6 weeks - 4 days' }, // DTaP-Hib-IPV (Pentacel)
  { cvx: '130', beginAge: '6 weeks - 4 days' }, // DTaP-IPV (Kinrix, Quadracel)
  { cvx: '132', beginAge: '6 weeks - 4 days' }, // DTaP-IPV-Hib-HepB, historical
  { cvx: '146', beginAge: '6 weeks - 4 days' }, // DTaP-IPV-Hib-HepB (Vaxelis)
  { cvx: '170', beginAge: '6 weeks - 4 days' }, // DTaP-IPV-Hib, non-US
  { cvx: '195', beginAge: '6 years - 4 days' }, // DT-IPV, non-US
];

const infantPreferable: readonly VaccineAllowance[] = [
  { cvx: '10', beginAge: '6 weeks' },
  { cvx: '110', beginAge: '6 weeks', endAge: '7 years' },
  { cvx: '120', beginAge: '6 weeks', endAge: '5 years' },
  { cvx: '146', beginAge: '6 weeks', endAge: '5 years' },
];

const boosterPreferable: readonly VaccineAllowance[] = [...infantPreferable, { cvx: '130', beginAge: '4 years', endAge: '7 years' }];

// Only trivalent OPV protects against all three polioviruses; the others never count (CDSi "inadvertent").
const inadvertentVaccines = ['178', '179', '182'];

const infantVaccines = { preferableVaccines: infantPreferable, allowableVaccines: allowable, inadvertentVaccines } as const;
const boosterVaccines = { preferableVaccines: boosterPreferable, allowableVaccines: allowable, inadvertentVaccines } as const;

/**
 * ACIP: the fourth dose is not needed when the third was given at 4 years or older and at least
 * 6 months after the second. In CDSi terms the third target dose is skipped and that same dose
 * is evaluated as the final one. CDSi 4.6x also skips on "4 years or older" alone; the 4.4 test
 * cases (2013-0640) predate that, and this table follows them.
 */
const doseThreeSkip: ConditionalSkip = {
  context: 'evaluation',
  sets: [
    {
      description: 'Not needed when this dose is given at 4 years - 4 days or older and 6 months - 4 days after the previous one',
      conditionLogic: 'AND',
      conditions: [
        { type: 'age', beginAge: '4 years - 4 days' },
        { type: 'interval', interval: '6 months - 4 days' },
      ],
    },
  ],
};

const doseThreeForecastSkip: ConditionalSkip = {
  context: 'forecast',
  sets: [{ description: 'Not needed for those 4 years or older', conditions: [{ type: 'age', beginAge: '4 years' }] }],
};

const firstThreeDoses: readonly TargetDose[] = [
  { age: { absMinAge: '6 weeks - 4 days', minAge: '6 weeks', earliestRecAge: '2 months', latestRecAge: '3 months + 4 weeks', maxAge: '18 years' }, ...infantVaccines },
  {
    age: { absMinAge: '10 weeks - 4 days', minAge: '10 weeks', earliestRecAge: '4 months', latestRecAge: '5 months + 4 weeks' },
    intervals: [{ from: 'previous', absMinInt: '4 weeks - 4 days', minInt: '4 weeks', earliestRecInt: '8 weeks', latestRecInt: '13 weeks' }],
    ...infantVaccines,
  },
  {
    age: { absMinAge: '14 weeks - 4 days', minAge: '14 weeks', earliestRecAge: '6 months', latestRecAge: '19 months + 4 weeks' },
    intervals: [{ from: 'previous', absMinInt: '4 weeks - 4 days', minInt: '4 weeks', earliestRecInt: '8 weeks', latestRecInt: '15 months + 4 weeks' }],
    conditionalSkips: [doseThreeSkip, doseThreeForecastSkip],
    ...infantVaccines,
  },
];

const finalDose: TargetDose = {
  age: { absMinAge: '4 years - 4 days', minAge: '4 years', earliestRecAge: '4 years', latestRecAge: '7 years + 4 weeks' },
  intervals: [{ from: 'previous', absMinInt: '6 months - 4 days', minInt: '6 months', earliestRecInt: '3 years', latestRecInt: '6 years + 4 weeks' }],
  ...boosterVaccines,
};

const fourDoseSeries: SeriesDefinition = {
  name: 'Polio 4-dose series',
  vaccineGroup: 'Polio',
  defaultSeries: true,
  preference: 1,
  doses: [...firstThreeDoses, finalDose],
};

const fiveDoseSeries: SeriesDefinition = {
  name: 'Polio 5-dose series',
  vaccineGroup: 'Polio',
  defaultSeries: false,
  preference: 2,
  doses: [
    ...firstThreeDoses,
    {
      // A fourth dose before 4 years: counts, whatever the interval, and the final dose follows.
      age: {},
      intervals: [{ from: 'previous', absMinInt: '0 days', minInt: '0 days', earliestRecInt: '0 days' }],
      conditionalSkips: [{ context: 'both', sets: [{ description: 'Not needed for those 4 years or older', conditions: [{ type: 'age', beginAge: '4 years' }] }] }],
      ...boosterVaccines,
    },
    finalDose,
  ],
};

export const polio: VaccineGroupData = {
  vaccineGroup: 'Polio',
  label: 'Polio',
  series: [fourDoseSeries, fiveDoseSeries],
};
