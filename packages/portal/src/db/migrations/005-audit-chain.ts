import type { Knex } from 'knex';
import { chainLink, type ChainLink } from '../../libraries/audit.js';

/**
 * The tamper-evident audit log (issue 8 §5): every row gets its place in the chain (`seq`, 1, 2, 3 …
 * without gaps) and `hash = SHA-256(previous hash ‖ row)`. Rows already in the table are chained
 * here, oldest first, so `audit:verify` covers them too.
 *
 * Rolling upgrade: once this has run, an instance of the previous release can no longer write
 * audit rows (seq and hash are required), so replace the old instances promptly.
 */
const batchSize = 1000;

export async function up(db: Knex): Promise<void> {
  const postgres = db.client.dialect === 'postgresql';
  await db.schema.alterTable('audit_events', (t) => {
    t.bigInteger('seq').nullable();
    t.string('hash', 64).nullable();
  });
  // SQLite has no advisory locks and knex opens every transaction with a plain BEGIN, which takes
  // the write lock only at the first write: an append first writes nothing to this table, so a
  // second process waits for the lock (busy_timeout) instead of reading a hash that is about to go stale.
  await db.schema.createTable('audit_append_lock', (t) => {
    t.integer('id').primary();
  });

  let previous: ChainLink | undefined;
  let afterId = 0;
  for (;;) {
    const rows = await db('audit_events').where('id', '>', afterId).orderBy('id').limit(batchSize);
    if (!rows.length) break;
    const links = rows.map((row) => (previous = chainLink(previous, row)));
    if (postgres) {
      // One statement per batch: a large log is chained in minutes, not hours.
      await db.raw(
        `update audit_events as a set seq = v.seq, hash = v.hash
           from (values ${rows.map(() => '(?::bigint, ?::bigint, ?)').join(', ')}) as v(id, seq, hash)
          where a.id = v.id`,
        rows.flatMap((row, i) => [row.id, links[i]!.seq, links[i]!.hash]),
      );
    } else {
      for (const [i, row] of rows.entries()) await db('audit_events').where({ id: row.id }).update(links[i]!);
    }
    afterId = rows.at(-1).id;
  }

  await db.schema.alterTable('audit_events', (t) => {
    t.bigInteger('seq').notNullable().alter();
    t.string('hash', 64).notNullable().alter();
    // One row per place in the chain: a second writer that somehow read a stale head fails loudly.
    t.unique(['seq']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('audit_append_lock');
  await db.schema.alterTable('audit_events', (t) => {
    t.dropUnique(['seq']);
    t.dropColumn('hash');
    t.dropColumn('seq');
  });
}
