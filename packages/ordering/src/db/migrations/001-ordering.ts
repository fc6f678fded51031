import type { Knex } from '@portal/db';

/**
 * VAOS's own records (issue #12 item 3, seed 004: "place vaccine orders, report wasted doses, and
 * manage vaccine inventory"): the catalogue, organizations as the portal names them, orders with
 * their lines and status history, inventory per organization and lot, every inventory movement, and
 * the audit trail. Calendar dates are ISO `YYYY-MM-DD` text; moments are epoch milliseconds (BIGINT).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('catalogue', (t) => {
    t.string('ndc', 13).primary(); // 5-4-2 with dashes, as printed on the package
    t.string('cvx', 4).notNullable(); // leading zeros kept: "08"
    t.string('vaccine', 100).notNullable();
    t.string('trade_name', 100).notNullable();
    t.string('manufacturer', 100).notNullable();
    t.integer('doses_per_package').notNullable();
    t.boolean('orderable').notNullable().defaultTo(true);
  });

  // The portal owns organizations; VAOS keeps the name it last saw in a claim, keyed by TX IIS ID.
  await db.schema.createTable('organizations', (t) => {
    t.string('iis_id', 10).primary();
    t.string('code', 40).notNullable();
    t.string('name', 200).notNullable();
  });

  await db.schema.createTable('orders', (t) => {
    t.increments('id');
    t.string('org_iis_id', 10).notNullable().references('organizations.iis_id');
    // submitted → approved → shipped → received, or rejected / cancelled; changed only by a
    // compare-and-set on this column (libraries/orders.ts).
    t.string('status', 20).notNullable();
    t.string('placed_by', 64).notNullable(); // the portal's sub
    t.bigInteger('placed_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['org_iis_id', 'placed_at']);
    t.index(['status']);
  });
  await db.schema.createTable('order_lines', (t) => {
    t.increments('id');
    t.integer('order_id').notNullable().references('orders.id');
    t.string('ndc', 13).notNullable().references('catalogue.ndc');
    t.integer('packages').notNullable();
    t.unique(['order_id', 'ndc']);
  });
  await db.schema.createTable('order_events', (t) => {
    t.increments('id');
    t.integer('order_id').notNullable().references('orders.id');
    t.string('from_status', 20).nullable(); // null: placed
    t.string('to_status', 20).notNullable();
    t.string('by_sub', 64).notNullable();
    t.string('by_name', 200).notNullable();
    t.bigInteger('at').notNullable();
    t.string('comment', 500).nullable();
    t.index(['order_id']);
  });

  await db.schema.createTable('inventory_lots', (t) => {
    t.increments('id');
    t.string('org_iis_id', 10).notNullable().references('organizations.iis_id');
    t.string('ndc', 13).notNullable().references('catalogue.ndc');
    t.string('lot', 30).notNullable();
    t.string('expires_on', 10).notNullable();
    // Changed only by one conditional UPDATE (queries/inventory.ts); the CHECK is the last line.
    t.integer('on_hand').notNullable();
    t.check('?? >= 0', ['on_hand'], 'inventory_on_hand_not_negative');
    t.unique(['org_iis_id', 'ndc', 'lot']);
  });
  // Every change of on_hand, signed (+ received, − wasted or administered).
  await db.schema.createTable('inventory_movements', (t) => {
    t.increments('id');
    t.integer('lot_id').notNullable().references('inventory_lots.id');
    t.string('kind', 20).notNullable(); // received, wasted, administered, demo
    t.integer('doses').notNullable();
    t.string('reason', 40).nullable(); // for wasted: expired, broken_vial, …
    t.integer('order_id').nullable().references('orders.id');
    t.string('by_sub', 64).notNullable();
    t.bigInteger('at').notNullable();
    t.index(['lot_id']);
  });

  // Who did what to which order or lot: ids only, never the data itself.
  await db.schema.createTable('ordering_audit', (t) => {
    t.increments('id');
    t.bigInteger('at').notNullable();
    t.string('sub', 64).notNullable();
    t.string('organization_id', 10).nullable();
    t.string('action', 60).notNullable();
    t.integer('order_id').nullable();
    t.integer('lot_id').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['ordering_audit', 'inventory_movements', 'inventory_lots', 'order_events', 'order_lines', 'orders', 'organizations', 'catalogue']) await db.schema.dropTableIfExists(table);
}
