import { addDays, addMonths, addWeeks, addYears, daysBetween, isIsoDate } from './calendar-date.js';
import { addDuration } from './duration.js';

// The examples of CDSi logic specification table 3-6, "Date calculations".
describe('CDSi date calculations', () => {
  test('CALCDT-1: years', () => expect(addYears('2000-01-01', 3)).toBe('2003-01-01'));
  test('CALCDT-2: months, across a year end', () => {
    expect(addMonths('2000-01-01', 6)).toBe('2000-07-01');
    expect(addMonths('2000-11-01', 6)).toBe('2001-05-01');
  });
  test('CALCDT-3: days and weeks count leap days', () => {
    expect(addDays('2000-01-01', 3)).toBe('2000-01-04');
    expect(addWeeks('2000-01-01', 3)).toBe('2000-01-22');
    expect(addWeeks('2000-02-01', 5)).toBe('2000-03-07');
    expect(addWeeks('2001-02-01', 5)).toBe('2001-03-08');
  });
  test('CALCDT-4: subtracting days', () => expect(addDays('2000-01-15', -4)).toBe('2000-01-11'));
  test('CALCDT-5: a day the month does not have rolls to the first of the next month', () => {
    expect(addMonths('2000-03-31', 6)).toBe('2000-10-01');
    expect(addMonths('2000-08-31', 6)).toBe('2001-03-01');
    expect(addMonths('2021-01-31', 1)).toBe('2021-03-01');
    expect(addMonths('2020-01-31', 1)).toBe('2020-03-01');
    expect(addMonths('2020-01-29', 1)).toBe('2020-02-29');
  });
  test('a leap day plus years lands on 1 March unless the target year is a leap year', () => {
    expect(addYears('2020-02-29', 1)).toBe('2021-03-01');
    expect(addYears('2020-02-29', 4)).toBe('2024-02-29');
  });
});

describe('supporting-data durations', () => {
  test('terms apply left to right, each with its own calendar rule', () => {
    expect(addDuration('2020-03-03', '19 months + 4 weeks')).toBe('2021-10-31');
    expect(addDuration('2020-08-13', '4 weeks - 4 days')).toBe('2020-09-06');
    expect(addDuration('2019-08-18', '12 months - 4 days')).toBe('2020-08-14');
    expect(addDuration('2020-01-31', '1 month - 4 days')).toBe('2020-02-26');
  });
  test('a malformed duration is refused, not guessed', () => {
    expect(() => addDuration('2020-01-01', '4 fortnights' as never)).toThrow(RangeError);
  });
});

describe('ISO dates', () => {
  test('impossible days are refused instead of rolling over', () => {
    expect(isIsoDate('2021-02-29')).toBe(false);
    expect(isIsoDate('2020-02-29')).toBe(true);
    expect(isIsoDate('13/08/2020')).toBe(false);
  });
  test('days between dates ignore time zones', () => expect(daysBetween('2020-07-21', '2020-08-13')).toBe(23));
});
