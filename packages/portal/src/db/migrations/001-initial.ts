import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('users', (t) => {
    t.string('id', 36).primary(); // the OIDC `sub`: opaque, never the username
    t.string('username', 100).notNullable().unique();
    // Case-folded for lookup (SPEC §3.1); digits fold to themselves, so 00012345678 ≠ 12345678.
    t.string('username_key', 100).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('email', 254).notNullable();
    t.string('phone', 40).nullable();
    t.string('password_hash', 255).notNullable();
    t.boolean('password_temporary').notNullable().defaultTo(false);
    t.bigInteger('password_changed_at').notNullable();
    t.string('system_role', 20).nullable(); // helpdesk | admin
    t.bigInteger('disabled_at').nullable();
    t.bigInteger('last_sign_in_at').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['email']);
  });

  await db.schema.createTable('organizations', (t) => {
    t.string('id', 36).primary();
    t.string('code', 40).notNullable().unique();
    t.string('iis_id', 10).notNullable().unique();
    t.string('name', 200).notNullable();
    t.bigInteger('created_at').notNullable();
  });

  await db.schema.createTable('memberships', (t) => {
    t.string('user_id', 36).notNullable().references('users.id').onDelete('CASCADE');
    t.string('org_id', 36).notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('role', 40).notNullable();
    t.string('coordinator', 10).nullable();
    t.bigInteger('created_at').notNullable();
    t.primary(['user_id', 'org_id']);
    t.index(['org_id']);
  });

  await db.schema.createTable('oidc_clients', (t) => {
    t.string('client_id', 64).primary();
    t.string('name', 200).notNullable();
    t.string('app', 20).nullable(); // registry | enrollment | ordering
    // SHA-256 of the secret: client secrets are 256-bit random, so a slow hash buys nothing.
    t.string('secret_hash', 64).nullable();
    t.text('metadata').notNullable();
    t.bigInteger('created_at').notNullable();
  });

  await db.schema.createTable('signing_keys', (t) => {
    t.string('kid', 64).primary();
    t.text('private_jwk').notNullable();
    t.bigInteger('created_at').notNullable();
  });

  await db.schema.createTable('portal_secrets', (t) => {
    t.string('name', 40).primary();
    t.text('value').notNullable();
    t.bigInteger('created_at').notNullable();
  });

  // Failed sign-ins per username, known or not (SPEC §3.2: no enumeration, shared by every instance).
  await db.schema.createTable('sign_in_counters', (t) => {
    t.string('username_key', 100).primary();
    t.integer('failures').notNullable().defaultTo(0);
    t.bigInteger('locked_at').nullable();
    t.bigInteger('updated_at').notNullable();
  });

  // All oidc-provider state (sessions, interactions, grants, codes, tokens) in one table.
  await db.schema.createTable('oidc_payloads', (t) => {
    t.string('model', 40).notNullable();
    t.string('id', 255).notNullable();
    t.text('payload').notNullable();
    t.string('grant_id', 255).nullable();
    t.string('user_code', 255).nullable();
    t.string('uid', 255).nullable();
    t.bigInteger('expires_at').nullable();
    t.bigInteger('consumed_at').nullable();
    t.primary(['model', 'id']);
    t.index(['grant_id']);
    t.index(['user_code']);
    t.index(['uid']);
    t.index(['expires_at']);
  });

  // Append-only: the application never updates or deletes rows here.
  await db.schema.createTable('audit_events', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('at').notNullable();
    t.string('action', 60).notNullable();
    t.string('actor_user_id', 36).nullable();
    t.string('subject_user_id', 36).nullable();
    t.string('subject', 200).nullable(); // what it was about when not a user: a client, an org, a username tried
    t.string('ip', 64).nullable();
    t.string('user_agent', 300).nullable();
    t.text('details').nullable();
    t.index(['at']);
    t.index(['subject_user_id', 'at']);
    t.index(['action', 'at']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['audit_events', 'oidc_payloads', 'sign_in_counters', 'portal_secrets', 'signing_keys', 'oidc_clients', 'memberships', 'organizations', 'users']) {
    await db.schema.dropTableIfExists(table);
  }
}
