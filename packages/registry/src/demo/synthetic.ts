/**
 * Made-up clients with realistic Texas names and childhood immunization histories: the demo data
 * (a few thousand) and the scale benchmark (a million) draw from the same generator, seeded, so a
 * run is repeatable. No real person's data is anywhere in it.
 */
export type Random = () => number;

/** mulberry32: a small, fast, seedable generator — enough for test data, never for secrets. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Random, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;

const firstNamesF = ['Sofia', 'Isabella', 'Emma', 'Olivia', 'Mia', 'Camila', 'Valentina', 'Ava', 'Emily', 'Abigail', 'Maria', 'Guadalupe', 'Elizabeth', 'Victoria', 'Natalie', 'Ximena', 'Harper', 'Madison', 'Jennifer', 'Catherine', 'Samantha', 'Alexandra', 'Daniela', 'Lucia', 'Rebecca', 'Patricia', 'Margaret', 'Zoe', 'Aaliyah', 'Leah'];
const firstNamesM = ['Liam', 'Noah', 'Mateo', 'Santiago', 'Sebastian', 'James', 'William', 'Benjamin', 'Daniel', 'David', 'Jose', 'Juan', 'Luis', 'Carlos', 'Michael', 'John', 'Jonathan', 'Robert', 'Christopher', 'Joshua', 'Alejandro', 'Diego', 'Gabriel', 'Anthony', 'Thomas', 'Samuel', 'Nicholas', 'Richard', 'Elijah', 'Jacob'];
const lastNames = ['Garcia', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Rodriguez', 'Perez', 'Sanchez', 'Ramirez', 'Flores', 'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Jackson', 'White', 'Harris', 'Nguyen', 'Tran', 'Le', 'Kim', 'Patel', 'Torres', 'Rivera', 'Gomez', 'Diaz', 'Reyes', 'Cruz', 'Morales', 'Ortiz', 'Gutierrez', 'Chavez', 'Ramos', 'Ruiz', 'Alvarez', 'Mendoza', 'Castillo', 'Jimenez', 'Vasquez', 'Moreno', 'Herrera', 'Medina', 'Aguilar', 'Vargas', 'Guzman', 'Salazar', 'Nuñez', 'Washington', 'Robinson', 'Walker', 'Young', 'Allen', "O'Brien", 'Baker', 'Hill', 'Green', 'Adams', 'Nelson', 'Campbell', 'Mitchell', 'Roberts', 'Carter'];
const middleNames = ['Marie', 'Ann', 'Lee', 'James', 'Alexander', 'Elena', 'Jose', 'Luis', 'Grace', 'Rose', 'Michael', 'Antonio', null, null, null];
const cities: readonly [string, string, string][] = [
  ['Austin', 'Travis', '787'], ['San Antonio', 'Bexar', '782'], ['Houston', 'Harris', '770'], ['Dallas', 'Dallas', '752'], ['El Paso', 'El Paso', '799'],
  ['Fort Worth', 'Tarrant', '761'], ['Corpus Christi', 'Nueces', '784'], ['Lubbock', 'Lubbock', '794'], ['Laredo', 'Webb', '780'], ['Waco', 'McLennan', '767'],
  ['Brownsville', 'Cameron', '785'], ['Amarillo', 'Potter', '791'], ['Tyler', 'Smith', '757'], ['Round Rock', 'Williamson', '786'], ['Temple', 'Bell', '765'],
];
const streets = ['Main St', 'Oak Ave', 'Cedar Ln', 'Guadalupe St', 'Lamar Blvd', 'Mesquite Dr', 'Bluebonnet Way', 'Pecan St', 'Ranch Rd 12', 'Congress Ave', 'Live Oak Dr', 'Alamo St'];

/**
 * A dose of the usual schedule: which vaccines may give it and at what age (days), roughly. IPV is
 * given on its own beside DTaP here, so no combination vaccine doubles a dose of another group.
 */
const childSchedule: readonly { cvx: readonly string[]; ageDays: number; spread: number }[] = [
  { cvx: ['08'], ageDays: 0, spread: 2 },
  { cvx: ['08'], ageDays: 45, spread: 20 },
  { cvx: ['20', '106'], ageDays: 61, spread: 10 },
  { cvx: ['10'], ageDays: 61, spread: 10 },
  { cvx: ['48', '49'], ageDays: 61, spread: 10 },
  { cvx: ['133', '215'], ageDays: 61, spread: 10 },
  { cvx: ['116', '119'], ageDays: 61, spread: 10 },
  { cvx: ['20', '106'], ageDays: 122, spread: 12 },
  { cvx: ['10'], ageDays: 122, spread: 12 },
  { cvx: ['48', '49'], ageDays: 122, spread: 12 },
  { cvx: ['133', '215'], ageDays: 122, spread: 12 },
  { cvx: ['116'], ageDays: 122, spread: 12 },
  { cvx: ['20', '106'], ageDays: 183, spread: 15 },
  { cvx: ['08'], ageDays: 190, spread: 30 },
  { cvx: ['10'], ageDays: 200, spread: 60 },
  { cvx: ['133', '215'], ageDays: 183, spread: 15 },
  { cvx: ['03'], ageDays: 370, spread: 60 },
  { cvx: ['21'], ageDays: 370, spread: 60 },
  { cvx: ['83'], ageDays: 380, spread: 60 },
  { cvx: ['48', '49'], ageDays: 400, spread: 60 },
  { cvx: ['20', '106'], ageDays: 480, spread: 60 },
  { cvx: ['83'], ageDays: 560, spread: 60 },
  { cvx: ['130'], ageDays: 1600, spread: 200 },
  { cvx: ['94'], ageDays: 1600, spread: 200 },
  { cvx: ['115'], ageDays: 4200, spread: 200 },
  { cvx: ['136', '203'], ageDays: 4200, spread: 200 },
  { cvx: ['165'], ageDays: 4200, spread: 300 },
  { cvx: ['165'], ageDays: 4400, spread: 300 },
  { cvx: ['136', '203'], ageDays: 5900, spread: 200 },
];
const lotLetters = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const mvxOf: Readonly<Record<string, string>> = { '08': 'MSD', '110': 'SKB', '20': 'SKB', '106': 'PMC', '10': 'PMC', '48': 'PMC', '49': 'MSD', '133': 'PFR', '215': 'MSD', '116': 'MSD', '119': 'SKB', '03': 'MSD', '21': 'MSD', '83': 'SKB', '130': 'SKB', '94': 'MSD', '115': 'SKB', '136': 'SKB', '203': 'PMC', '165': 'MSD', '150': 'PMC', '187': 'SKB' };
const sites = ['LT', 'RT', 'LA', 'RA', 'LD', 'RD'];

export interface SyntheticDose { cvx: string; givenOn: string; mvx: string | null; lot: string; site: string; route: string; historical: boolean }
export interface SyntheticClient {
  firstName: string; middleName: string | null; lastName: string; birthDate: string; sex: 'F' | 'M';
  motherMaidenName: string; phone: string; address: { line1: string; city: string; county: string; state: 'TX'; zip: string };
  consent: 'minor' | 'adult'; doses: SyntheticDose[];
}

const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString().slice(0, 10);

/** One client as of `today` (ISO): ages 0–70, most of them children, as in a registry. */
export function syntheticClient(rng: Random, today: string): SyntheticClient {
  const sex = rng() < 0.5 ? 'F' : 'M';
  const child = rng() < 0.8;
  const ageDays = Math.floor(child ? rng() * 18 * 365 : (18 + rng() * 52) * 365);
  const birthDate = addDays(today, -ageDays);
  let lastName = pick(rng, lastNames);
  if (rng() < 0.08) lastName = `${lastName}-${pick(rng, lastNames)}`;
  else if (rng() < 0.05) lastName = `${lastName} ${pick(rng, lastNames)}`;
  const [city, county, zip3] = pick(rng, cities);
  const doses: SyntheticDose[] = [];
  // Some stop early (a family moved, a missed visit): they make the recall list.
  const stopAfter = rng() < 0.25 ? Math.floor(rng() * childSchedule.length) : childSchedule.length;
  childSchedule.slice(0, stopAfter).forEach((dose) => {
    const at = dose.ageDays + Math.floor(rng() * dose.spread);
    if (at > ageDays || (!child && rng() < 0.5)) return;
    const cvx = pick(rng, dose.cvx);
    doses.push({
      cvx, givenOn: addDays(birthDate, at), mvx: mvxOf[cvx] ?? null,
      lot: `${pick(rng, [...lotLetters])}${pick(rng, [...lotLetters])}${Math.floor(rng() * 90000 + 10000)}`,
      site: pick(rng, sites), route: cvx === '116' || cvx === '119' ? 'PO' : cvx === '03' || cvx === '21' || cvx === '94' ? 'SC' : 'IM',
      historical: rng() < 0.15,
    });
  });
  if (!child) for (let y = 1; y <= 3; y++) if (rng() < 0.5) doses.push({ cvx: '150', givenOn: addDays(today, -365 * y + Math.floor(rng() * 60)), mvx: 'PMC', lot: `FL${Math.floor(rng() * 9000 + 1000)}`, site: 'LD', route: 'IM', historical: false });
  return {
    firstName: pick(rng, sex === 'F' ? firstNamesF : firstNamesM),
    middleName: pick(rng, middleNames),
    lastName, birthDate, sex,
    motherMaidenName: pick(rng, lastNames),
    phone: `(${pick(rng, ['512', '210', '713', '214', '915', '817'])}) 555-${String(Math.floor(rng() * 10000)).padStart(4, '0')}`,
    address: { line1: `${Math.floor(rng() * 9900 + 100)} ${pick(rng, streets)}`, city, county, state: 'TX', zip: `${zip3}${String(Math.floor(rng() * 100)).padStart(2, '0')}` },
    consent: ageDays < 18 * 365 ? 'minor' : 'adult',
    doses,
  };
}
