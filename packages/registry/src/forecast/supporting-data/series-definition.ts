import type { Duration } from '../duration.js';
import type { VaccineGroup } from '../types.js';

/**
 * The shape of the CDSi antigen supporting data, as far as this forecaster uses it. Field names
 * follow the CDSi XML (absMinAge, minAge, earliestRecAge, latestRecAge, maxAge …) so a table can
 * be checked line by line against CDC's spreadsheet.
 */

export interface AgeRule {
  absMinAge?: Duration;
  minAge?: Duration;
  earliestRecAge?: Duration;
  latestRecAge?: Duration;
  /** A dose on or after this age does not count, and the dose is no longer forecast. */
  maxAge?: Duration;
}

export interface IntervalRule {
  /** Measured from the immediately previous dose, or from the dose that satisfied this target dose. */
  from: 'previous' | { targetDose: number };
  absMinInt: Duration;
  minInt: Duration;
  earliestRecInt?: Duration;
  latestRecInt?: Duration;
}

/** A vaccine that counts for the target dose when given between beginAge (inclusive) and endAge. */
export interface VaccineAllowance {
  cvx: string;
  beginAge?: Duration;
  endAge?: Duration;
}

/**
 * CDSi conditional skip condition types used by these series. "Age" compares the reference date
 * with the patient's age; "Interval" compares it with the previous dose; "Vaccine count by age"
 * counts earlier doses given between two ages.
 */
export type SkipCondition =
  | { type: 'age'; beginAge?: Duration; endAge?: Duration }
  | { type: 'interval'; interval: Duration }
  | {
      type: 'vaccine count by age';
      beginAge?: Duration;
      endAge?: Duration;
      doseType: 'valid' | 'total';
      /** The target dose is skipped when the count is greater than this. */
      greaterThan: number;
    };

export interface SkipSet {
  description: string;
  /** How the conditions of one set combine; a set with one condition may leave it out. */
  conditionLogic?: 'AND' | 'OR';
  conditions: readonly SkipCondition[];
}

/**
 * Evaluation: the reference date is the date of the dose being evaluated. Forecast: the reference
 * date is the assessment date. Sets combine with OR (the only set logic these series use).
 */
export interface ConditionalSkip {
  context: 'evaluation' | 'forecast' | 'both';
  sets: readonly SkipSet[];
}

export interface TargetDose {
  age: AgeRule;
  intervals?: readonly IntervalRule[];
  /** CDSi "allowable interval": below the preferable minimum, this absolute minimum still counts. */
  allowableInterval?: { absMinInt: Duration };
  preferableVaccines: readonly VaccineAllowance[];
  allowableVaccines: readonly VaccineAllowance[];
  /** Vaccines given by mistake for this dose (e.g. adult Td to an infant): never valid. */
  inadvertentVaccines?: readonly string[];
  /** CDSi may give one skip for evaluation and another for forecast; any one that applies skips the dose. */
  conditionalSkips?: readonly ConditionalSkip[];
}

export interface SeriesDefinition {
  name: string;
  vaccineGroup: VaccineGroup;
  /** The series chosen when the patient has no dose that counts yet. */
  defaultSeries: boolean;
  /** Lower wins a tie between equally good series. */
  preference: number;
  /** The series applies when the patient's first dose (or, without doses, today) falls in this age range. */
  minAgeToStart?: Duration;
  maxAgeToStart?: Duration;
  doses: readonly TargetDose[];
}

export interface VaccineGroupData {
  vaccineGroup: VaccineGroup;
  label: string;
  /** CDSi "evidence of immunity" by date of birth, e.g. born before 1957 for measles. */
  immuneIfBornBefore?: string;
  series: readonly SeriesDefinition[];
}
