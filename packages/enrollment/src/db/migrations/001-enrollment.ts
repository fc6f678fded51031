import type { Knex } from '@portal/db';

/**
 * Syntropi's own records (issue #12, seed 003): provider-site enrollments for a programme, the
 * history of every status change, the Bidirectional Exchange (HL7) of a site, and the audit trail.
 * An organization is known by its 10-digit TX IIS ID, text with leading zeros kept. Moments are
 * epoch milliseconds in BIGINT, as in the portal.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('enrollments', (t) => {
    t.increments('id');
    t.string('kind', 20).notNullable(); // registration, renewal
    t.string('programme', 20).notNullable(); // covid19, tvfc, asn
    t.string('organization_iis_id', 10).notNullable();
    t.string('organization_name', 200).notNullable();
    // draft → submitted → approved | rejected (a rejected one may be edited and submitted again)
    t.string('status', 20).notNullable();
    t.integer('renews_id').nullable().references('enrollments.id');
    // The form as entered (JSON): a draft may be incomplete, so it is validated on submit only.
    t.text('details').notNullable();
    t.string('site_name', 200).notNullable().defaultTo('');
    // The point of contact: the person who started it; decisions are mailed to contact_email.
    t.string('contact_sub', 100).notNullable();
    t.string('contact_name', 200).notNullable();
    t.string('contact_email', 254).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['organization_iis_id', 'programme', 'status']);
    t.index(['status']);
  });

  // The Bidirectional Exchange of one site (its TX IIS ID): ROI form → widget activated by the
  // state → waiting queue → live. Only the client id of the HL7 credentials is kept, never a secret.
  await db.schema.createTable('exchanges', (t) => {
    t.increments('id');
    t.string('organization_iis_id', 10).notNullable().unique();
    t.integer('enrollment_id').notNullable().references('enrollments.id');
    t.string('state', 20).notNullable(); // roi_submitted, widget_active, waiting, live
    t.text('roi').notNullable(); // the ROI answers (JSON)
    t.bigInteger('queued_at').nullable(); // entered the waiting queue: its order
    t.string('hl7_client_id', 100).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['state', 'queued_at']);
  });
  // Every transition of an enrollment or an exchange: who, when, from and to, the comment.
  await db.schema.createTable('enrollment_events', (t) => {
    t.increments('id');
    t.integer('enrollment_id').nullable().references('enrollments.id');
    t.integer('exchange_id').nullable().references('exchanges.id');
    t.bigInteger('at').notNullable();
    t.string('actor_sub', 100).notNullable();
    t.string('actor_name', 200).notNullable();
    t.string('from_state', 30).nullable();
    t.string('to_state', 30).notNullable();
    t.text('comment').nullable();
    t.index(['enrollment_id']);
    t.index(['exchange_id']);
  });

  // Who did what to which record: ids only, never the form's contents (SPEC audit rule).
  await db.schema.createTable('enrollment_audit', (t) => {
    t.increments('id');
    t.bigInteger('at').notNullable();
    t.string('sub', 100).notNullable();
    t.string('action', 60).notNullable();
    t.string('organization_iis_id', 10).nullable();
    t.integer('enrollment_id').nullable();
    t.integer('exchange_id').nullable();
    t.index(['at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('enrollment_audit');
  await db.schema.dropTable('enrollment_events');
  await db.schema.dropTable('exchanges');
  await db.schema.dropTable('enrollments');
}
