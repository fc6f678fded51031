import type { Knex } from '@portal/db';

/**
 * ImmTrac2's own records (issue #11, seed 000): organizations with their Health Service Region,
 * clients (patients) and the demographic tabs, consent, immunizations, the five admin-support
 * information tables, the Confidentiality Statement agreements, school lists and the audit trail.
 * Dates of people and doses are ISO `YYYY-MM-DD` text (a calendar date, no time zone); moments are
 * epoch milliseconds in BIGINT, as in the portal.
 */
export async function up(db: Knex): Promise<void> {
  // The portal owns who works where (the `orgs` claim); the registry keeps what it knows about the
  // organization itself, keyed by its 10-digit TX IIS ID (leading zeros kept) — the registry's own
  // identifier, in the claim and on every HL7 message. `region` is the Texas Health Service Region
  // (1–11); a Modified Access Sub-state user's area is their organization's region.
  await db.schema.createTable('organizations', (t) => {
    t.string('iis_id', 10).primary();
    t.string('code', 40).notNullable();
    t.string('name', 200).notNullable();
    t.string('kind', 30).notNullable(); // provider, pharmacy, school, region, state
    t.integer('region').nullable();
    t.string('city', 100).nullable();
    t.string('county', 100).nullable();
    t.string('phone', 30).nullable();
    t.index(['region']);
  });

  // --- Admin support: the five information tables of seed 000 ------------------------------------
  await db.schema.createTable('vaccine_groups', (t) => {
    t.string('code', 20).primary(); // HepB, DTaP, Polio, MMR, Varicella, …
    t.string('label', 100).notNullable();
    t.integer('display_order').notNullable();
  });
  await db.schema.createTable('vaccines', (t) => {
    t.string('cvx', 4).primary(); // leading zeros kept: "08"
    t.string('short_name', 100).notNullable();
    t.string('full_name', 300).notNullable();
    t.string('status', 20).notNullable(); // Active, Inactive
    t.string('groups', 100).notNullable(); // space-separated vaccine_groups codes (a combination counts for several)
  });
  await db.schema.createTable('manufacturers', (t) => {
    t.string('mvx', 4).primary();
    t.string('name', 200).notNullable();
    t.string('status', 20).notNullable();
  });
  await db.schema.createTable('trade_names', (t) => {
    t.increments('id');
    t.string('name', 100).notNullable();
    t.string('cvx', 4).notNullable().references('vaccines.cvx');
    t.string('mvx', 4).notNullable().references('manufacturers.mvx');
    t.unique(['name', 'cvx', 'mvx']);
  });
  await db.schema.createTable('ndc_codes', (t) => {
    t.string('ndc', 13).primary(); // 5-4-2 with dashes as printed on the package
    t.string('cvx', 4).notNullable().references('vaccines.cvx');
    t.string('mvx', 4).notNullable().references('manufacturers.mvx');
    t.string('trade_name', 100).notNullable();
    t.integer('doses_per_package').notNullable();
  });

  // --- Clients ----------------------------------------------------------------------------------
  await db.schema.createTable('clients', (t) => {
    t.increments('id');
    t.string('registry_id', 12).notNullable().unique(); // what a person reads and types: 10 digits
    t.string('first_name', 60).notNullable();
    t.string('middle_name', 60).nullable();
    t.string('last_name', 80).notNullable();
    t.string('suffix', 10).nullable();
    t.string('birth_date', 10).notNullable();
    t.string('sex', 1).notNullable(); // F, M, U
    t.string('mother_maiden_name', 80).nullable();
    t.string('birth_state', 2).nullable();
    t.string('phone', 30).nullable();
    t.string('email', 254).nullable();
    // minor: consent by a parent until 18; adult: the client's own; withdrawn: no longer shown or
    // found except by Full Access State (Texas Health and Safety Code §161.007 ff.).
    t.string('consent', 12).notNullable();
    t.string('consent_date', 10).nullable();
    t.string('organization_id', 10).notNullable().references('organizations.iis_id'); // the organization of record
    // Search keys, folded once on every write: lower case without accents or punctuation.
    t.string('last_key', 80).notNullable();
    t.string('first_key', 60).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['last_key', 'first_key', 'birth_date']);
    t.index(['birth_date']);
    t.index(['organization_id']);
  });
  // Smart search: phonetic name keys (one row per surname part × first-name form, AKAs included),
  // so "Jon Smth" and "Bill Smith-Jones" find their client through an index, not a scan.
  await db.schema.createTable('client_name_keys', (t) => {
    t.string('key', 40).notNullable();
    t.integer('client_id').notNullable().references('clients.id').onDelete('CASCADE');
    t.primary(['key', 'client_id']);
    t.index(['client_id']);
  });
  await db.schema.createTable('client_akas', (t) => {
    t.increments('id');
    t.integer('client_id').notNullable().references('clients.id').onDelete('CASCADE');
    t.string('first_name', 60).notNullable();
    t.string('middle_name', 60).nullable();
    t.string('last_name', 80).notNullable();
    t.index(['client_id']);
  });
  await db.schema.createTable('client_addresses', (t) => {
    t.increments('id');
    t.integer('client_id').notNullable().references('clients.id').onDelete('CASCADE');
    t.string('line1', 120).notNullable();
    t.string('line2', 120).nullable();
    t.string('city', 60).notNullable();
    t.string('county', 60).nullable();
    t.string('state', 2).notNullable();
    t.string('zip', 10).notNullable();
    t.boolean('current').notNullable();
    t.index(['client_id']);
    t.index(['zip']);
  });
  await db.schema.createTable('responsible_persons', (t) => {
    t.increments('id');
    t.integer('client_id').notNullable().references('clients.id').onDelete('CASCADE');
    t.string('first_name', 60).notNullable();
    t.string('last_name', 80).notNullable();
    t.string('relationship', 30).notNullable();
    t.string('phone', 30).nullable();
    t.index(['client_id']);
  });
  // Comments are coded (seed: "client comments"), notes are free text.
  await db.schema.createTable('client_comments', (t) => {
    t.increments('id');
    t.integer('client_id').notNullable().references('clients.id').onDelete('CASCADE');
    t.string('code', 30).notNullable();
    t.string('text', 500).nullable();
    t.string('applies_on', 10).notNullable();
    t.string('organization_id', 10).notNullable();
    t.index(['client_id']);
  });
  await db.schema.createTable('client_notes', (t) => {
    t.increments('id');
    t.integer('client_id').notNullable().references('clients.id').onDelete('CASCADE');
    t.string('text', 2000).notNullable();
    t.string('author', 200).notNullable();
    t.string('organization_id', 10).notNullable();
    t.bigInteger('created_at').notNullable();
    t.index(['client_id']);
  });
  // Every consent form on file, newest last; clients.consent is the one in force.
  await db.schema.createTable('client_consents', (t) => {
    t.increments('id');
    t.integer('client_id').notNullable().references('clients.id').onDelete('CASCADE');
    t.string('kind', 12).notNullable(); // minor, adult, withdrawn
    t.string('signed_on', 10).notNullable();
    t.string('organization_id', 10).notNullable();
    t.bigInteger('recorded_at').notNullable();
    t.index(['client_id']);
  });

  // --- Immunizations ----------------------------------------------------------------------------
  await db.schema.createTable('immunizations', (t) => {
    t.increments('id');
    t.integer('client_id').notNullable().references('clients.id').onDelete('CASCADE');
    t.string('cvx', 4).notNullable().references('vaccines.cvx');
    t.string('ndc', 13).nullable();
    t.string('given_on', 10).notNullable();
    t.string('trade_name', 100).nullable();
    t.string('mvx', 4).nullable();
    t.string('lot', 30).nullable();
    t.string('site', 10).nullable(); // HL7 table 0163: LA, RA, LT, RT, LD, RD, …
    t.string('route', 10).nullable(); // HL7 table 0162: IM, SC, ID, PO, IN
    // Administered here (true) or transcribed from another record (historical).
    t.boolean('historical').notNullable();
    t.string('organization_id', 10).notNullable().references('organizations.iis_id'); // the recording organization
    t.string('administered_by', 120).nullable();
    t.string('source', 20).notNullable(); // manual, hl7, demo
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['client_id', 'given_on']);
    t.index(['organization_id', 'given_on']);
  });

  // --- The Confidentiality Statement, agreed once per user and text version -----------------------
  await db.schema.createTable('statement_agreements', (t) => {
    t.string('sub', 64).notNullable();
    t.string('version', 64).notNullable();
    t.bigInteger('agreed_at').notNullable();
    t.primary(['sub', 'version']);
  });

  // --- Schools: lists of students, and the reports made from them ---------------------------------
  await db.schema.createTable('school_lists', (t) => {
    t.increments('id');
    t.string('organization_id', 10).notNullable().references('organizations.iis_id');
    t.string('name', 100).notNullable();
    t.bigInteger('created_at').notNullable();
    t.unique(['organization_id', 'name']);
  });
  await db.schema.createTable('school_list_students', (t) => {
    t.integer('list_id').notNullable().references('school_lists.id').onDelete('CASCADE');
    t.integer('client_id').notNullable().references('clients.id').onDelete('CASCADE');
    t.bigInteger('added_at').notNullable();
    t.primary(['list_id', 'client_id']);
  });
  await db.schema.createTable('school_reports', (t) => {
    t.increments('id');
    t.integer('list_id').notNullable().references('school_lists.id').onDelete('CASCADE');
    t.string('organization_id', 10).notNullable();
    t.string('created_by', 200).notNullable();
    t.bigInteger('created_at').notNullable();
    t.text('summary').notNullable(); // JSON: the rows as they were when the report was made
    t.index(['organization_id', 'created_at']);
  });

  // Who changed what (the brief: every state change a person triggers is audited). Ids and field
  // names only — never a client's data.
  await db.schema.createTable('registry_audit', (t) => {
    t.increments('id');
    t.bigInteger('at').notNullable();
    t.string('sub', 64).notNullable();
    t.string('organization_id', 10).nullable();
    t.string('action', 60).notNullable();
    t.integer('client_id').nullable();
    t.string('details', 500).nullable();
    t.index(['client_id', 'at']);
    t.index(['at']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of [
    'registry_audit', 'school_reports', 'school_list_students', 'school_lists', 'statement_agreements', 'immunizations',
    'client_consents', 'client_notes', 'client_comments', 'responsible_persons', 'client_addresses', 'client_akas',
    'client_name_keys', 'clients', 'ndc_codes', 'trade_names', 'manufacturers', 'vaccines', 'vaccine_groups', 'organizations',
  ]) {
    await db.schema.dropTableIfExists(table);
  }
}
