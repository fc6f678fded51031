import type { Knex } from 'knex';

/** Account protection (issue #3): flows, CAPTCHAs, password history, security answers, AUA, codes. */
export async function up(db: Knex): Promise<void> {
  // A user flow is a stored record with a named state; the browser carries only its id (STYLE.md).
  await db.schema.createTable('flows', (t) => {
    t.string('id', 64).primary();
    t.string('kind', 30).notNullable(); // sign_in | recovery
    t.string('state', 40).notNullable();
    t.string('user_id', 36).nullable().references('users.id').onDelete('CASCADE');
    t.string('username_key', 100).nullable();
    t.string('interaction_uid', 255).nullable();
    t.text('data').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.index(['interaction_uid']);
    t.index(['expires_at']);
  });

  await db.schema.createTable('captchas', (t) => {
    t.string('id', 64).primary();
    t.string('binding', 300).notNullable(); // what it was shown for: an interaction uid
    t.string('answer_hash', 64).notNullable();
    t.bigInteger('expires_at').notNullable();
    t.index(['expires_at']);
  });

  await db.schema.createTable('password_history', (t) => {
    t.bigIncrements('id').primary();
    t.string('user_id', 36).notNullable().references('users.id').onDelete('CASCADE');
    t.string('password_hash', 255).notNullable();
    t.bigInteger('created_at').notNullable();
    t.index(['user_id', 'created_at']);
  });

  await db.schema.createTable('security_answers', (t) => {
    t.string('user_id', 36).notNullable().references('users.id').onDelete('CASCADE');
    t.string('question_id', 40).notNullable();
    t.string('answer_hash', 255).notNullable();
    t.bigInteger('created_at').notNullable();
    t.primary(['user_id', 'question_id']);
  });

  await db.schema.createTable('aua_versions', (t) => {
    t.string('version', 40).primary();
    t.text('text').notNullable();
    t.bigInteger('published_at').notNullable();
  });

  await db.schema.createTable('aua_acceptances', (t) => {
    t.bigIncrements('id').primary();
    t.string('user_id', 36).notNullable().references('users.id').onDelete('CASCADE');
    t.string('version', 40).notNullable();
    t.bigInteger('accepted_at').notNullable();
    t.string('ip', 64).nullable();
    t.index(['user_id', 'accepted_at']);
  });

  // One live emailed code per user and purpose: issuing a new one replaces the old (newest only).
  await db.schema.createTable('one_time_codes', (t) => {
    t.string('user_id', 36).notNullable().references('users.id').onDelete('CASCADE');
    t.string('purpose', 30).notNullable();
    t.string('flow_id', 64).notNullable();
    t.string('code_hash', 64).notNullable();
    t.integer('failed_attempts').notNullable().defaultTo(0);
    t.bigInteger('expires_at').notNullable();
    t.primary(['user_id', 'purpose']);
  });

  await db.schema.alterTable('users', (t) => {
    t.bigInteger('password_reset_at').nullable(); // self-service resets: once a day (SPEC §3.6)
  });

  // Sessions and tokens by account, so a reset or a lock can end all of them.
  await db.schema.alterTable('oidc_payloads', (t) => {
    t.string('account_id', 36).nullable();
    t.index(['account_id', 'model']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('oidc_payloads', (t) => {
    t.dropIndex(['account_id', 'model']);
    t.dropColumn('account_id');
  });
  await db.schema.alterTable('users', (t) => t.dropColumn('password_reset_at'));
  for (const table of ['one_time_codes', 'aua_acceptances', 'aua_versions', 'security_answers', 'password_history', 'captchas', 'flows']) {
    await db.schema.dropTableIfExists(table);
  }
}
