import type { Hl7Segment } from '@medplum/core';
import { applicationErrors, type AckError } from './ack.js';
import { hl7Date, repetitions, value, type ReceivedMessage } from './message.js';

/**
 * What a VXU^V04 says, read per the CDC IG 2.5.1 Release 1.5 (docs/hl7.md): the header checks that
 * reject the whole message (AR), the patient (PID, PD1, NK1) whose required fields reject the whole
 * message (AE, nothing stored), and the ORDER groups (ORC, RXA, RXR, OBX), each accepted or
 * rejected on its own. Codes are checked against the tables later (hl7-intake.ts): that needs the
 * database.
 */

export interface VxuHeader { controlId: string; processingId: string }

export interface PatientIdentifier { identifier: string; authority: string; type: string }
export interface ResponsiblePerson { first_name: string; last_name: string; relationship: string; phone: string | null }

export interface VxuPatient {
  identifiers: PatientIdentifier[];
  lastName: string;
  firstName: string;
  middleName: string | null;
  suffix: string | null;
  birthDate: string;
  sex: 'F' | 'M' | 'U';
  motherMaidenName: string | null;
  phone: string | null;
  email: string | null;
  address: { line1: string; line2: string | null; city: string; county: string | null; state: string; zip: string } | null;
  protection: { indicator: 'Y' | 'N'; effectiveOn: string | null } | null;
  responsible: ResponsiblePerson[];
}

export interface VxuDose {
  /** The RXA's occurrence number in the message (ERR-2's sequence). */
  rxa: number;
  action: 'A' | 'U' | 'D';
  /** The sender's identity of the dose: ORC-3 filler order number, else ORC-2 placer. */
  orderId: string | null;
  givenOn: string;
  code: string;
  system: 'CVX' | 'NDC';
  text: string;
  /** RE (refused), NA (not administered) and CVX 998 are not doses: accepted, not stored. */
  notADose: boolean;
  historical: boolean;
  lot: string | null;
  mvx: string | null;
  site: string | null;
  route: string | null;
  administeredBy: string | null;
}

export interface VxuGroup { dose: VxuDose | null; errors: AckError[] }

export type HeaderCheck = { ok: true; header: VxuHeader; warnings: AckError[] } | { ok: false; errors: AckError[] };

const clip = (text: string, length: number): string => text.slice(0, length);
const orNull = (text: string, length: number): string | null => (text ? clip(text, length) : null);

/** MSH-9, MSH-10, MSH-11, MSH-12: a failure here is an AR (the IG's "rejected for message type, processing ID or version"). */
export function checkHeader(received: ReceivedMessage): HeaderCheck {
  const msh = received.segments[0]!;
  const v = (field: number, component = 1) => value(received, msh, field, component);
  const errors: AckError[] = [];
  const at = (field: number) => ({ segment: 'MSH', sequence: 1, field });
  if (!v(9)) errors.push({ ...at(9), code: 'requiredFieldMissing', severity: 'E', message: 'MSH-9 (message type) is required. Message rejected.' });
  else if (v(9, 1) !== 'VXU') errors.push({ ...at(9), code: 'unsupportedMessageType', severity: 'E', message: `Unsupported message type ${clip(v(9, 1), 10)}: this endpoint accepts VXU V04 only. Message rejected.` });
  else if (v(9, 2) !== 'V04') errors.push({ ...at(9), code: 'unsupportedEventCode', severity: 'E', message: 'Unsupported trigger event: this endpoint accepts VXU V04 only. Message rejected.' });
  if (!v(12)) errors.push({ ...at(12), code: 'requiredFieldMissing', severity: 'E', message: 'MSH-12 (version id) is required. Message rejected.' });
  else if (v(12) !== '2.5.1') errors.push({ ...at(12), code: 'unsupportedVersion', severity: 'E', message: 'Unsupported HL7 Version ID: 2.5.1 is required. Message rejected.' });
  const controlId = v(10);
  if (!controlId) errors.push({ ...at(10), code: 'requiredFieldMissing', severity: 'E', message: 'MSH-10 (message control id) is required. Message rejected.' });
  else if (controlId.length > 199) errors.push({ ...at(10), code: 'dataType', severity: 'E', message: 'MSH-10 is longer than 199 characters. Message rejected.' });
  const processingId = v(11);
  if (!processingId) errors.push({ ...at(11), code: 'requiredFieldMissing', severity: 'E', message: 'MSH-11 (processing id) is required. Message rejected.' });
  // The registry is the production system: test or debugging messages belong to a test registry.
  else if (processingId !== 'P') errors.push({ ...at(11), code: 'unsupportedProcessingId', severity: 'E', message: 'Only production messages (MSH-11 P) are accepted here. Message rejected.' });
  if (errors.length) return { ok: false, errors };
  return { ok: true, header: { controlId, processingId }, warnings: [] };
}

/** Segments the VXU^V04 structure knows; anything else is ignored with a W, as the IG's receiver rules say. */
const knownSegments = new Set(['MSH', 'SFT', 'PID', 'PD1', 'NK1', 'PV1', 'PV2', 'GT1', 'IN1', 'IN2', 'IN3', 'ORC', 'TQ1', 'TQ2', 'RXA', 'RXR', 'OBX', 'NTE']);

export interface VxuContent {
  patient: VxuPatient | null;
  /** Errors that reject the whole message (AE, nothing stored): a missing or unusable PID. */
  fatal: AckError[];
  /** Findings that do not reject anything by themselves: ignored segments, W rows, a rejected NK1. */
  notes: AckError[];
  groups: VxuGroup[];
}

/** Reads the patient and the order groups; `today` (YYYY-MM-DD) rejects dates after it. */
export function readVxu(received: ReceivedMessage, today: string): VxuContent {
  const fatal: AckError[] = [];
  const notes: AckError[] = [];
  const groups: { orc: Hl7Segment | null; orcSeq: number; rxa: Hl7Segment | null; rxaSeq: number; rxr: Hl7Segment | null; errors: AckError[] }[] = [];
  const seen = new Map<string, number>();
  const pids: Hl7Segment[] = [];
  const pd1s: Hl7Segment[] = [];
  const nk1s: { segment: Hl7Segment; seq: number }[] = [];

  for (const segment of received.segments.slice(1)) {
    const name = segment.name;
    const seq = (seen.get(name) ?? 0) + 1;
    seen.set(name, seq);
    const current = groups.at(-1);
    if (!knownSegments.has(name) || name === 'MSH') {
      notes.push({ segment: name, sequence: seq, code: 'segmentSequence', severity: 'W', message: `Unexpected segment ${clip(name.replace(/[^A-Za-z0-9]/g, '?'), 3)} ignored.` });
      continue;
    }
    switch (name) {
      case 'PID':
        pids.push(segment);
        break;
      case 'PD1':
        pd1s.push(segment);
        break;
      case 'NK1':
        nk1s.push({ segment, seq });
        break;
      case 'ORC':
        groups.push({ orc: segment, orcSeq: seq, rxa: null, rxaSeq: 0, rxr: null, errors: [] });
        break;
      case 'RXA':
        if (!current || current.rxa) {
          // ORC is required in the ORDER group (IG 1.5): an RXA without its own ORC is a group of its own, rejected.
          groups.push({ orc: null, orcSeq: 0, rxa: segment, rxaSeq: seq, rxr: null, errors: [{ segment: 'ORC', code: 'segmentSequence', severity: 'E', message: `RXA ${seq} has no ORC before it: ORC is a required segment. Segment group rejected.` }] });
        } else {
          current.rxa = segment;
          current.rxaSeq = seq;
        }
        break;
      case 'RXR':
        if (current?.rxa && !current.rxr) current.rxr = segment;
        else notes.push({ segment: name, sequence: seq, code: 'segmentSequence', severity: 'W', message: 'RXR out of place (it follows an RXA, once): ignored.' });
        break;
      default:
        // SFT, PV1, PV2, GT1, IN1–3, TQ1–2, OBX, NTE: read by nobody here yet; no finding.
        break;
    }
  }

  let patient: VxuPatient | null = null;
  if (pids.length === 0) {
    fatal.push({ segment: 'PID', code: 'segmentSequence', severity: 'E', message: 'PID is a required segment. Message rejected.' });
  } else if (pids.length > 1) {
    fatal.push({ segment: 'PID', sequence: 2, code: 'segmentSequence', severity: 'E', message: 'A VXU has one PID. Message rejected.' });
  } else {
    patient = readPatient(received, pids[0]!, today, fatal, notes);
    // As the IG's AE examples do: the field's row, then the segment's.
    if (!patient) fatal.push({ segment: 'PID', code: 'segmentSequence', severity: 'E', message: 'PID is a required segment. Message rejected.' });
  }
  if (patient) {
    if (pd1s[0]) patient.protection = readProtection(received, pd1s[0], notes);
    for (const nk1 of nk1s) {
      const person = readResponsible(received, nk1.segment, nk1.seq, notes);
      if (person) patient.responsible.push(person);
    }
  }

  const readGroups: VxuGroup[] = groups.map((g) => {
    if (!g.rxa) return { dose: null, errors: [...g.errors, { segment: 'RXA', code: 'segmentSequence', severity: 'E', message: `ORC ${g.orcSeq} has no RXA: RXA is a required segment. Segment group rejected.` }] };
    if (g.errors.length) return { dose: null, errors: g.errors };
    const errors: AckError[] = [];
    const dose = readDose(received, g.orc, g.rxa, g.rxaSeq, g.rxr, patient?.birthDate ?? null, today, errors);
    return { dose: errors.some((e) => e.severity === 'E') ? null : dose, errors };
  });
  return { patient: fatal.length ? null : patient, fatal, notes, groups: readGroups };
}

function readPatient(received: ReceivedMessage, pid: Hl7Segment, today: string, fatal: AckError[], notes: AckError[]): VxuPatient | null {
  const v = (field: number, component = 1, rep = 0, sub = 0) => value(received, pid, field, component, rep, sub);
  const at = (field: number) => ({ segment: 'PID', sequence: 1, field });
  const identifiers: PatientIdentifier[] = [];
  for (let rep = 0; rep < Math.min(repetitions(pid, 3), 20); rep++) {
    const identifier = v(3, 1, rep);
    if (identifier) identifiers.push({ identifier: clip(identifier, 60), authority: clip(v(3, 4, rep), 60), type: clip(v(3, 5, rep), 10) });
  }
  if (!identifiers.length) fatal.push({ ...at(3), code: 'requiredFieldMissing', severity: 'E', applicationError: applicationErrors.requiredDataMissing, message: 'Patient identifier (PID-3) is required.' });
  const lastName = v(5, 1);
  const firstName = v(5, 2);
  if (!lastName || !firstName) fatal.push({ ...at(5), code: 'requiredFieldMissing', severity: 'E', applicationError: applicationErrors.requiredDataMissing, message: 'Patient name (PID-5, family and given name) is required.' });
  const birthText = v(7);
  const birthDate = hl7Date(birthText);
  if (!birthText) fatal.push({ ...at(7), code: 'requiredFieldMissing', severity: 'E', applicationError: applicationErrors.requiredDataMissing, message: 'Patient birth date (PID-7) is required.' });
  else if (!birthDate) fatal.push({ ...at(7), code: 'dataType', severity: 'E', message: 'Patient birth date (PID-7) is not a valid date (YYYYMMDD).' });
  // The IG's own example for this business rule (Appendix A): 101 with ERR-5 "illogical date error".
  else if (birthDate > today) fatal.push({ ...at(7), code: 'requiredFieldMissing', severity: 'E', applicationError: applicationErrors.illogicalDate, message: 'Birth date after today.' });
  const sexCode = v(8);
  let sex: 'F' | 'M' | 'U' = 'U';
  if (sexCode === 'F' || sexCode === 'M') sex = sexCode;
  else if (sexCode && !['U', 'O', 'A', 'N', 'X'].includes(sexCode)) notes.push({ ...at(8), code: 'tableValueNotFound', severity: 'W', message: 'Administrative sex (PID-8) not in HL7 table 0001: recorded as unknown.' });
  if (fatal.length) return null;

  let phone: string | null = null;
  let email: string | null = null;
  for (let rep = 0; rep < Math.min(repetitions(pid, 13), 10); rep++) {
    if (v(13, 2, rep) === 'NET' || v(13, 3, rep) === 'Internet' || v(13, 3, rep) === 'X.400') email ??= orNull(v(13, 4, rep), 254);
    else phone ??= orNull(v(13, 6, rep) && v(13, 7, rep) ? `${v(13, 6, rep)}${v(13, 7, rep)}`.replace(/\D/g, '') : v(13, 1, rep), 30);
  }
  const [line1, line2, city, state, zip, county] = [v(11, 1), v(11, 2), v(11, 3), v(11, 4), v(11, 5), v(11, 9)];
  return {
    identifiers: identifiers.filter((i) => i.type !== 'SS'), // never keep an SSN
    lastName: clip(lastName, 80),
    firstName: clip(firstName, 60),
    middleName: orNull(v(5, 3), 60),
    suffix: orNull(v(5, 4), 10),
    birthDate: birthDate!,
    sex,
    motherMaidenName: orNull(v(6, 1), 80),
    phone,
    email,
    address: line1 && city && state && zip ? { line1: clip(line1, 120), line2: orNull(line2, 120), city: clip(city, 60), county: orNull(county, 60), state: clip(state, 2).toUpperCase(), zip: clip(zip, 10) } : null,
    protection: null,
    responsible: [],
  };
}

function readProtection(received: ReceivedMessage, pd1: Hl7Segment, notes: AckError[]): VxuPatient['protection'] {
  const indicator = value(received, pd1, 12);
  if (!indicator) return null;
  if (indicator !== 'Y' && indicator !== 'N') {
    notes.push({ segment: 'PD1', sequence: 1, field: 12, code: 'tableValueNotFound', severity: 'W', message: 'Protection indicator (PD1-12) must be Y or N: ignored.' });
    return null;
  }
  return { indicator, effectiveOn: hl7Date(value(received, pd1, 13)) };
}

/** An NK1 without name or relationship is rejected on its own (the IG's "segment rejected" example). */
function readResponsible(received: ReceivedMessage, nk1: Hl7Segment, seq: number, notes: AckError[]): ResponsiblePerson | null {
  const v = (field: number, component = 1) => value(received, nk1, field, component);
  if (!v(3)) {
    notes.push({ segment: 'NK1', sequence: seq, field: 3, code: 'requiredFieldMissing', severity: 'E', applicationError: applicationErrors.requiredDataMissing, message: 'Relationship missing -- segment rejected.' });
    return null;
  }
  if (!v(2, 1) || !v(2, 2)) {
    notes.push({ segment: 'NK1', sequence: seq, field: 2, code: 'requiredFieldMissing', severity: 'E', applicationError: applicationErrors.requiredDataMissing, message: 'Name missing -- segment rejected.' });
    return null;
  }
  const phone = v(5, 6) && v(5, 7) ? `${v(5, 6)}${v(5, 7)}`.replace(/\D/g, '') : v(5, 1);
  return { last_name: clip(v(2, 1), 80), first_name: clip(v(2, 2), 60), relationship: clip(v(3, 1), 30), phone: orNull(phone, 30) };
}

// RXR-1 may be coded in NCI Thesaurus (IG 1.5) or HL7 table 0162: stored as the 0162 code.
const ncitRoutes: Record<string, string> = { C28161: 'IM', C38299: 'SC', C38238: 'ID', C38288: 'PO', C38284: 'NS', C38276: 'IV', C38305: 'TD', C38676: 'PER' };

function readDose(received: ReceivedMessage, orc: Hl7Segment | null, rxa: Hl7Segment, seq: number, rxr: Hl7Segment | null, birthDate: string | null, today: string, errors: AckError[]): VxuDose {
  const v = (field: number, component = 1) => value(received, rxa, field, component);
  const at = (field: number) => ({ segment: 'RXA', sequence: seq, field });
  const rejected = ' Segment group rejected.';
  const givenText = v(3);
  const givenOn = hl7Date(givenText);
  if (!givenText) errors.push({ ...at(3), code: 'requiredFieldMissing', severity: 'E', message: `Date administered (RXA-3) is required.${rejected}` });
  else if (!givenOn) errors.push({ ...at(3), code: 'dataType', severity: 'E', message: `Date administered (RXA-3) is not a valid date.${rejected}` });
  else if (givenOn > today || (birthDate && givenOn < birthDate)) errors.push({ ...at(3), code: 'dataType', severity: 'E', applicationError: applicationErrors.illogicalDate, message: `Date administered (RXA-3) is ${givenOn > today ? 'after today' : 'before the birth date'}.${rejected}` });

  // RXA-5: the first triplet, else the alternate one, coded in CVX or NDC.
  const triplets = [[v(5, 1), v(5, 2), v(5, 3)], [v(5, 4), v(5, 5), v(5, 6)]] as const;
  const coded = triplets.find(([code, , system]) => code && (system === 'CVX' || system === 'NDC'));
  if (!v(5, 1)) errors.push({ ...at(5), code: 'requiredFieldMissing', severity: 'E', message: `Vaccine code (RXA-5) is required.${rejected}` });
  else if (!coded) errors.push({ ...at(5), code: 'tableValueNotFound', severity: 'E', applicationError: applicationErrors.tableValueNotFound, message: `Vaccine code (RXA-5) must be coded in CVX or NDC.${rejected}` });

  const amount = v(6);
  if (amount && !/^\d+(\.\d+)?$/.test(amount)) errors.push({ ...at(6), code: 'dataType', severity: 'W', message: 'Administered amount (RXA-6) is not a number: ignored.' });

  let completion = v(20) || 'CP';
  if (!['CP', 'PA', 'RE', 'NA'].includes(completion)) {
    errors.push({ ...at(20), code: 'tableValueNotFound', severity: 'W', message: 'Completion status (RXA-20) not in HL7 table 0322: taken as CP.' });
    completion = 'CP';
  }
  const actionCode = v(21) || 'A';
  if (!['A', 'U', 'D'].includes(actionCode)) errors.push({ ...at(21), code: 'tableValueNotFound', severity: 'E', message: `Action code (RXA-21) must be A, U or D.${rejected}` });

  const information = v(9);
  const orderId = orc ? dosesOrderId(received, orc) : null;
  const routeCode = value(received, rxr, 1, 1);
  const route = ncitRoutes[routeCode] ?? (value(received, rxr, 1, 3) === 'NCIT' ? value(received, rxr, 1, 4) : routeCode);
  const administeredBy = [v(10, 3), v(10, 2)].filter(Boolean).join(' ') || v(10, 1);
  return {
    rxa: seq,
    action: actionCode as VxuDose['action'],
    orderId,
    givenOn: givenOn ?? '',
    code: coded?.[0] ?? '',
    system: (coded?.[2] ?? 'CVX') as 'CVX' | 'NDC',
    text: clip(coded?.[1] ?? '', 100),
    notADose: completion === 'RE' || completion === 'NA' || coded?.[0] === '998',
    // RXA-9 NIP001: 00 = new immunization record (administered); 01–08 = historical sources.
    historical: information !== '' && information !== '00',
    lot: orNull(value(received, rxa, 15), 30),
    mvx: orNull(v(17, 1).toUpperCase(), 4),
    site: orNull(value(received, rxr, 2, 1), 10),
    route: route ? clip(route, 10) : null,
    administeredBy: orNull(administeredBy, 120),
  };
}

/** The sender's order identity: ORC-3 (filler), else ORC-2 (placer); 9999 means "none" in the IG (refusals). */
function dosesOrderId(received: ReceivedMessage, orc: Hl7Segment): string | null {
  const filler = value(received, orc, 3, 1);
  if (filler && filler !== '9999') return clip(`filler:${filler}^${value(received, orc, 3, 2)}`, 80);
  const placer = value(received, orc, 2, 1);
  if (placer && placer !== '9999') return clip(`placer:${placer}^${value(received, orc, 2, 2)}`, 80);
  return null;
}

