import { addDays, addMonths, addWeeks, addYears, type IsoDate } from './calendar-date.js';

/**
 * An age or interval written the way the CDSi supporting data writes it: "6 weeks",
 * "4 weeks - 4 days", "19 months + 4 weeks". The type keeps a misspelt unit out of the tables.
 */
type Unit = 'day' | 'days' | 'week' | 'weeks' | 'month' | 'months' | 'year' | 'years';
type Term = `${number} ${Unit}`;
export type Duration = Term | `${Term} ${'+' | '-'} ${Term}`;

const termPattern = /^(\d+) (day|week|month|year)s?$/;

/**
 * Adds the terms left to right, each with its own calendar rule (months and years per CALCDT-5),
 * so "19 months + 4 weeks" is 19 calendar months and then 28 days.
 */
export function addDuration(date: IsoDate, duration: Duration): IsoDate {
  const parts = duration.trim().split(/ ([+-]) /);
  let result = applyTerm(date, parts[0] ?? '', 1);
  for (let i = 1; i < parts.length; i += 2) result = applyTerm(result, parts[i + 1] ?? '', parts[i] === '-' ? -1 : 1);
  return result;
}

function applyTerm(date: IsoDate, term: string, sign: 1 | -1): IsoDate {
  const match = termPattern.exec(term.trim());
  if (!match) throw new RangeError(`not a CDSi duration term: "${term}"`);
  const amount = sign * Number(match[1]);
  switch (match[2]) {
    case 'day':
      return addDays(date, amount);
    case 'week':
      return addWeeks(date, amount);
    case 'month':
      return addMonths(date, amount);
    default:
      return addYears(date, amount);
  }
}
