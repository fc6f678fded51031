import { dueStatus, type GroupForecast } from './index.js';

const dtapDose2: GroupForecast = {
  vaccineGroup: 'DTaP',
  label: 'DTaP/Tdap/Td',
  status: 'not_complete',
  nextDose: 2,
  earliest: '2020-09-10',
  recommended: '2020-10-09',
  pastDue: '2020-12-06',
  evaluations: [],
};

describe('dueStatus for recall and reminder lists', () => {
  test('up to date before the recommended date, due from it, overdue from the past-due date', () => {
    expect(dueStatus(dtapDose2, '2020-09-10')).toBe('up_to_date');
    expect(dueStatus(dtapDose2, '2020-10-09')).toBe('due');
    expect(dueStatus(dtapDose2, '2020-12-05')).toBe('due');
    expect(dueStatus(dtapDose2, '2020-12-06')).toBe('overdue');
  });

  test('nothing is due for a complete, immune or aged-out series', () => {
    for (const status of ['complete', 'immune', 'aged_out', 'not_recommended'] as const) {
      expect(dueStatus({ vaccineGroup: 'MMR', label: 'MMR', status, evaluations: [] }, '2020-01-01')).toBe('complete');
    }
  });
});
