import { createRequire } from 'node:module';
import { setTimeout as pause } from 'node:timers/promises';
import type { Knex } from 'knex';

interface Statement {
  readonly reader: boolean;
  all(bindings: unknown[]): unknown[];
  run(bindings: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}

interface Connection {
  readonly inTransaction: boolean;
  prepare(sql: string): Statement;
}

interface Query {
  sql: string;
  bindings?: unknown[];
  options?: { safeIntegers?: boolean };
  response?: unknown;
  context?: { lastID: number | bigint; changes: number };
}

declare class KnexBetterSqlite3Client extends Knex.Client {
  _query(connection: Connection, query: Query): Promise<Query>;
  _formatBindings(bindings: unknown[] | undefined): unknown[];
}

// knex's own better-sqlite3 dialect (the one `client: 'better-sqlite3'` loads); knex exports no path to it.
const require = createRequire(import.meta.url);
const BetterSqlite3Client = require('knex/lib/dialects/better-sqlite3/index.js') as typeof KnexBetterSqlite3Client;

/** How long a statement waits for another connection's write lock before it fails (SQLITE_BUSY). */
export const busyTimeoutMs = 5_000;
const statementsPerConnection = 200;
// Retried: the lock was held, nothing ran. Not SQLITE_BUSY_SNAPSHOT: that transaction read data another
// connection has since changed, and only a new transaction can go on.
const lockedCodes = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_RECOVERY']);
// Kept: queries and the transaction statements knex repeats. Savepoints carry a new name each time.
const reusable = /^\s*(?:(?:select|insert|update|delete|with)\b|(?:begin|commit|rollback)\s*;?\s*$)/i;
const schemaChange = /^\s*(?:create|alter|drop)\b/i;

/** Prepared statements of each connection, most recently used last (the first key is evicted). */
const statements = new WeakMap<Connection, Map<string, Statement>>();

function prepare(connection: Connection, sql: string): Statement {
  let cache = statements.get(connection);
  if (!cache) statements.set(connection, (cache = new Map()));
  // A schema change (a migration) may change what a kept statement means: start over after one.
  if (schemaChange.test(sql)) cache.clear();
  if (!reusable.test(sql)) return connection.prepare(sql);
  let statement = cache.get(sql);
  if (statement) {
    cache.delete(sql);
  } else {
    statement = connection.prepare(sql);
    if (cache.size >= statementsPerConnection) cache.delete(cache.keys().next().value!);
  }
  cache.set(sql, statement);
  return statement;
}

/**
 * knex's better-sqlite3 client with two changes. Statements are prepared once per connection and
 * reused (knex prepares every query again, ≈ 25 µs each here). And a statement that finds the
 * database locked by another connection waits asynchronously: better-sqlite3 runs on the JavaScript
 * thread, so SQLite's own busy_timeout would stop the event loop — every request of this process —
 * and, when the lock belongs to another connection in this process (a second instance, as tests
 * build), also the transaction that has to finish first, until the timeout failed the wait.
 * (No private fields: knex makes its transaction clients with Object.create, not this constructor.)
 */
export class SqliteClient extends BetterSqlite3Client {
  override async _query(connection: Connection, query: Query): Promise<Query> {
    if (!query.sql) throw new Error('The query is empty');
    if (query.options?.safeIntegers !== undefined) throw new Error('safeIntegers is not supported');
    const bindings = this._formatBindings(query.bindings);
    const deadline = Date.now() + busyTimeoutMs;
    for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
      const inTransaction = connection.inTransaction;
      try {
        const statement = prepare(connection, query.sql);
        if (statement.reader) {
          query.response = statement.all(bindings);
        } else {
          const result = statement.run(bindings);
          query.response = result;
          query.context = { lastID: result.lastInsertRowid, changes: result.changes };
        }
        return query;
      } catch (err) {
        // A transaction SQLite rolled back on the error is gone: trying again would run outside it.
        const locked = lockedCodes.has((err as { code?: string }).code ?? '') && connection.inTransaction === inTransaction;
        if (!locked || Date.now() + wait > deadline) throw err;
        await pause(wait);
      }
    }
  }
}
