// Synthetic VXU^V04 messages for the HL7 bench: each a new patient (its own PID-3 identifier, name
// and birth date) with two administered doses and their RXR and OBX rows, shaped as the CDC
// implementation guide's examples are (release 1.5). Deterministic: message i is always the same.
const lastNames = ['Garcia', 'Smith', 'Nguyen', 'Johnson', 'Martinez', 'Brown', 'Lopez', 'Davis', 'Hernandez', 'Wilson', 'Gonzalez', 'Moore', 'Perez', 'Taylor', 'Sanchez', 'Anderson'];
const firstNames = ['Sofia', 'Liam', 'Mia', 'Noah', 'Emma', 'Mateo', 'Ava', 'Elijah', 'Isabella', 'Lucas', 'Camila', 'Levi', 'Olivia', 'Diego', 'Amelia', 'Ezra', 'Luna'];
const doses = [
  { cvx: '08', name: 'Hep B, adolescent or pediatric', mvx: 'MSD', lot: 'HB1234' },
  { cvx: '20', name: 'DTaP', mvx: 'SKB', lot: 'DT5678' },
  { cvx: '10', name: 'IPV', mvx: 'PMC', lot: 'IP9012' },
  { cvx: '03', name: 'MMR', mvx: 'MSD', lot: 'MM3456' },
];

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Message `i` of a run tagged `run` (control ids must differ between runs on one database). */
export function syntheticVxu(i: number, run: string): string {
  // Name and birth date differ for every i below 4,352 × 2,016, so no message matches another's
  // patient by demographics (the registry's fallback when the identifier is new).
  const l = lastNames.length;
  const names = l * l * firstNames.length;
  const last = `${lastNames[i % l]!}-${lastNames[Math.floor(i / l) % l]!}`;
  const first = firstNames[Math.floor(i / (l * l)) % firstNames.length]!;
  const day = Math.floor(i / names);
  const year = 2019 + (Math.floor(day / 336) % 6);
  const monthDay = `${pad(1 + (Math.floor(day / 28) % 12), 2)}${pad(1 + (day % 28), 2)}`;
  const birth = `${year}${monthDay}`;
  const given = `${year + 1}${monthDay}`;
  const a = doses[i % doses.length]!;
  const b = doses[(i + 1) % doses.length]!;
  const order = (dose: typeof a, n: number) => [
    `ORC|RE||${run}-${i}-${n}^EHR|||||||||57422^RADON^NICHOLAS^^^^^^EHR^L`,
    `RXA|0|1|${given}||${dose.cvx}^${dose.name}^CVX|0.5|mL^MilliLiter^UCUM||00^New immunization record^NIP001|7832-1^Lemon^Mike^A^^^^^EHR|^^^EHR||||${dose.lot}|${year + 3}0101|${dose.mvx}^^MVX|||CP|A`,
    'RXR|IM^Intramuscular^HL70162|LD^Left Arm^HL70163',
    `OBX|1|CE|64994-7^Vaccine funding program eligibility category^LN|1|V02^VFC eligible - Medicaid/Medicaid Managed Care^HL70064||||||F|||${given}|||VXC40^Eligibility captured at the immunization level^CDCPHINVS`,
  ];
  return [
    `MSH|^~\\&|Bench EHR|BENCH||ImmTrac2|${given}0900||VXU^V04^VXU_V04|${run}-${i}|P|2.5.1|||ER|AL|||||Z22^CDCPHINVS`,
    `PID|1||${run}${pad(i, 8)}^^^BENCH^MR||${last}^${first}^^^^^L|Rivera^Ana|${birth}|${i % 2 ? 'F' : 'M'}||2106-3^White^CDCREC|${100 + (i % 900)} Congress Ave^^Austin^TX^78701^USA^L||^PRN^PH^^^512^555${pad(i % 10000, 4)}|||||||||2186-5^Not Hispanic or Latino^CDCREC`,
    'PD1|||||||||||02^Reminder/Recall - any method^HL70215|N|20200101|||A|20200101|20200101',
    `NK1|1|Rivera^Ana^^^^^L|MTH^Mother^HL70063|${100 + (i % 900)} Congress Ave^^Austin^TX^78701^USA^L|^PRN^PH^^^512^555${pad(i % 10000, 4)}`,
    ...order(a, 1),
    ...order(b, 2),
  ].join('\r') + '\r';
}
