import type { Knex } from '@portal/db';

/**
 * The HL7 v2 VXU endpoint (issue #12, docs/hl7.md): the identifiers a submitting organization gives
 * its patients (PID-3) and its doses (ORC-3/ORC-2), so a later update or deletion finds them; the
 * registry-sharing protection of PD1-12; and the log of accepted messages that makes a re-sent
 * message (same organization, MSH-10 and content) answer the same ACK without storing twice.
 */
export async function up(db: Knex): Promise<void> {
  // Scoped by the submitting organization (from the bearer token): one organization's MR number
  // never finds another organization's patient. SSNs (type SS) are not kept.
  await db.schema.createTable('client_identifiers', (t) => {
    t.increments('id');
    t.integer('client_id').notNullable().references('clients.id').onDelete('CASCADE');
    t.string('organization_id', 10).notNullable().references('organizations.iis_id');
    t.string('authority', 60).notNullable(); // PID-3.4 assigning authority ('' when absent)
    t.string('identifier', 60).notNullable(); // PID-3.1
    t.string('type', 10).notNullable(); // PID-3.5 identifier type code: MR, PI, PT, …
    t.unique(['organization_id', 'authority', 'identifier']);
    t.index(['client_id']);
  });
  // A dose's identity for RXA-21 U/D: the submitting organization's filler order number (ORC-3),
  // else its placer order number (ORC-2).
  await db.schema.createTable('immunization_identifiers', (t) => {
    t.integer('immunization_id').primary().references('immunizations.id').onDelete('CASCADE');
    t.string('organization_id', 10).notNullable().references('organizations.iis_id');
    t.string('order_id', 80).notNullable(); // "filler:<ORC-3.1>^<ORC-3.2>" or "placer:<ORC-2.1>^<ORC-2.2>"
    t.unique(['organization_id', 'order_id']);
  });
  // PD1-12 protection indicator: Y = the client's record must not be shared with other organizations.
  await db.schema.createTable('client_protection', (t) => {
    t.integer('client_id').primary().references('clients.id').onDelete('CASCADE');
    t.string('indicator', 1).notNullable(); // Y, N
    t.string('effective_on', 10).nullable(); // PD1-13
    t.string('organization_id', 10).notNullable();
    t.bigInteger('updated_at').notNullable();
  });
  // Messages that were accepted (AA) or stored part of their content (AE): the ACK answered, and a
  // hash of the message (segments joined by CR) so a re-send is recognized whatever its separators.
  await db.schema.createTable('hl7_messages', (t) => {
    t.increments('id');
    t.string('organization_id', 10).notNullable().references('organizations.iis_id');
    t.string('client_id', 100).notNullable(); // the OAuth client that sent it
    t.string('control_id', 199).notNullable(); // MSH-10
    t.string('body_sha256', 64).notNullable();
    t.string('acknowledgment_code', 2).notNullable(); // MSA-1
    t.text('ack').notNullable();
    t.bigInteger('received_at').notNullable();
    t.unique(['organization_id', 'control_id', 'body_sha256']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['hl7_messages', 'client_protection', 'immunization_identifiers', 'client_identifiers']) await db.schema.dropTableIfExists(table);
}
