import type { Knex } from 'knex';

/**
 * Every flow step is a compare-and-set (issue #7): flows carry a version, and the emailed code they
 * wait for (hash, expiry) lives on the flow itself, so a try is reserved on the same row that the
 * step then moves. Session endings that a password change owes are recorded durably first.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('flows', (t) => {
    t.integer('version').notNullable().defaultTo(0);
    t.string('secret_hash', 64).nullable(); // HMAC of the emailed code; never the code
    t.bigInteger('secret_expires_at').nullable();
    // "Only the newest code": issuing one clears the others of the same kind for that username.
    t.index(['kind', 'username_key']);
  });
  await db.schema.dropTableIfExists('one_time_codes');

  // Written in the same transaction as a new password; done (and deleted) right after the commit,
  // or by the sweeper if the process died in between: no password changes without its sessions ending.
  await db.schema.createTable('pending_session_ends', (t) => {
    t.bigIncrements('id').primary();
    t.string('user_id', 36).notNullable().references('users.id').onDelete('CASCADE');
    t.string('reason', 40).notNullable();
    // Sessions that began later (the person signing in with the new password) are not ended.
    t.bigInteger('requested_at').notNullable();
    t.string('keep_session_id', 255).nullable();
    t.index(['requested_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('pending_session_ends');
  await db.schema.createTable('one_time_codes', (t) => {
    t.string('user_id', 36).notNullable().references('users.id').onDelete('CASCADE');
    t.string('purpose', 30).notNullable();
    t.string('flow_id', 64).notNullable();
    t.string('code_hash', 64).notNullable();
    t.integer('failed_attempts').notNullable().defaultTo(0);
    t.bigInteger('expires_at').notNullable();
    t.primary(['user_id', 'purpose']);
  });
  await db.schema.alterTable('flows', (t) => {
    t.dropIndex(['kind', 'username_key']);
    t.dropColumn('secret_expires_at');
    t.dropColumn('secret_hash');
    t.dropColumn('version');
  });
}
