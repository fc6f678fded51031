/**
 * Calendar dates as ISO `YYYY-MM-DD` strings, computed in UTC so that no time zone or daylight
 * saving change can move a date by a day. Adding months and years follows the CDSi logic
 * specification, table 3-6 "Date calculations" (CALCDT-1 … CALCDT-5).
 */

/** A date as `YYYY-MM-DD`. ISO strings of equal length compare correctly as strings. */
export type IsoDate = string;

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const millisecondsPerDay = 86_400_000;

function toUtcTime(date: IsoDate): number {
  const match = isoDatePattern.exec(date);
  if (!match) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${date}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  // Date.UTC quietly rolls 2021-02-30 into March; a typing error in a record must not.
  if (new Date(time).getUTCDate() !== day) throw new RangeError(`no such day: ${date}`);
  return time;
}

function fromUtcTime(time: number): IsoDate {
  return new Date(time).toISOString().slice(0, 10);
}

export function isIsoDate(value: string): boolean {
  try {
    toUtcTime(value);
    return true;
  } catch {
    return false;
  }
}

/** CALCDT-3/CALCDT-4: days are plain day counts, so leap days fall out of the calendar. */
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromUtcTime(toUtcTime(date) + days * millisecondsPerDay);
}

export function addWeeks(date: IsoDate, weeks: number): IsoDate {
  return addDays(date, weeks * 7);
}

/**
 * CALCDT-2 and CALCDT-5: move the month, keep the day of the month; when that day does not exist
 * in the target month (03/31 + 6 months → "09/31"), the result is the first of the next month
 * (10/01) — not the last day of the month as most date libraries do.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const start = new Date(toUtcTime(date));
  const monthIndex = start.getUTCMonth() + months;
  const year = start.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const day = start.getUTCDate();
  if (day > daysInMonth(year, month)) return fromUtcTime(Date.UTC(year, month + 1, 1));
  return fromUtcTime(Date.UTC(year, month, day));
}

/** CALCDT-1; 02/29 + 1 year is 03/01 by the CALCDT-5 rule. */
export function addYears(date: IsoDate, years: number): IsoDate {
  return addMonths(date, years * 12);
}

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtcTime(to) - toUtcTime(from)) / millisecondsPerDay);
}

export function latestOf(dates: readonly (IsoDate | undefined)[]): IsoDate | undefined {
  let latest: IsoDate | undefined;
  for (const date of dates) if (date !== undefined && (latest === undefined || date > latest)) latest = date;
  return latest;
}
