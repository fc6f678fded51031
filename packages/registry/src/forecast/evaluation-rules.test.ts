import { forecast, type VaccineGroup } from './index.js';

function evaluate(group: VaccineGroup, birthDate: string, doses: [date: string, cvx: string][], assessmentDate = '2021-06-01') {
  const [result] = forecast({ birthDate, doses: doses.map(([date, cvx]) => ({ date, cvx })) }, assessmentDate, [group]);
  if (!result) throw new Error(`no forecast for ${group}`);
  return result;
}

describe('CDSi evaluation rules', () => {
  test('a dose up to 4 days early counts (grace period); 5 days early does not', () => {
    // Dose 2 of Hep B: 4 weeks after dose 1; the absolute minimum is 4 weeks - 4 days.
    expect(evaluate('HepB', '2020-01-01', [['2020-01-15', '08'], ['2020-02-08', '08']]).evaluations[1]?.status).toBe('valid');
    expect(evaluate('HepB', '2020-01-01', [['2020-01-15', '08'], ['2020-02-07', '08']]).evaluations[1]).toMatchObject({ status: 'not_valid', reason: 'Interval: too short' });
  });

  test('no grace period for the dose after one that failed on interval', () => {
    // Dose 2 is 23 days after dose 1 (too short); the next one is 26 days after that: inside the grace period, but it no longer applies.
    const result = evaluate('HepB', '2020-01-01', [['2020-01-01', '08'], ['2020-01-24', '08'], ['2020-02-19', '08']]);
    expect(result.evaluations.map((e) => e.status)).toEqual(['valid', 'not_valid', 'not_valid']);
  });

  test('live vaccines on different days need 28 days between them; the same day is fine', () => {
    const tooSoon = evaluate('Varicella', '2019-01-10', [['2020-01-10', '03'], ['2020-01-20', '21']]);
    expect(tooSoon.evaluations[0]).toMatchObject({ status: 'not_valid', reason: expect.stringContaining('Live virus conflict') });
    expect(tooSoon).toMatchObject({ nextDose: 1, earliest: '2020-02-17' }); // 28 days after the varicella dose that did not count

    const sameDay = evaluate('Varicella', '2019-01-10', [['2020-01-10', '03'], ['2020-01-10', '21']]);
    expect(sameDay.evaluations[0]?.status).toBe('valid');
  });

  test('after a live dose that did not count, the next live vaccine gets no grace period, even when only that group is asked for', () => {
    // The MMR is 5 days before 12 months (too young); the varicella 26 days later is within the grace of a valid MMR, not of this one.
    const result = evaluate('Varicella', '2019-01-20', [['2020-01-15', '03'], ['2020-02-10', '21']]);
    expect(result.evaluations[0]).toMatchObject({ status: 'not_valid', reason: expect.stringContaining('Live virus conflict') });
    expect(evaluate('Varicella', '2019-01-10', [['2020-01-15', '03'], ['2020-02-10', '21']]).evaluations[0]?.status).toBe('valid');
  });

  test('adult Td given to an infant never counts for the DTaP series', () => {
    const result = evaluate('DTaP', '2020-01-01', [['2020-03-01', '09']]);
    expect(result.evaluations[0]).toMatchObject({ status: 'not_valid', reason: 'Vaccine: inadvertent administration' });
  });

  test('a dose after the series is complete is extraneous', () => {
    const result = evaluate('MMR', '2015-01-01', [['2016-01-01', '03'], ['2019-01-01', '03'], ['2020-01-01', '03']]);
    expect(result.status).toBe('complete');
    expect(result.evaluations[2]).toMatchObject({ status: 'extraneous', reason: 'Series already complete' });
  });

  test('DTaP dose 5 is not needed when dose 4 was given at 4 years or older', () => {
    const doses: [string, string][] = [['2016-03-01', '20'], ['2016-05-01', '20'], ['2016-07-01', '20'], ['2020-01-02', '20']];
    expect(evaluate('DTaP', '2016-01-01', doses, '2020-06-01')).toMatchObject({ nextDose: 5, earliest: '2027-01-01' }); // the adolescent Tdap at 11
  });

  test('polio dose 1 is not forecast past 18 years: aged out', () => {
    expect(evaluate('Polio', '2000-01-01', [], '2020-01-01').status).toBe('aged_out');
  });

  test('doses dated after the assessment date are not evaluated', () => {
    expect(evaluate('HepB', '2020-01-01', [['2020-02-01', '08']], '2020-01-15').evaluations).toEqual([]);
  });

  test('a malformed date is refused', () => {
    expect(() => evaluate('HepB', '2020-02-30', [])).toThrow(RangeError);
  });
});
