import type { Knex } from 'knex';

/**
 * Passkeys (WebAuthn credentials, issue #10): a person may have several, each with a name they
 * gave it. The public key is not a secret (it only checks signatures), so it is stored as it came,
 * base64url of its COSE encoding. `credential_id` is the authenticator's id for it (base64url, up
 * to 1023 bytes by the spec) and unique across every account: an assertion names its credential,
 * and that decides whose it is. `id` is ours, for the forms that name one (list, remove). `counter`
 * is the signature counter last seen (0 for authenticators that do not count). A removed passkey
 * is a deleted row: its assertions then match nothing.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('passkeys', (t) => {
    t.string('id', 32).primary();
    t.string('user_id', 36).notNullable().references('users.id').onDelete('CASCADE');
    t.string('credential_id', 1400).notNullable().unique();
    t.text('public_key').notNullable();
    t.bigInteger('counter').notNullable().defaultTo(0);
    // How the browser said the authenticator is reached (internal, usb, hybrid…), comma-separated: a hint for the next ceremony.
    t.string('transports', 200).nullable();
    t.string('name', 60).notNullable();
    // The authenticator's model (AAGUID, zeros when not said); whether the credential is synced ("multiDevice") and backed up.
    t.string('aaguid', 36).notNullable();
    t.string('device_type', 20).notNullable();
    t.boolean('backed_up').notNullable().defaultTo(false);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_used_at').nullable();
    t.index(['user_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('passkeys');
}
