import type { OfficialRecordDose, OfficialRecordInput } from './official-record-input.js';

// A made-up client for tests and for previewing the record while working on it. No real person.

const vaccines: Omit<OfficialRecordDose, 'date' | 'lot' | 'historical' | 'recordedBy'>[] = [
  { vaccineGroup: 'DTaP/DT/Td/Tdap', vaccine: 'DTaP', cvx: '20', tradeName: 'Daptacel', manufacturer: 'Sanofi Pasteur' },
  { vaccineGroup: 'Hepatitis B', vaccine: 'HepB', cvx: '08', tradeName: 'Engerix-B', manufacturer: 'GlaxoSmithKline' },
  { vaccineGroup: 'Polio', vaccine: 'IPV', cvx: '10', tradeName: 'IPOL', manufacturer: 'Sanofi Pasteur' },
  { vaccineGroup: 'MMR', vaccine: 'MMR', cvx: '03', tradeName: 'M-M-R II', manufacturer: 'Merck' },
  { vaccineGroup: 'Influenza', vaccine: 'Flu IIV4', cvx: '150', tradeName: 'Fluzone Quadrivalent', manufacturer: 'Sanofi Pasteur' },
];

/** `count` doses spread over the vaccine groups, one a month from 2015, each with a lot "LOT0001"… */
export function sampleDoses(count: number): OfficialRecordDose[] {
  return Array.from({ length: count }, (_, i) => {
    const date = new Date(Date.UTC(2015, i, 1 + (i % 27)));
    return {
      ...vaccines[i % vaccines.length]!,
      date: date.toISOString().slice(0, 10),
      lot: `LOT${String(i + 1).padStart(4, '0')}`,
      historical: i % 4 === 3,
      recordedBy: i % 2 ? 'Austin Pediatrics' : 'Travis County Health Clinic',
    };
  });
}

export function sampleRecord(overrides: Partial<OfficialRecordInput> = {}): OfficialRecordInput {
  return {
    client: {
      registryId: '7654321',
      firstName: 'María',
      middleName: 'José',
      lastName: "Nuñez-O'Brien",
      suffix: null,
      birthDate: '2014-06-09',
      sex: 'F',
      address: { line1: '1100 W 49th St', line2: 'Apt 3', city: 'Austin', state: 'TX', zip: '78756' },
    },
    doses: sampleDoses(6),
    recommended: [
      { vaccineGroup: 'HPV', status: 'Due now', nextDose: 1, earliest: '2023-06-09', recommended: '2025-06-09', pastDue: '2027-06-09' },
      { vaccineGroup: 'Influenza', status: 'Recommended', nextDose: 2, earliest: '2025-09-01', recommended: '2025-10-01' },
    ],
    issuedBy: { organization: 'Austin Pediatrics', person: 'Pat Nurse' },
    issuedAt: new Date('2025-03-04T20:05:00Z'),
    timeZone: 'America/Chicago',
    ...overrides,
  };
}
