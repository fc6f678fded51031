import { addressLines, clientName, doseGroups, formatDate, issuedAtText, sexLabel } from './record-text.js';
import { sampleRecord } from './sample-record.js';

test('dates print as MM/DD/YYYY, anything else as stored', () => {
  expect(formatDate('2014-06-09')).toBe('06/09/2014');
  expect(formatDate('2014-6-9')).toBe('2014-6-9');
  expect(formatDate(null)).toBe('');
});

test('the issue time is printed in the given time zone, with daylight time', () => {
  expect(issuedAtText({ issuedAt: new Date('2025-03-04T20:05:00Z'), timeZone: 'America/Chicago' })).toBe('03/04/2025 2:05 PM CST (America/Chicago)');
  expect(issuedAtText({ issuedAt: new Date('2025-07-04T05:30:00Z'), timeZone: 'America/Chicago' })).toBe('07/04/2025 12:30 AM CDT (America/Chicago)');
  expect(issuedAtText({ issuedAt: new Date('2025-07-04T05:30:00Z'), timeZone: 'America/Denver' })).toBe('07/03/2025 11:30 PM MDT (America/Denver)');
  expect(() => issuedAtText({ issuedAt: new Date(), timeZone: 'Mars/Olympus' })).toThrow(RangeError);
});

test('names, sex and address leave out what is missing', () => {
  const { client } = sampleRecord();
  expect(clientName({ ...client, middleName: '  ', suffix: 'Jr.' })).toBe("María Nuñez-O'Brien Jr.");
  expect(sexLabel('m')).toBe('Male');
  expect(sexLabel('Nonbinary')).toBe('Nonbinary');
  expect(addressLines({ ...client, address: { line1: '1 Main St', line2: null, city: 'Waco', state: 'TX', zip: '' } })).toEqual(['1 Main St', 'Waco, TX']);
});

test('groups are alphabetical, doses oldest first, ties by vaccine', () => {
  const dose = { cvx: '', historical: false, recordedBy: '' };
  const groups = doseGroups([
    { ...dose, vaccineGroup: 'Polio', vaccine: 'IPV', date: '2020-01-01' },
    { ...dose, vaccineGroup: 'Hepatitis B', vaccine: 'HepB', date: '2021-01-01' },
    { ...dose, vaccineGroup: 'Hepatitis B', vaccine: 'HepB-Hib', date: '2019-01-01' },
    { ...dose, vaccineGroup: 'Hepatitis B', vaccine: 'HepB', date: '2019-01-01' },
  ]);
  expect(groups.map((g) => [g.vaccineGroup, g.doses.map((d) => `${d.date} ${d.vaccine}`)])).toEqual([
    ['Hepatitis B', ['2019-01-01 HepB', '2019-01-01 HepB-Hib', '2021-01-01 HepB']],
    ['Polio', ['2020-01-01 IPV']],
  ]);
});
