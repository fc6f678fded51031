import type { IntervalRule, SeriesDefinition, VaccineAllowance, VaccineGroupData } from './series-definition.js';

/**
 * Hepatitis B, after CDSi antigen supporting data "HepB" (the 4.x releases; checked against 4.64).
 * The 4-dose series is how CDSi lets a dose 3 given before 24 weeks of age count: it becomes
 * dose 3 of four, and dose 4 is then due at 24 weeks.
 */

const allowable: readonly VaccineAllowance[] = [
  { cvx: '08', beginAge: '0 days', endAge: '20 years' }, // Hep B, adolescent or pediatric
  { cvx: '42', beginAge: '0 days', endAge: '20 years' }, // Hep B, adolescent/high-risk infant
  { cvx: '43', beginAge: '0 days' }, // Hep B, adult
  { cvx: '44', beginAge: '0 days' }, // Hep B, dialysis
  { cvx: '45', beginAge: '0 days' }, // Hep B, unspecified formulation
  { cvx: '51', beginAge: '0 days', endAge: '20 years' }, // Hib-HepB (Comvax)
  { cvx: '102', beginAge: '0 days', endAge: '20 years' }, // DTP-Hib-HepB
  { cvx: '104', beginAge: '0 days' }, // HepA-HepB (Twinrix)
  { cvx: '110', beginAge: '0 days', endAge: '20 years' }, // DTaP-HepB-IPV (Pediarix)
  { cvx: '132', beginAge: '0 days', endAge: '20 years' }, // DTaP-IPV-Hib-HepB, historical
  { cvx: '146', beginAge: '0 days', endAge: '20 years' }, // DTaP-IPV-Hib-HepB (Vaxelis)
  { cvx: '189', beginAge: '18 years - 4 days' }, // HepB-CpG (Heplisav-B)
  { cvx: '198', beginAge: '0 days', endAge: '20 years' }, // DTP-HepB-Hib pentavalent, non-US
  { cvx: '220', beginAge: '18 years - 4 days' }, // HepB 3-antigen (PreHevbrio)
];

const preferable: readonly VaccineAllowance[] = [
  { cvx: '08', beginAge: '0 days', endAge: '20 years' },
  { cvx: '43', beginAge: '20 years' },
  { cvx: '44', beginAge: '20 years' },
  { cvx: '110', beginAge: '6 weeks', endAge: '7 years' },
  { cvx: '146', beginAge: '6 weeks', endAge: '5 years' },
  { cvx: '189', beginAge: '18 years' },
];

const vaccines = { preferableVaccines: preferable, allowableVaccines: allowable };

const fromDoseOne16Weeks: IntervalRule = { from: { targetDose: 1 }, absMinInt: '16 weeks - 4 days', minInt: '16 weeks' };

const childDoseOne = { age: { absMinAge: '0 days', minAge: '0 days', earliestRecAge: '0 days', latestRecAge: '4 weeks' }, ...vaccines } as const;

const childDoseTwo = {
  age: { absMinAge: '4 weeks - 4 days', minAge: '4 weeks', earliestRecAge: '1 month', latestRecAge: '3 months + 4 weeks' },
  intervals: [{ from: 'previous', absMinInt: '4 weeks - 4 days', minInt: '4 weeks', earliestRecInt: '4 weeks', latestRecInt: '5 months + 4 weeks' }],
  ...vaccines,
} as const;

const threeDoseSeries: SeriesDefinition = {
  name: 'HepB 3-dose series',
  vaccineGroup: 'HepB',
  defaultSeries: true,
  preference: 1,
  maxAgeToStart: '19 years',
  doses: [
    childDoseOne,
    childDoseTwo,
    {
      age: { absMinAge: '24 weeks - 4 days', minAge: '24 weeks', earliestRecAge: '6 months', latestRecAge: '19 months + 4 weeks' },
      intervals: [
        { from: 'previous', absMinInt: '8 weeks - 4 days', minInt: '8 weeks', earliestRecInt: '8 weeks', latestRecInt: '18 months + 4 weeks' },
        fromDoseOne16Weeks,
      ],
      ...vaccines,
    },
  ],
};

const fourDoseSeries: SeriesDefinition = {
  name: 'HepB 4-dose series',
  vaccineGroup: 'HepB',
  defaultSeries: false,
  preference: 2,
  maxAgeToStart: '19 years',
  doses: [
    childDoseOne,
    childDoseTwo,
    // Any age, any interval: this is the early third dose that the fourth one makes up for.
    { age: {}, intervals: [{ from: 'previous', absMinInt: '0 days', minInt: '0 days', earliestRecInt: '0 days' }], ...vaccines },
    {
      age: { absMinAge: '24 weeks - 4 days', minAge: '24 weeks', earliestRecAge: '6 months', latestRecAge: '19 months + 4 weeks' },
      intervals: [{ from: { targetDose: 2 }, absMinInt: '8 weeks - 4 days', minInt: '8 weeks' }, fromDoseOne16Weeks],
      ...vaccines,
    },
  ],
};

const adultSeries: SeriesDefinition = {
  name: 'HepB 19+ 3-dose series',
  vaccineGroup: 'HepB',
  defaultSeries: false,
  preference: 4,
  doses: [
    { age: { absMinAge: '19 years', minAge: '19 years', earliestRecAge: '19 years' }, ...vaccines },
    { age: {}, intervals: [{ from: 'previous', absMinInt: '4 weeks - 4 days', minInt: '4 weeks', earliestRecInt: '4 weeks' }], ...vaccines },
    {
      age: {},
      intervals: [{ from: 'previous', absMinInt: '8 weeks - 4 days', minInt: '8 weeks', earliestRecInt: '8 weeks' }, fromDoseOne16Weeks],
      ...vaccines,
    },
  ],
};

export const hepB: VaccineGroupData = {
  vaccineGroup: 'HepB',
  label: 'Hep B',
  series: [threeDoseSeries, fourDoseSeries, adultSeries],
};
