import type { OfficialRecordClient, OfficialRecordDose, OfficialRecordInput } from './official-record-input.js';

// The wording and formatting both renderings share, so the PDF and the print page say the same thing.
// Every value passes through text(): rows come from the database, and a null where the type promised a
// string must print as nothing rather than throw or print "null".

export const recordTitle = 'Official Immunization Record';
export const issuerName = 'Texas Department of State Health Services — ImmTrac2';

export function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value).trim();
}

/** 'YYYY-MM-DD' → 'MM/DD/YYYY'; anything else is printed as stored, so a bad row is visible, not fatal. */
export function formatDate(value: unknown): string {
  const stored = text(value);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(stored);
  return match ? `${match[2]}/${match[3]}/${match[1]}` : stored;
}

/** "Maria José Nuñez-O'Brien Jr." */
export function clientName(client: OfficialRecordClient): string {
  return [client.firstName, client.middleName, client.lastName, client.suffix].map(text).filter(Boolean).join(' ');
}

const sexLabels: Record<string, string> = { F: 'Female', M: 'Male', U: 'Unknown', X: 'Unknown' };

/** HL7 administrative sex codes (F, M, U) in words; any other stored value as it is. */
export function sexLabel(value: unknown): string {
  const stored = text(value);
  return sexLabels[stored.toUpperCase()] ?? stored;
}

export function addressLines(client: OfficialRecordClient): string[] {
  const address = client.address;
  if (!address) return [];
  const cityLine = [text(address.city), [text(address.state), text(address.zip)].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return [text(address.line1), text(address.line2), cityLine].filter(Boolean);
}

export function doseSource(dose: OfficialRecordDose): string {
  return dose.historical ? 'Historical' : 'Administered';
}

export interface DoseGroup {
  vaccineGroup: string;
  doses: OfficialRecordDose[];
}

/** Doses by vaccine group (groups alphabetical), each group oldest dose first. */
export function doseGroups(doses: readonly OfficialRecordDose[]): DoseGroup[] {
  const groups = new Map<string, OfficialRecordDose[]>();
  for (const dose of doses) {
    const name = text(dose.vaccineGroup) || 'Other';
    groups.set(name, [...(groups.get(name) ?? []), dose]);
  }
  const byDate = (a: OfficialRecordDose, b: OfficialRecordDose) =>
    compare(text(a.date), text(b.date)) || compare(text(a.vaccine), text(b.vaccine));
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b, 'en'))
    .map(([vaccineGroup, groupDoses]) => ({ vaccineGroup, doses: groupDoses.sort(byDate) }));
}

// ISO dates sort as strings; plain code-unit order keeps the result the same on every machine.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "03/04/2025 2:05 PM CST (America/Chicago)". An unknown time zone is a configuration error and throws. */
export function issuedAtText(input: Pick<OfficialRecordInput, 'issuedAt' | 'timeZone'>): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: input.timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    })
      .formatToParts(input.issuedAt)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.month}/${parts.day}/${parts.year} ${parts.hour}:${parts.minute} ${parts.dayPeriod} ${parts.timeZoneName} (${input.timeZone})`;
}

/** "Issued 03/04/2025 2:05 PM CST (America/Chicago) by Pat Nurse, Austin Pediatrics" */
export function issuedLine(input: OfficialRecordInput): string {
  const by = [text(input.issuedBy.person), text(input.issuedBy.organization)].filter(Boolean).join(', ');
  return `Issued ${issuedAtText(input)}${by ? ` by ${by}` : ''}`;
}
