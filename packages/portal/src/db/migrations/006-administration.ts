import type { Knex } from 'knex';

/**
 * The help desk and administration (issue #8): case-folded search keys with indexes (prefix search
 * over 100,000 users without a scan), the 72-hour life of a temporary password, organization
 * types, counters for caller verification, and a client's previous secret during a rotation.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('users', (t) => {
    t.string('name_key', 200).nullable();
    t.string('email_key', 254).nullable();
    t.bigInteger('temporary_password_expires_at').nullable();
  });
  // Fold in the application (NFKC + lower case), the same way as on every later write.
  const rows = await db('users').select('id', 'name', 'email');
  for (const row of rows as { id: string; name: string; email: string }[]) {
    await db('users').where({ id: row.id }).update({ name_key: row.name.normalize('NFKC').toLowerCase(), email_key: row.email.normalize('NFKC').toLowerCase() });
  }
  await db.schema.alterTable('users', (t) => {
    t.index(['name_key']);
    t.index(['email_key']);
  });

  await db.schema.alterTable('organizations', (t) => {
    t.string('code_key', 40).nullable();
    t.string('type', 30).nullable();
  });
  const orgs = await db('organizations').select('id', 'code');
  for (const org of orgs as { id: string; code: string }[]) await db('organizations').where({ id: org.id }).update({ code_key: org.code.toLowerCase() });
  await db.schema.alterTable('organizations', (t) => t.index(['code_key']));

  // Fixed-window counters (caller verification per target and per agent), updated atomically.
  await db.schema.createTable('action_counters', (t) => {
    t.string('key', 200).notNullable();
    t.bigInteger('window_start').notNullable();
    t.integer('count').notNullable();
    t.primary(['key', 'window_start']);
  });

  // The security-question catalogue, managed by administrators; seeded from the bundled list at
  // start. A retired question is no longer offered, but answers given to it keep working.
  await db.schema.createTable('security_question_catalogue', (t) => {
    t.string('id', 40).primary();
    t.string('text', 200).notNullable();
    t.bigInteger('retired_at').nullable();
    t.bigInteger('created_at').notNullable();
  });

  // The audit search filters by actor and by IP (issue #8); without these a filter reads the whole log.
  await db.schema.alterTable('audit_events', (t) => {
    t.index(['actor_user_id', 'at']);
    t.index(['ip', 'at']);
  });

  // Secret rotation: the old secret keeps working until its expiry, then fails at the token endpoint.
  await db.schema.alterTable('oidc_clients', (t) => {
    t.string('previous_secret_hash', 64).nullable();
    t.bigInteger('previous_secret_expires_at').nullable();
    t.bigInteger('secret_rotated_at').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('oidc_clients', (t) => {
    t.dropColumn('secret_rotated_at');
    t.dropColumn('previous_secret_expires_at');
    t.dropColumn('previous_secret_hash');
  });
  await db.schema.alterTable('audit_events', (t) => {
    t.dropIndex(['ip', 'at']);
    t.dropIndex(['actor_user_id', 'at']);
  });
  await db.schema.dropTableIfExists('security_question_catalogue');
  await db.schema.dropTableIfExists('action_counters');
  await db.schema.alterTable('organizations', (t) => {
    t.dropIndex(['code_key']);
    t.dropColumn('type');
    t.dropColumn('code_key');
  });
  await db.schema.alterTable('users', (t) => {
    t.dropIndex(['email_key']);
    t.dropIndex(['name_key']);
    t.dropColumn('temporary_password_expires_at');
    t.dropColumn('email_key');
    t.dropColumn('name_key');
  });
}
