import type { Knex } from '@portal/db';

/**
 * Doses given, fed by the registry (issue 12: inventory "adjusted by … doses given"): every event
 * the inventory API received, once per sender and event id, with what it did to the inventory.
 * `given` takes doses off the organization's lot; `reversed` (the dose deleted or corrected in the
 * registry) puts back what its `given` took.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('administration_events', (t) => {
    t.increments('id');
    t.string('source_client', 100).notNullable(); // the sender's client_id, from its token
    t.string('event_id', 64).notNullable(); // the sender's id: a re-delivery is answered, not applied again
    t.string('immunization_ref', 64).notNullable(); // the sender's dose, tying a reversal to its given
    t.string('org_iis_id', 10).notNullable();
    t.string('kind', 10).notNullable(); // given, reversed
    t.string('vaccine', 13).notNullable(); // NDC or CVX, as the sender has it
    t.string('lot', 50).notNullable();
    t.integer('doses').notNullable();
    // applied, unmatched (no single lot of that vaccine and number), short (fewer doses on hand:
    // never negative), reversed (doses put back), nothing (a reversal of what was not applied)
    t.string('outcome', 12).notNullable();
    t.integer('lot_id').nullable().references('inventory_lots.id');
    t.bigInteger('received_at').notNullable();
    t.unique(['source_client', 'event_id']);
    t.index(['source_client', 'immunization_ref']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('administration_events');
}
