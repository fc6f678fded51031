import type { Knex } from 'knex';

/**
 * Second factors (issue #10). An authenticator app's key is stored sealed (AES-256-GCM under a key
 * in `portal_secrets`): it must be readable to check codes, so it cannot be hashed, but a copy of
 * the table alone gives nobody a working key. `last_step` is the RFC 6238 time step of the last
 * code accepted: a code is taken by moving it forward, atomically, so it works once. Recovery codes
 * are stored as keyed hashes and spent by setting `used_at`.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('totp_factors', (t) => {
    t.string('user_id', 36).primary().references('users.id').onDelete('CASCADE');
    t.text('secret_sealed').notNullable();
    t.bigInteger('last_step').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_used_at').nullable();
  });
  await db.schema.createTable('recovery_codes', (t) => {
    t.increments('id').primary();
    t.string('user_id', 36).notNullable().references('users.id').onDelete('CASCADE');
    t.string('code_hash', 64).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('used_at').nullable();
    t.unique(['user_id', 'code_hash']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('recovery_codes');
  await db.schema.dropTable('totp_factors');
}
