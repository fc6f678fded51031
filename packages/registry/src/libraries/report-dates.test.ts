import { addYears, ageInYears, parseReportPeriod } from './report-dates.js';

const today = '2026-12-02';

test('the default period is the last 12 months; a missing end is today, a missing start a year before the end', () => {
  expect(parseReportPeriod({}, today)).toEqual({ period: { from: '2025-12-02', to: '2026-12-02' } });
  expect(parseReportPeriod({ from: '', to: '06/30/2025' }, today)).toEqual({ period: { from: '2024-06-30', to: '2025-06-30' } });
  expect(parseReportPeriod({ from: '2026-01-01' }, today)).toEqual({ period: { from: '2026-01-01', to: today } });
});

test('each wrong period says what to enter', () => {
  expect(parseReportPeriod({ from: '02/30/2025' }, today)).toEqual({ errors: { from: 'Enter the start date as MM/DD/YYYY, for example 01/31/2025.' } });
  expect(parseReportPeriod({ to: 'soon' }, today)).toEqual({ errors: { to: 'Enter the end date as MM/DD/YYYY, for example 01/31/2026.' } });
  expect(parseReportPeriod({ to: '12/03/2026' }, today)).toEqual({ errors: { to: 'The end date cannot be after today (12/02/2026).' } });
  expect(parseReportPeriod({ from: '2026-02-01', to: '2026-01-31' }, today)).toEqual({ errors: { from: 'The start date must be on or before the end date.' } });
  expect(parseReportPeriod({ from: '2020-06-29', to: '2025-06-30' }, today)).toEqual({ errors: { from: 'A report covers at most 5 years: choose a start date on or after 06/30/2020.' } });
  expect(parseReportPeriod({ from: '2020-06-30', to: '2025-06-30' }, today)).toEqual({ period: { from: '2020-06-30', to: '2025-06-30' } });
  expect(parseReportPeriod({ from: ['2020-01-01'], to: { x: 1 } }, today)).toEqual({ period: { from: '2025-12-02', to: today } });
});

test('calendar years: Feb 29 a year back is Feb 28; an age counts from the birthday', () => {
  expect(addYears('2024-02-29', -1)).toBe('2023-02-28');
  expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  expect(ageInYears('2019-11-21', '2026-11-20')).toBe(6);
  expect(ageInYears('2019-11-21', '2026-11-21')).toBe(7);
});
