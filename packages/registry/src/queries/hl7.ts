import type { Db } from '@portal/db';
import type { ImmunizationRow } from './immunizations.js';

export interface StoredMessage { id: number; body_sha256: string; ack: string; acknowledgment_code: string }

/** The HL7 endpoint's own tables (migration 002-hl7) and the lookups it makes in the others. */
export function createHl7Queries(db: Db) {
  return {
    async messagesWithControlId(organizationId: string, controlId: string): Promise<StoredMessage[]> {
      return db('hl7_messages').where({ organization_id: organizationId, control_id: controlId }).select('id', 'body_sha256', 'ack', 'acknowledgment_code');
    },
    async recordMessage(row: { organization_id: string; client_id: string; control_id: string; body_sha256: string; acknowledgment_code: string; ack: string; received_at: number }): Promise<number> {
      const [inserted] = await db('hl7_messages').insert(row).returning('id');
      return typeof inserted === 'object' ? (inserted as { id: number }).id : (inserted as number);
    },

    async clientByIdentifier(organizationId: string, authority: string, identifier: string): Promise<number | undefined> {
      const row = (await db('client_identifiers').where({ organization_id: organizationId, authority, identifier }).first('client_id')) as { client_id: number } | undefined;
      return row?.client_id;
    },
    /** Exact name (folded keys) and birth date; sex only narrows when both sides know it. Withdrawn clients too. */
    async clientsByNameAndBirthDate(lastKey: string, firstKey: string, birthDate: string, sex: string): Promise<number[]> {
      const q = db('clients').where({ last_key: lastKey, first_key: firstKey, birth_date: birthDate }).orderBy('id').limit(10).select('id');
      if (sex !== 'U') q.whereIn('sex', [sex, 'U']);
      return ((await q) as { id: number }[]).map((r) => r.id);
    },
    async addIdentifier(row: { client_id: number; organization_id: string; authority: string; identifier: string; type: string }): Promise<void> {
      await db('client_identifiers').insert(row).onConflict(['organization_id', 'authority', 'identifier']).ignore();
    },
    async setProtection(row: { client_id: number; indicator: string; effective_on: string | null; organization_id: string; updated_at: number }): Promise<void> {
      await db('client_protection').insert(row).onConflict('client_id').merge();
    },
    async hasResponsiblePerson(clientId: number, person: { first_name: string; last_name: string; relationship: string }): Promise<boolean> {
      return Boolean(await db('responsible_persons').where({ client_id: clientId, ...person }).first('id'));
    },

    /** The submitting organization's dose with this order id (ORC-3/ORC-2). */
    async doseByOrderId(organizationId: string, orderId: string): Promise<ImmunizationRow | undefined> {
      return db('immunization_identifiers as x').join('immunizations as i', 'i.id', 'x.immunization_id').where({ 'x.organization_id': organizationId, 'x.order_id': orderId }).first('i.*');
    },
    /** The submitting organization's dose of this vaccine on this date for this client (no order id). */
    async doseByContent(organizationId: string, clientId: number, givenOn: string, cvx: string): Promise<ImmunizationRow | undefined> {
      return db('immunizations').where({ organization_id: organizationId, client_id: clientId, given_on: givenOn, cvx }).orderBy('id').first();
    },
    /**
     * Records the dose's order id unless the organization already gave it to another dose (senders do
     * reuse them). `fresh`: the dose was inserted by this message, so it has no order id to replace.
     */
    async setOrderId(immunizationId: number, organizationId: string, orderId: string, fresh = false): Promise<void> {
      if (!fresh) await db('immunization_identifiers').where({ immunization_id: immunizationId }).delete();
      await db('immunization_identifiers').insert({ immunization_id: immunizationId, organization_id: organizationId, order_id: orderId }).onConflict(['organization_id', 'order_id']).ignore();
    },

    /** Which of these CVX codes the registry's vaccine table holds (one query for a message's doses). */
    async knownVaccines(codes: readonly string[]): Promise<Set<string>> {
      if (!codes.length) return new Set();
      const rows = (await db('vaccines').whereIn('cvx', [...new Set(codes)]).select('cvx')) as { cvx: string }[];
      return new Set(rows.map((r) => r.cvx));
    },
    async ndc(ndc: string): Promise<{ cvx: string; mvx: string; trade_name: string } | undefined> {
      return db('ndc_codes').where({ ndc }).first('cvx', 'mvx', 'trade_name');
    },
    async organizationKnown(iisId: string): Promise<boolean> {
      return Boolean(await db('organizations').where({ iis_id: iisId }).first('iis_id'));
    },
    async addOrganization(iisId: string): Promise<void> {
      await db('organizations').insert({ iis_id: iisId, code: iisId, name: `TX IIS ${iisId}`, kind: 'provider', region: null }).onConflict('iis_id').ignore();
    },
  };
}

export type Hl7Queries = ReturnType<typeof createHl7Queries>;
