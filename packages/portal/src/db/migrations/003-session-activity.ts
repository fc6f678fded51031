import type { Knex } from 'knex';

/**
 * The 15-minute idle rule (SPEC §3.7): oidc-provider's session TTL slides on every save and has no
 * notion of idleness, so the portal keeps when each session was created and last used.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('oidc_payloads', (t) => {
    t.bigInteger('created_at').nullable();
    t.bigInteger('last_active_at').nullable();
    t.index(['model', 'last_active_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('oidc_payloads', (t) => {
    t.dropIndex(['model', 'last_active_at']);
    t.dropColumn('last_active_at');
    t.dropColumn('created_at');
  });
}
