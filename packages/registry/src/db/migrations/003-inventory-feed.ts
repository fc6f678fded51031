import type { Knex } from '@portal/db';

/**
 * The inventory feed's outbox (issue 12: VAOS inventory "adjusted by … doses given"): a row for
 * every administered dose with a lot recorded, changed or deleted here, written in the same
 * transaction as the dose, and delivered to VAOS's inventory API afterwards (libraries/
 * inventory-feed.ts). Delivery is at least once; VAOS applies each row's id once.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('inventory_feed', (t) => {
    t.increments('id'); // the event id VAOS sees
    t.integer('immunization_id').notNullable(); // no foreign key: a deleted dose's reversal outlives it
    t.string('organization_id', 10).notNullable(); // the TX IIS ID whose inventory the dose came from
    t.string('kind', 10).notNullable(); // given, reversed
    t.string('vaccine', 13).notNullable(); // the dose's NDC, else its CVX
    t.string('lot', 50).notNullable();
    t.integer('doses').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('delivered_at').nullable();
    t.string('outcome', 12).nullable(); // what VAOS did: applied, unmatched, short, reversed, nothing
    t.integer('attempts').notNullable().defaultTo(0);
    t.index(['delivered_at', 'id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('inventory_feed');
}
