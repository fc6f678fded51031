import { randomBytes } from 'node:crypto';
import { unitOfWork, type Db } from '@portal/db';
import type { Clock } from '@portal/rp-kit';
import { buildAck, type AckCode, type AckError } from '../hl7/ack.js';
import { readMessage, type ReceivedMessage } from '../hl7/message.js';
import { checkHeader, readVxu, type VxuDose, type VxuPatient } from '../hl7/vxu.js';
import type { AuditEntry, AuditQueries } from '../queries/audit.js';
import { createClientQueries, type PersonalFields } from '../queries/clients.js';
import { createHl7Queries } from '../queries/hl7.js';
import { createImmunizationQueries, type ImmunizationFields, type ImmunizationRow } from '../queries/immunizations.js';
import { nameKey } from '../search/names.js';
import { createInventoryFeed } from './inventory-feed.js';

/** Who sent the message: from the verified bearer token, never from MSH-4 or RXA-11. */
export interface Submitter { clientId: string; iisId: string }

export type IntakeAnswer = { kind: 'ack'; code: AckCode; ack: string; replayed: boolean } | { kind: 'not-hl7'; reason: string };

/** An NDC as the crosswalk writes it, 5-4-2 with dashes: 11 digits, or the 10-digit 4-4-2/5-3-2/5-4-1 forms. */
export function normalizeNdc(code: string): string | null {
  if (/^\d{11}$/.test(code)) return `${code.slice(0, 5)}-${code.slice(5, 9)}-${code.slice(9)}`;
  const parts = code.split('-');
  if (parts.length !== 3 || !parts.every((p) => /^\d+$/.test(p))) return null;
  const [a, b, c] = parts as [string, string, string];
  if (a.length > 5 || b.length > 4 || c.length > 2) return null;
  return `${a.padStart(5, '0')}-${b.padStart(4, '0')}-${c.padStart(2, '0')}`;
}

interface ResolvedDose { dose: VxuDose; fields: ImmunizationFields }
type DosePlan = { kind: 'insert'; resolved: ResolvedDose } | { kind: 'update'; resolved: ResolvedDose; target: ImmunizationRow } | { kind: 'delete'; resolved: ResolvedDose; target: ImmunizationRow } | { kind: 'skip' };

class Unchanged extends Error {}

/**
 * HL7 v2.5.1 VXU^V04 intake (docs/hl7.md): reads the message, answers an ACK, and stores the
 * patient and the accepted ORDER groups in one transaction. An AR, a fatal AE (PID unusable) or an
 * AE that rejects every group changes nothing; an AE for one group rejects that group only. A
 * message already accepted from the same organization with the same MSH-10 and content answers
 * the stored ACK and stores nothing again.
 */
export function createHl7Intake(deps: { db: Db; clock: Clock; audit: AuditQueries; maxSegments: number; newControlId?: () => string; afterDoses?: () => void }) {
  const { db, clock, audit, maxSegments } = deps;
  const hl7 = createHl7Queries(db);
  const clients = createClientQueries(db);
  const immunizations = createImmunizationQueries(db);
  const unit = unitOfWork(db);
  const feed = createInventoryFeed({ db, clock });
  const newControlId = deps.newControlId ?? (() => randomBytes(10).toString('hex'));
  const today = () => new Date(clock.now()).toISOString().slice(0, 10);

  const answer = (received: ReceivedMessage | undefined, code: AckCode, errors: AckError[]) => buildAck({ received, code, errors, controlId: newControlId(), now: clock.now() });
  const codeOf = (errors: readonly AckError[]): AckCode => (errors.some((e) => e.severity === 'E') ? 'AE' : 'AA');

  async function receive(text: string, submitter: Submitter): Promise<IntakeAnswer> {
    const read = readMessage(text);
    if (!read.ok) return { kind: 'not-hl7', reason: read.reason };
    const { received } = read;
    if (received.segments.length > maxSegments) {
      return { kind: 'ack', code: 'AR', replayed: false, ack: answer(received, 'AR', [{ segment: 'MSH', sequence: 1, code: 'internalError', severity: 'E', message: `The message has more than ${maxSegments} segments. Message rejected.` }]) };
    }
    const header = checkHeader(received);
    if (!header.ok) return { kind: 'ack', code: 'AR', replayed: false, ack: answer(received, 'AR', header.errors) };
    const { controlId } = header.header;

    // Replay: the same organization, control id and content answers the first ACK (a sender that
    // timed out and re-sent must not store twice).
    const earlier = await hl7.messagesWithControlId(submitter.iisId, controlId);
    const same = earlier.find((m) => m.body_sha256 === received.sha256);
    if (same) return { kind: 'ack', code: same.acknowledgment_code as AckCode, ack: same.ack, replayed: true };
    // A reused control id with other content is processed as a new message (the ONC 2015 IZ-AD 5
    // and 6 messages share MSH-10 18019), with a W saying so.
    const notes: AckError[] = earlier.length ? [{ segment: 'MSH', sequence: 1, field: 10, code: 'accepted', severity: 'W', message: 'This message control id was used before for another message: processed as a new message.' }] : [];

    const content = readVxu(received, today());
    if (!content.patient) {
      return { kind: 'ack', code: 'AE', replayed: false, ack: answer(received, 'AE', [...content.fatal, ...content.notes]) };
    }
    const patient = content.patient;
    const groupErrors: AckError[] = [];
    const resolved: (ResolvedDose | null)[] = [];
    for (const [i, r] of (await resolveDoses(content.groups.map((g) => g.dose))).entries()) {
      groupErrors.push(...content.groups[i]!.errors);
      if (r && 'error' in r) {
        groupErrors.push(r.error);
        resolved.push(null);
      } else resolved.push(r);
    }
    const rowsOf = () => [...content.notes, ...notes, ...groupErrors];
    // Every ORDER group rejected: the message stored nothing, so nothing of it is kept (the patient neither).
    if (content.groups.length && resolved.every((r) => r === null)) {
      return { kind: 'ack', code: 'AE', replayed: false, ack: answer(received, 'AE', rowsOf()) };
    }

    try {
      const stored = await unit(async () => {
        const clientId = await matchClient(patient, submitter);
        const plans: DosePlan[] = [];
        for (const r of resolved) plans.push(r ? await planDose(r, clientId, submitter, groupErrors) : { kind: 'skip' });
        // Accepted: a dose to write, or a refusal / "no vaccine" row read without error.
        const accepted = plans.some((p, i) => p.kind !== 'skip' || Boolean(resolved[i]?.dose.notADose));
        if (content.groups.length && !accepted) throw new Unchanged(); // e.g. another organization's U/D only: nothing written

        const now = clock.now();
        const sub = `hl7:${submitter.clientId}`.slice(0, 64);
        // The message's audit rows, written together at its end (one statement, same transaction).
        const trail: AuditEntry[] = [];
        const record = (action: string, client: number | null, details?: string) => void trail.push({ at: now, sub, organization_id: submitter.iisId, action, client_id: client, details: details ?? null });
        await hl7.addOrganization(submitter.iisId);
        const client = clientId ?? (await createClient(patient, submitter, now));
        if (clientId === null) record('hl7.client.create', client);
        else if (await updateClient(client, patient, submitter, now)) record('hl7.client.update', client);
        for (const id of patient.identifiers) await hl7.addIdentifier({ client_id: client, organization_id: submitter.iisId, ...id });
        if (patient.protection) await hl7.setProtection({ client_id: client, indicator: patient.protection.indicator, effective_on: patient.protection.effectiveOn, organization_id: submitter.iisId, updated_at: now });
        for (const person of patient.responsible) if (!(await hl7.hasResponsiblePerson(client, person))) await clients.addResponsiblePerson(client, person);

        for (const plan of plans) {
          if (plan.kind === 'skip') continue;
          const orderId = plan.resolved.dose.orderId;
          if (plan.kind === 'insert') {
            const id = await immunizations.insert(client, submitter.iisId, plan.resolved.fields, 'hl7', now);
            await feed.added({ id, organization_id: submitter.iisId, ...plan.resolved.fields });
            if (orderId) await hl7.setOrderId(id, submitter.iisId, orderId, true);
            record(plan.resolved.fields.historical ? 'hl7.immunization.add_historical' : 'hl7.immunization.add', client, `immunization ${id}`);
          } else if (plan.kind === 'update') {
            await immunizations.update(plan.target.client_id, plan.target.id, plan.resolved.fields, now);
            await feed.changed(plan.target, { ...plan.target, ...plan.resolved.fields });
            if (orderId) await hl7.setOrderId(plan.target.id, submitter.iisId, orderId);
            record('hl7.immunization.update', plan.target.client_id, `immunization ${plan.target.id}`);
          } else {
            await immunizations.remove(plan.target.client_id, plan.target.id);
            await feed.removed(plan.target);
            record('hl7.immunization.delete', plan.target.client_id, `immunization ${plan.target.id}`);
          }
        }
        const rows = rowsOf();
        const code = codeOf(rows);
        const ack = answer(received, code, rows);
        const messageId = await hl7.recordMessage({ organization_id: submitter.iisId, client_id: submitter.clientId.slice(0, 100), control_id: controlId, body_sha256: received.sha256, acknowledgment_code: code, ack, received_at: now });
        record('hl7.message', client, `hl7 message ${messageId}`);
        await audit.recordAll(trail);
        return { kind: 'ack' as const, code, ack, replayed: false };
      });
      deps.afterDoses?.(); // committed: the inventory feed may go
      return stored;
    } catch (err) {
      if (err instanceof Unchanged) return { kind: 'ack', code: 'AE', replayed: false, ack: answer(received, 'AE', rowsOf()) };
      // The same message arriving twice at once: the second insert loses the race; answer the first ACK.
      const raced = (await hl7.messagesWithControlId(submitter.iisId, controlId)).find((m) => m.body_sha256 === received.sha256);
      if (raced) return { kind: 'ack', code: raced.acknowledgment_code as AckCode, ack: raced.ack, replayed: true };
      throw err;
    }
  }

  /**
   * RXA-5 to a CVX for each ORDER group's dose (null where the group has none): NDC codes through the
   * registry's NDC table, then every code against its vaccine table in one query. A code it does not
   * hold rejects that group only (103, "table value not found").
   */
  async function resolveDoses(doses: readonly (VxuDose | null)[]): Promise<(ResolvedDose | { error: AckError } | null)[]> {
    const notFound = (dose: VxuDose, what: string): { error: AckError } => ({
      error: { segment: 'RXA', sequence: dose.rxa, field: 5, code: 'tableValueNotFound', severity: 'E', applicationError: '5^Table value not found^HL70533', message: `${what} not recognized. Segment group rejected.` },
    });
    const coded: (({ dose: VxuDose; cvx: string; ndc: string | null; tradeName: string | null; mvx: string | null }) | { error: AckError } | null)[] = [];
    for (const dose of doses) {
      if (!dose) {
        coded.push(null);
        continue;
      }
      if (dose.system === 'NDC') {
        const ndc = normalizeNdc(dose.code);
        const known = ndc ? await hl7.ndc(ndc) : undefined;
        coded.push(known ? { dose, cvx: known.cvx, ndc, tradeName: known.trade_name, mvx: dose.mvx ?? known.mvx } : notFound(dose, 'NDC code'));
        continue;
      }
      const cvx = /^\d$/.test(dose.code) ? `0${dose.code}` : dose.code;
      coded.push(/^\d{1,4}$/.test(cvx) ? { dose, cvx, ndc: null, tradeName: dose.text || null, mvx: dose.mvx } : notFound(dose, 'Vaccine code'));
    }
    // The registry's curated vaccine table (data/reference-data.ts) is the code set it accepts (IG, ig-acks).
    const known = await hl7.knownVaccines(coded.flatMap((c) => (c && 'cvx' in c ? [c.cvx] : [])));
    return coded.map((c) => {
      if (!c || 'error' in c) return c;
      if (!known.has(c.cvx)) return notFound(c.dose, 'Vaccine code');
      const { dose, cvx, ndc, tradeName, mvx } = c;
      const fields: ImmunizationFields = {
        cvx, ndc, given_on: dose.givenOn, trade_name: tradeName ? tradeName.slice(0, 100) : null, mvx, lot: dose.lot,
        site: dose.site, route: dose.route, historical: dose.historical, administered_by: dose.administeredBy,
      };
      return { dose, fields };
    });
  }

  /**
   * Which stored dose an RXA means: the submitting organization's order id, else its dose of the
   * same vaccine on the same date for this client. Only the organization that recorded a dose can
   * update or delete it (204 otherwise); an A for a dose already on file updates it (a re-send).
   */
  async function planDose(r: ResolvedDose, clientId: number | null, submitter: Submitter, errors: AckError[]): Promise<DosePlan> {
    if (r.dose.notADose) return { kind: 'skip' };
    let target = r.dose.orderId ? await hl7.doseByOrderId(submitter.iisId, r.dose.orderId) : undefined;
    if (target && target.client_id !== clientId) target = undefined;
    if (!target && clientId !== null) target = await hl7.doseByContent(submitter.iisId, clientId, r.fields.given_on, r.fields.cvx);
    if (r.dose.action === 'A') return target ? { kind: 'update', resolved: r, target } : { kind: 'insert', resolved: r };
    if (!target) {
      errors.push({ segment: 'RXA', sequence: r.dose.rxa, field: 21, code: 'unknownKey', severity: 'E', message: `No immunization recorded by your organization matches this ${r.dose.action === 'D' ? 'deletion' : 'update'}. Segment group rejected.` });
      return { kind: 'skip' };
    }
    return { kind: r.dose.action === 'D' ? 'delete' : 'update', resolved: r, target };
  }

  /** The submitting organization's identifier (PID-3 with its authority), else exact name and birth date (and sex). */
  async function matchClient(patient: VxuPatient, submitter: Submitter): Promise<number | null> {
    for (const id of patient.identifiers) {
      const found = await hl7.clientByIdentifier(submitter.iisId, id.authority, id.identifier);
      if (found !== undefined) return found;
    }
    const [first] = await hl7.clientsByNameAndBirthDate(nameKey(patient.lastName), nameKey(patient.firstName), patient.birthDate, patient.sex);
    return first ?? null;
  }

  function personal(patient: VxuPatient): PersonalFields {
    return {
      first_name: patient.firstName, middle_name: patient.middleName, last_name: patient.lastName, suffix: patient.suffix, birth_date: patient.birthDate,
      sex: patient.sex, mother_maiden_name: patient.motherMaidenName, birth_state: null, phone: patient.phone, email: patient.email,
    };
  }

  async function createClient(patient: VxuPatient, submitter: Submitter, now: number): Promise<number> {
    // Consent by age today: a parent's until 18 (Texas Health and Safety Code §161.007), the client's own after.
    const [y, m, d] = patient.birthDate.split('-');
    const adultOn = `${Number(y) + 18}-${m}-${d}`;
    const consent = adultOn <= today() ? 'adult' : 'minor';
    const registryId = await clients.nextRegistryId();
    return clients.insert({ registry_id: registryId, personal: personal(patient), consent, consent_date: null, organization_id: submitter.iisId, address: patient.address ?? undefined }, now);
  }

  /** Only the organization of record corrects the demographics; others add doses and identifiers. Consent is never changed. */
  async function updateClient(clientId: number, patient: VxuPatient, submitter: Submitter, now: number): Promise<boolean> {
    const current = await clients.find(clientId);
    if (!current || current.organization_id !== submitter.iisId) return false;
    const next = { ...personal(patient), birth_state: current.birth_state, phone: patient.phone ?? current.phone, email: patient.email ?? current.email };
    const changed = (Object.keys(next) as (keyof PersonalFields)[]).some((k) => (next[k] ?? null) !== (current[k] ?? null));
    if (changed) await clients.updatePersonal(clientId, next, now);
    return changed;
  }

  return { receive };
}

export type Hl7Intake = ReturnType<typeof createHl7Intake>;
