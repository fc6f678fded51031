import type { VaccineGroup } from '../types.js';
import { dtap } from './dtap.js';
import { hepB } from './hepb.js';
import { mmr } from './mmr.js';
import { polio } from './polio.js';
import type { VaccineGroupData } from './series-definition.js';
import { varicella } from './varicella.js';

/** The supporting data of every vaccine group the forecaster knows, in the order forecasts are listed. */
export const vaccineGroupData: Readonly<Record<VaccineGroup, VaccineGroupData>> = {
  HepB: hepB,
  DTaP: dtap,
  Polio: polio,
  MMR: mmr,
  Varicella: varicella,
};

/** The CDSi supporting-data release these tables were written from and checked against. */
export const supportingDataVersion = 'CDSi supporting data 4.x (2020, the v4.4 test cases), checked against 4.64';
