import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import { migrationSource } from './migrations/index.js';

export type Db = Knex;

/**
 * Opens the database named by DATABASE_URL: `sqlite:PATH` (embedded default) or `postgres://…`.
 * The same migrations and queries run on both.
 */
export function createDb(databaseUrl: string): Db {
  if (databaseUrl.startsWith('sqlite:')) {
    const filename = databaseUrl.slice('sqlite:'.length) || ':memory:';
    if (filename !== ':memory:') mkdirSync(dirname(resolve(filename)), { recursive: true });
    return knex({
      client: 'sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        // WAL lets readers work during a write; busy_timeout makes a second process wait, not fail.
        afterCreate(conn: { run: (sql: string, cb: (err: Error | null) => void) => void }, done: (err: Error | null, conn: unknown) => void) {
          conn.run('PRAGMA foreign_keys = ON', () =>
            conn.run('PRAGMA journal_mode = WAL', () => conn.run('PRAGMA busy_timeout = 5000', (err) => done(err, conn))),
          );
        },
      },
    });
  }
  // Timestamps are epoch milliseconds in BIGINT columns; they fit a JS number exactly.
  pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
  return knex({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 10 } });
}

export function isSqlite(db: Db): boolean {
  return db.client.config.client === 'sqlite3';
}

export async function migrate(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}
