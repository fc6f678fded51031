import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import { SqliteClient } from './sqlite-client.js';

export type Db = Knex;

/** Runs `work` as one database transaction: every query made while it runs joins it. */
export type UnitOfWork = <T>(work: () => Promise<T>) => Promise<T>;

const units = new WeakMap<Db, UnitOfWork>();

/**
 * A knex handle that joins the transaction of the unit of work in progress, if any. A flow's step
 * (a compare-and-set on its state) and its effects (a password written, an audit row) must commit
 * together or not at all, and they are made by several libraries through their own queries: rather
 * than thread a transaction through every one, each query asks this handle, which answers with the
 * running transaction. It also keeps SQLite (one connection) from waiting forever on a query made
 * outside the transaction that holds that connection.
 */
function transactionAware(root: Knex): Db {
  const current = new AsyncLocalStorage<Knex.Transaction>();
  // A callback started inside a unit of work (a mail sent later) outlives it: it uses the root again.
  const target = (): Knex => {
    const trx = current.getStore();
    return trx && !trx.isCompleted() ? trx : root;
  };
  const db = new Proxy(root, {
    apply: (_root, _this, args: unknown[]) => (target() as unknown as (...a: unknown[]) => unknown)(...args),
    get(_root, property) {
      const handle = target();
      const value = Reflect.get(handle, property, handle) as unknown;
      return typeof value === 'function' ? value.bind(handle) : value;
    },
  });
  units.set(db, async (work) => {
    const running = current.getStore();
    if (running && !running.isCompleted()) return work(); // nested units join the outer one
    return root.transaction((trx) => current.run(trx, work));
  });
  return db;
}

/** The unit of work of a database opened with `createDb`. */
export function unitOfWork(db: Db): UnitOfWork {
  const unit = units.get(db);
  if (!unit) throw new Error('unitOfWork: not a database opened with createDb');
  return unit;
}

/**
 * Opens the database named by a URL (DATABASE_URL, REGISTRY_DATABASE_URL, …): `sqlite:PATH` (embedded default) or `postgres://…`.
 * The same migrations and queries run on both.
 */
export function createDb(databaseUrl: string): Db {
  return transactionAware(openKnex(databaseUrl));
}

function openKnex(databaseUrl: string): Knex {
  if (databaseUrl.startsWith('sqlite:')) {
    const filename = databaseUrl.slice('sqlite:'.length) || ':memory:';
    if (filename !== ':memory:') mkdirSync(dirname(resolve(filename)), { recursive: true });
    return knex({
      // better-sqlite3 runs each statement on the JavaScript thread: no libuv thread-pool round trip
      // per statement, and no wait behind argon2, which keeps that pool busy during sign-ins.
      client: SqliteClient,
      connection: { filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        // WAL lets readers work during a write; synchronous=NORMAL is WAL's durable-across-crashes
        // mode without a sync on every commit (0.09 ms a write instead of 0.21 ms; a power cut may
        // lose the last commits, never corrupt). A second process waits for the write lock, not
        // fails: SqliteClient waits up to busyTimeoutMs without blocking, so SQLite itself must not.
        afterCreate(conn: { pragma: (source: string) => unknown }, done: (err: Error | null, conn: unknown) => void) {
          try {
            conn.pragma('foreign_keys = ON');
            conn.pragma('journal_mode = WAL');
            conn.pragma('synchronous = NORMAL');
            conn.pragma('busy_timeout = 0');
            done(null, conn);
          } catch (err) {
            done(err as Error, conn);
          }
        },
      },
    });
  }
  // Timestamps are epoch milliseconds in BIGINT columns; they fit a JS number exactly.
  pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
  return knex({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 10 } });
}

/** SQLite, whichever driver: knex's better-sqlite3 client is its sqlite3 dialect. */
export function isSqlite(db: Db): boolean {
  return db.client.dialect === 'sqlite3';
}

/**
 * Applies a package's migrations (each database has its own list, named in code so they run the
 * same under tsx, jest and a build). Instances that start together take turns (a database lock
 * named `lockName`), so the one that comes second finds the work done instead of failing on knex's
 * own migration lock.
 */
export async function migrateWith(
  db: Db,
  migrationSource: Knex.MigrationSource<string>,
  lockName: string,
  options: {
    /**
     * knex's record of applied migrations (default `knex_migrations`). Two lists in one database
     * (rp-kit's sessions beside an app's own tables) each need their own: knex refuses a record
     * naming migrations its list does not have.
     */
    tableName?: string;
  } = {},
): Promise<string[]> {
  const applied = await withDatabaseLock(db, lockName, { wait: true }, async () => {
    const [, names] = (await db.migrate.latest({ migrationSource, ...(options.tableName ? { tableName: options.tableName } : {}) })) as [number, string[]];
    return names;
  });
  return applied ?? [];
}

/** A migration source over a list kept in code: `{ '001-initial': module, … }`, applied in key order. */
export function listedMigrations(migrations: Record<string, Knex.Migration>): Knex.MigrationSource<string> {
  return {
    getMigrations: async () => Object.keys(migrations),
    getMigrationName: (name) => name,
    getMigration: async (name) => migrations[name]!,
  };
}

/**
 * Runs `work` while holding a lock named `name` that every instance on this database respects.
 * PostgreSQL: a session advisory lock on a connection of its own (the work's queries use the other
 * connections). `wait: false` gives up at once when another instance holds it (returns undefined).
 * SQLite serves one machine: the lock is per process, and what runs under it is idempotent anyway.
 */
export async function withDatabaseLock<T>(db: Db, name: string, options: { wait: boolean }, work: () => Promise<T>): Promise<T | undefined> {
  if (isSqlite(db)) {
    const held = processLocks.get(name);
    if (held && !options.wait) return undefined;
    const previous = held ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const chained = previous.then(() => mine);
    processLocks.set(name, chained);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (processLocks.get(name) === chained) processLocks.delete(name);
    }
  }
  const client = db.client as { acquireConnection(): Promise<PgConnection>; releaseConnection(c: PgConnection): Promise<void> };
  const conn = await client.acquireConnection();
  try {
    if (options.wait) await conn.query('select pg_advisory_lock(hashtext($1))', [name]);
    else {
      const got = await conn.query('select pg_try_advisory_lock(hashtext($1)) as locked', [name]);
      if (!(got.rows[0] as { locked: boolean }).locked) return undefined;
    }
    try {
      return await work();
    } finally {
      await conn.query('select pg_advisory_unlock(hashtext($1))', [name]);
    }
  } finally {
    await client.releaseConnection(conn);
  }
}

interface PgConnection {
  query(sql: string, params: unknown[]): Promise<{ rows: unknown[] }>;
}
const processLocks = new Map<string, Promise<void>>();

export { SqliteClient, busyTimeoutMs } from './sqlite-client.js';
export type { Knex };
