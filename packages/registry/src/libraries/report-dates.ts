import { parseDate, usDate } from '../search/dates.js';

/** Calendar arithmetic on ISO dates (no time zone): a year back from Feb 29 is Feb 28. */
export function addYears(iso: string, years: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return new Date(Date.UTC(y + years, m - 1, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Age in whole years on `today`, as a birthday counts it. */
export function ageInYears(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

export interface ReportPeriod {
  from: string;
  to: string;
}

/** The longest period a report covers: longer ones are a data extract, not a report. */
export const maxReportYears = 5;

/**
 * A report's period from what a person typed (MM/DD/YYYY or ISO): by default the last 12 months;
 * a missing end is today, a missing start a year before the end. The end is not after today, the
 * start not after the end, the whole at most five years — each refusal says what to enter.
 */
export function parseReportPeriod(input: { from?: unknown; to?: unknown }, today: string): { period: ReportPeriod } | { errors: Record<string, string> } {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const fromText = text(input.from);
  const toText = text(input.to);
  const errors: Record<string, string> = {};
  const to = toText ? parseDate(toText) : today;
  if (!to) errors.to = 'Enter the end date as MM/DD/YYYY, for example 01/31/2026.';
  else if (to > today) errors.to = `The end date cannot be after today (${usDate(today)}).`;
  const from = fromText ? parseDate(fromText) : to && addYears(to, -1);
  if (!from && (fromText || to)) errors.from = 'Enter the start date as MM/DD/YYYY, for example 01/31/2025.';
  if (Object.keys(errors).length || !from || !to) return { errors };
  if (from > to) return { errors: { from: 'The start date must be on or before the end date.' } };
  if (from < addYears(to, -maxReportYears)) return { errors: { from: `A report covers at most ${maxReportYears} years: choose a start date on or after ${usDate(addYears(to, -maxReportYears))}.` } };
  return { period: { from, to } };
}
