import type { Duration } from '../duration.js';

/**
 * CDSi schedule supporting data, "live virus conflicts": two injected live vaccines not given on
 * the same day must be 28 days apart, or the later one does not count. Intranasal LAIV is not
 * listed: ACIP allows it at any interval.
 */
export const liveVirusVaccines: ReadonlySet<string> = new Set([
  '03', // MMR
  '04', // measles-rubella
  '05', // measles
  '06', // rubella
  '07', // mumps
  '38', // rubella-mumps
  '94', // MMRV
  '21', // varicella
  '121', // zoster live
  '37', // yellow fever
  '184', // yellow fever, unspecified
]);

/** The conflict starts the day after the earlier dose: same-day live vaccines are fine. */
export const conflictBegin: Duration = '1 day';
/** When the earlier live dose counted, the 4-day grace applies; when it did not, the full 28 days. */
export const conflictEndAfterValidDose: Duration = '28 days - 4 days';
export const conflictEnd: Duration = '28 days';
