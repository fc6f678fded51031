import { forecast, vaccineGroupsOf, type GroupForecast, type VaccineGroup } from './index.js';

const byGroup = (forecasts: GroupForecast[]) => Object.fromEntries(forecasts.map((f) => [f.vaccineGroup, f])) as Record<VaccineGroup, GroupForecast>;

describe('combination vaccines count for every group they protect against', () => {
  test('the groups of the common combination products', () => {
    expect(vaccineGroupsOf('110')).toEqual(expect.arrayContaining(['DTaP', 'HepB', 'Polio'])); // Pediarix
    expect(vaccineGroupsOf('146')).toEqual(expect.arrayContaining(['DTaP', 'HepB', 'Polio'])); // Vaxelis
    expect(vaccineGroupsOf('120').sort()).toEqual(['DTaP', 'Polio']); // Pentacel (Hib is not forecast)
    expect(vaccineGroupsOf('130').sort()).toEqual(['DTaP', 'Polio']); // Kinrix
    expect(vaccineGroupsOf('94').sort()).toEqual(['MMR', 'Varicella']); // ProQuad
    expect(vaccineGroupsOf('104')).toEqual(['HepB']); // Twinrix (Hep A is not forecast)
    expect(vaccineGroupsOf('8')).toEqual(['HepB']); // a record that lost the leading zero
    expect(vaccineGroupsOf('999')).toEqual([]);
    expect(vaccineGroupsOf('140')).toEqual([]); // influenza: not a group this forecaster knows
  });

  test('three doses of Pediarix at 2, 4 and 6 months: Hep B complete, DTaP and polio at dose 4', () => {
    const pediarix = ['2020-03-15', '2020-05-15', '2020-07-15'].map((date) => ({ date, cvx: '110' }));
    const result = byGroup(forecast({ birthDate: '2020-01-15', doses: pediarix }, '2020-08-01'));

    expect(result.HepB.status).toBe('complete');
    expect(result.HepB.evaluations.map((e) => e.status)).toEqual(['valid', 'valid', 'valid']);
    expect(result.DTaP).toMatchObject({ status: 'not_complete', nextDose: 4, earliest: '2021-04-15', recommended: '2021-04-15', pastDue: '2021-09-11' });
    expect(result.Polio).toMatchObject({ status: 'not_complete', nextDose: 4, earliest: '2024-01-15', recommended: '2024-01-15' });
    expect(result.MMR.evaluations).toEqual([]);
  });

  test('one MMRV at 12 months counts as dose 1 of MMR and of varicella', () => {
    const result = byGroup(forecast({ birthDate: '2019-01-10', doses: [{ date: '2020-01-10', cvx: '94' }] }, '2020-01-10'));

    expect(result.MMR).toMatchObject({ status: 'not_complete', nextDose: 2, earliest: '2020-02-10' });
    expect(result.Varicella).toMatchObject({ status: 'not_complete', nextDose: 2, earliest: '2020-04-10' });
    expect(result.MMR.evaluations[0]).toMatchObject({ vaccineGroup: 'MMR', status: 'valid', targetDose: 1 });
    expect(result.Varicella.evaluations[0]).toMatchObject({ vaccineGroup: 'Varicella', status: 'valid', targetDose: 1 });
  });
});
