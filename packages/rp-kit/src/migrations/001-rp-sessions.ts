import type { Knex } from '@portal/db';

/**
 * App sessions in the app's database, so a restart signs nobody out and every instance of an app
 * sees the same sessions. Rows are keyed by a SHA-256 of the cookie value: reading the table (a
 * backup, a leaked dump) yields no cookie that opens a session. `client_id` keeps apps that share
 * one database apart, a back-channel logout for one app must not end another's sessions.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('rp_sessions', (t) => {
    t.string('key', 64).primary(); // hex SHA-256 of the cookie value
    t.string('client_id', 200).notNullable();
    t.string('sub', 255).notNullable();
    t.string('sid', 255).nullable();
    t.text('claims').notNullable(); // JSON
    t.text('id_token').notNullable();
    t.string('csrf_token', 64).notNullable();
    t.bigInteger('created_at').notNullable(); // epoch ms
    t.bigInteger('last_seen_at').notNullable();
    t.text('data').notNullable(); // JSON, the app's own
    // AES-256-GCM under a key derived from the client secret: the database alone opens no API.
    t.text('access_token_sealed').nullable();
    t.bigInteger('access_token_expires_at').nullable();
    // Back-channel logout names a portal session (sid) or a person (sub).
    t.index(['client_id', 'sid']);
    t.index(['client_id', 'sub']);
    // The sweep: idle and lifetime ends.
    t.index(['client_id', 'last_seen_at']);
    t.index(['client_id', 'created_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('rp_sessions');
}
