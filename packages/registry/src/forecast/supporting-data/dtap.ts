import type { SeriesDefinition, TargetDose, VaccineAllowance, VaccineGroupData } from './series-definition.js';

/**
 * DTaP/Tdap/Td, after CDSi antigen supporting data "Diphtheria" 4.x (the group's three antigens,
 * diphtheria, tetanus and pertussis, share one schedule for these products, so one table stands
 * for all three). The childhood series is condensed: CDSi 4.6x spreads it over seven target doses
 * and several start-age series; here dose 5 is skipped when dose 4 was given at 4 years or
 * older, and dose 6 is the adolescent Tdap. Children 7 and older who start late follow the
 * catch-up series.
 */

const pediatricCodes = ['01', '20', '22', '28', '50', '102', '106', '107', '110', '120', '130', '132', '146', '170', '198'] as const;
// Adult-formulation Td and Tdap: a mistake in an infant, acceptable from 12 months for doses 4 and 5.
const adultCodes = ['09', '113', '115', '138', '139', '196'] as const;

const pediatricAllowable: readonly VaccineAllowance[] = [
  ...pediatricCodes.map((cvx) => ({ cvx, beginAge: '6 weeks - 4 days' }) as const),
  { cvx: '195', beginAge: '6 years - 4 days' }, // DT-IPV, non-US
];
const boosterAllowable: readonly VaccineAllowance[] = [
  ...pediatricAllowable,
  ...adultCodes.map((cvx) => ({ cvx, beginAge: '12 months - 4 days' }) as const),
];

const primaryPreferable: readonly VaccineAllowance[] = [
  { cvx: '20', beginAge: '6 weeks', endAge: '7 years' }, // DTaP
  { cvx: '106', beginAge: '6 weeks', endAge: '7 years' }, // DTaP, 5 pertussis antigens
  { cvx: '110', beginAge: '6 weeks', endAge: '7 years' }, // DTaP-HepB-IPV (Pediarix)
  { cvx: '120', beginAge: '6 weeks', endAge: '5 years' }, // DTaP-Hib-IPV (Pentacel)
  { cvx: '146', beginAge: '6 weeks', endAge: '5 years' }, // DTaP-IPV-Hib-HepB (Vaxelis)
];
const preschoolPreferable: readonly VaccineAllowance[] = [
  { cvx: '20', beginAge: '6 weeks', endAge: '7 years' },
  { cvx: '106', beginAge: '6 weeks', endAge: '7 years' },
  { cvx: '130', beginAge: '4 years', endAge: '7 years' }, // DTaP-IPV (Kinrix, Quadracel)
];

const primaryVaccines = { preferableVaccines: primaryPreferable, allowableVaccines: pediatricAllowable, inadvertentVaccines: adultCodes } as const;

const adolescentTdap: TargetDose = {
  age: { absMinAge: '11 years - 4 days', minAge: '11 years', earliestRecAge: '11 years', latestRecAge: '13 years + 4 weeks' },
  preferableVaccines: [{ cvx: '115', beginAge: '11 years' }],
  allowableVaccines: adultCodes.map((cvx) => ({ cvx, beginAge: '7 years - 4 days' })),
};

const childhoodSeries: SeriesDefinition = {
  name: 'DTaP childhood series',
  vaccineGroup: 'DTaP',
  defaultSeries: true,
  preference: 1,
  maxAgeToStart: '7 years',
  doses: [
    { age: { absMinAge: '6 weeks - 4 days', minAge: '6 weeks', earliestRecAge: '2 months', latestRecAge: '3 months + 4 weeks' }, ...primaryVaccines },
    {
      age: { absMinAge: '10 weeks - 4 days', minAge: '10 weeks', earliestRecAge: '4 months', latestRecAge: '5 months + 4 weeks' },
      intervals: [{ from: 'previous', absMinInt: '4 weeks - 4 days', minInt: '4 weeks', earliestRecInt: '8 weeks', latestRecInt: '13 weeks' }],
      ...primaryVaccines,
    },
    {
      age: { absMinAge: '14 weeks - 4 days', minAge: '14 weeks', earliestRecAge: '6 months', latestRecAge: '7 months + 4 weeks' },
      intervals: [{ from: 'previous', absMinInt: '4 weeks - 4 days', minInt: '4 weeks', earliestRecInt: '8 weeks', latestRecInt: '13 weeks' }],
      ...primaryVaccines,
    },
    {
      age: { absMinAge: '12 months - 4 days', minAge: '15 months', earliestRecAge: '15 months', latestRecAge: '19 months + 4 weeks' },
      intervals: [{ from: 'previous', absMinInt: '6 months - 4 days', minInt: '6 months', earliestRecInt: '6 months', latestRecInt: '13 months + 4 weeks' }],
      // ACIP: a fourth dose given at least 4 months after the third need not be repeated.
      allowableInterval: { absMinInt: '4 months - 4 days' },
      preferableVaccines: [primaryPreferable[0]!, primaryPreferable[1]!, primaryPreferable[3]!],
      allowableVaccines: boosterAllowable,
    },
    {
      age: { absMinAge: '4 years - 4 days', minAge: '4 years', earliestRecAge: '4 years', latestRecAge: '7 years' },
      intervals: [{ from: 'previous', absMinInt: '6 months - 4 days', minInt: '6 months', earliestRecInt: '3 years', latestRecInt: '4 years + 4 weeks' }],
      preferableVaccines: preschoolPreferable,
      allowableVaccines: boosterAllowable,
      conditionalSkips: [
        {
          context: 'both',
          sets: [
            {
              description: 'Not needed when dose 4 was given at 4 years or older',
              conditions: [{ type: 'vaccine count by age', beginAge: '4 years - 4 days', doseType: 'valid', greaterThan: 0 }],
            },
          ],
        },
      ],
    },
    adolescentTdap,
  ],
};

const catchUpSeries: SeriesDefinition = {
  name: 'Td/Tdap catch-up series, 7 years and older',
  vaccineGroup: 'DTaP',
  defaultSeries: false,
  preference: 2,
  minAgeToStart: '7 years',
  doses: [
    {
      age: { absMinAge: '7 years - 4 days', minAge: '7 years', earliestRecAge: '7 years', latestRecAge: '7 years' },
      preferableVaccines: [{ cvx: '115', beginAge: '7 years' }],
      allowableVaccines: boosterAllowable,
    },
    {
      age: {},
      intervals: [{ from: 'previous', absMinInt: '4 weeks - 4 days', minInt: '4 weeks', earliestRecInt: '4 weeks' }],
      preferableVaccines: [{ cvx: '09', beginAge: '7 years' }, { cvx: '113', beginAge: '7 years' }, { cvx: '115', beginAge: '7 years' }],
      allowableVaccines: boosterAllowable,
    },
    {
      age: {},
      intervals: [{ from: 'previous', absMinInt: '6 months - 4 days', minInt: '6 months', earliestRecInt: '6 months' }],
      preferableVaccines: [{ cvx: '09', beginAge: '7 years' }, { cvx: '113', beginAge: '7 years' }, { cvx: '115', beginAge: '7 years' }],
      allowableVaccines: boosterAllowable,
    },
  ],
};

export const dtap: VaccineGroupData = {
  vaccineGroup: 'DTaP',
  label: 'DTaP/Tdap/Td',
  series: [childhoodSeries, catchUpSeries],
};
