// Seeds the registry bench's database once and keeps it: a SQLite file under data/bench/ (gitignored)
// or a database on BENCH_DATABASE_URL's PostgreSQL server, each named by the population size and a
// hash of everything that decides its content (the generator, the migration, the name keys, this
// seeder), so a second run skips seeding and a changed schema or generator seeds afresh.
//
// The schema is the registry's own (migrateRegistry, the reference tables, the demo organizations);
// the rows go in with bulk statements, not the query functions: the secondary indexes are dropped,
// the rows inserted in big transactions, the indexes made again from their own definitions.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { createDb, type Db } from '../../packages/db/src/index.js';
import { migrateRegistry } from '../../packages/registry/src/db/index.js';
import { createReferenceQueries } from '../../packages/registry/src/queries/reference.js';
import { createOrganizationQueries } from '../../packages/registry/src/queries/organizations.js';
import { demoOrganizations } from '../../packages/registry/src/demo/demo-data.js';
import { nameKey, nameSearchKeys } from '../../packages/registry/src/search/names.js';
import { chunksOf, NOW, populationChunk, type PopulationClient } from './registry-population.js';

// better-sqlite3 straight, for the bulk insert (the root devDependency knex's SQLite client uses; no types installed).
interface Statement { run(...params: unknown[]): unknown; get(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] }
interface SqliteDatabase {
  pragma(source: string): unknown;
  prepare(sql: string): Statement;
  exec(sql: string): void;
  transaction<A extends unknown[]>(work: (...args: A) => void): (...args: A) => void;
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string, options?: { readonly?: boolean }) => SqliteDatabase;

const root = fileURLToPath(new URL('../../', import.meta.url));
const say = (line: string) => process.stderr.write(`${line}\n`);

/** Tables that get rows; their secondary indexes are dropped while the rows go in. */
const seededTables = ['clients', 'client_name_keys', 'client_addresses', 'immunizations'];

export interface SeededRegistry {
  databaseUrl: string;
  /** Where it is, for people: the file, or the database name. */
  where: string;
  cached: boolean;
  seedSeconds: number | undefined;
  bytes: number;
  clients: number;
  immunizations: number;
  nameKeys: number;
}

/** What decides the seeded content; any change seeds a new database. */
function contentHash(): string {
  const hash = createHash('sha256');
  for (const file of [
    'packages/registry/src/demo/synthetic.ts', 'packages/registry/src/demo/demo-data.ts', 'packages/registry/src/db/migrations/001-registry.ts',
    'packages/registry/src/search/names.ts', 'packages/registry/src/data/nicknames.ts', 'packages/registry/src/data/reference-data.ts',
    'scripts/bench/registry-population.ts', 'scripts/bench/registry-seed.ts',
  ]) hash.update(file).update(readFileSync(join(root, file)));
  return hash.digest('hex').slice(0, 10);
}

/** The rows of one client, in each table's column order (booleans as 1/0 for better-sqlite3). */
const clientColumns = ['id', 'registry_id', 'first_name', 'middle_name', 'last_name', 'suffix', 'birth_date', 'sex', 'mother_maiden_name', 'birth_state', 'phone', 'email', 'consent', 'consent_date', 'organization_id', 'last_key', 'first_key', 'created_at', 'updated_at'];
const addressColumns = ['client_id', 'line1', 'line2', 'city', 'county', 'state', 'zip', 'current'];
const doseColumns = ['client_id', 'cvx', 'ndc', 'given_on', 'trade_name', 'mvx', 'lot', 'site', 'route', 'historical', 'organization_id', 'administered_by', 'source', 'created_at', 'updated_at'];
const keyColumns = ['key', 'client_id'];

const keysOf = new Map<string, string[]>();
/** The client's smart-search keys as writeNameKeys makes them (no AKAs here); names repeat, so memoized. */
function nameKeysOf(first: string, last: string): string[] {
  const memo = `${first}|${last}`;
  let keys = keysOf.get(memo);
  if (!keys) keysOf.set(memo, (keys = [...new Set(nameSearchKeys(first, last))]));
  return keys;
}

interface Rows { clients: unknown[][]; addresses: unknown[][]; doses: unknown[][]; keys: unknown[][] }
function rowsOf(list: PopulationClient[]): Rows {
  const rows: Rows = { clients: [], addresses: [], doses: [], keys: [] };
  for (const { id, registryId, organizationId, client: c, doses } of list) {
    rows.clients.push([id, registryId, c.firstName, c.middleName, c.lastName, null, c.birthDate, c.sex, c.motherMaidenName, 'TX', c.phone, null, c.consent, c.birthDate, organizationId, nameKey(c.lastName), nameKey(c.firstName), NOW, NOW]);
    rows.addresses.push([id, c.address.line1, null, c.address.city, c.address.county, c.address.state, c.address.zip, 1]);
    for (const d of doses) rows.doses.push([id, d.cvx, null, d.givenOn, null, d.mvx, d.lot, d.site, d.route, d.historical ? 1 : 0, organizationId, null, 'bench', NOW, NOW]);
    for (const key of nameKeysOf(c.firstName, c.lastName)) rows.keys.push([key, id]);
  }
  return rows;
}

/** The schema, reference tables and organizations, through the registry's own code. */
async function createSchema(db: Db): Promise<void> {
  await migrateRegistry(db);
  await createReferenceQueries(db).load();
  const orgs = createOrganizationQueries(db);
  for (const org of demoOrganizations) await orgs.upsert(org);
}

const progress = (chunk: number, chunks: number, started: number) => {
  if (chunk % Math.max(1, Math.floor(chunks / 10)) === 0 && chunk) say(`    ${Math.round((100 * chunk) / chunks)}% (${((performance.now() - started) / 1000).toFixed(0)} s)`);
};

// --- SQLite ------------------------------------------------------------------------------------

async function seedSqlite(clients: number): Promise<SeededRegistry> {
  const dir = join(root, 'data/bench');
  mkdirSync(dir, { recursive: true });
  const name = `registry-${clients}-${contentHash()}.sqlite`;
  const file = join(dir, name);
  const counts = (path: string) => {
    const raw = new Database(path, { readonly: true });
    const count = (table: string) => (raw.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    const out = { clients: count('clients'), immunizations: count('immunizations'), nameKeys: count('client_name_keys') };
    raw.close();
    return out;
  };
  if (existsSync(file)) return { databaseUrl: `sqlite:${file}`, where: `data/bench/${name}`, cached: true, seedSeconds: undefined, bytes: statSync(file).size, ...counts(file) };

  // One cached file a size: an older version of this size goes.
  for (const old of readdirSync(dir)) if (old.startsWith(`registry-${clients}-`)) rmSync(join(dir, old), { force: true });
  const partial = `${file}.partial`;
  const started = performance.now();
  say(`  seeding ${clients.toLocaleString('en-US')} clients into data/bench/${name}…`);
  const db = createDb(`sqlite:${partial}`);
  await createSchema(db);
  await db.destroy();

  const raw = new Database(partial);
  raw.pragma('journal_mode = OFF');
  raw.pragma('synchronous = OFF');
  raw.pragma('cache_size = -262144'); // 256 MiB
  const indexes = raw.prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${seededTables.map(() => '?').join(',')})`).all(...seededTables) as { name: string; sql: string }[];
  for (const index of indexes) raw.exec(`drop index "${index.name}"`);

  const inserter = (table: string, columns: string[]) => {
    const tuple = `(${columns.map(() => '?').join(',')})`;
    const perStatement = Math.floor(999 / columns.length);
    const many = raw.prepare(`insert into ${table} (${columns.join(',')}) values ${Array(perStatement).fill(tuple).join(',')}`);
    const one = raw.prepare(`insert into ${table} (${columns.join(',')}) values ${tuple}`);
    return (rows: unknown[][]) => {
      let i = 0;
      for (; i + perStatement <= rows.length; i += perStatement) many.run(rows.slice(i, i + perStatement).flat());
      for (; i < rows.length; i++) one.run(rows[i]);
    };
  };
  const insert = { clients: inserter('clients', clientColumns), addresses: inserter('client_addresses', addressColumns), doses: inserter('immunizations', doseColumns), keys: inserter('client_name_keys', keyColumns) };
  const chunks = chunksOf(clients);
  const batch = raw.transaction((from: number, to: number) => {
    for (let chunk = from; chunk < to; chunk++) {
      const rows = rowsOf(populationChunk(chunk, clients));
      insert.clients(rows.clients);
      insert.addresses(rows.addresses);
      insert.doses(rows.doses);
      insert.keys(rows.keys);
    }
  });
  const chunksPerTransaction = 50;
  for (let chunk = 0; chunk < chunks; chunk += chunksPerTransaction) {
    batch(chunk, Math.min(chunks, chunk + chunksPerTransaction));
    progress(chunk, chunks, started);
  }
  say(`    rows in (${((performance.now() - started) / 1000).toFixed(0)} s); indexes…`);
  for (const index of indexes) raw.exec(index.sql);
  raw.pragma('journal_mode = WAL'); // as createDb opens it
  raw.close();
  renameSync(partial, file);
  return { databaseUrl: `sqlite:${file}`, where: `data/bench/${name}`, cached: false, seedSeconds: (performance.now() - started) / 1000, bytes: statSync(file).size, ...counts(file) };
}

// --- PostgreSQL --------------------------------------------------------------------------------

interface PgConnection { query(sql: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> }
const complete = 'registry bench: seeded';

/** Column types for unnest(): one array parameter a column, thousands of rows a statement. */
const pgTypes: Record<string, string[]> = {
  clients: ['int', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'bigint'],
  client_addresses: ['int', 'text', 'text', 'text', 'text', 'text', 'text', 'boolean'],
  immunizations: ['int', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'boolean', 'text', 'text', 'text', 'bigint', 'bigint'],
  client_name_keys: ['text', 'int'],
};

async function seedPostgres(clients: number, serverUrl: string): Promise<SeededRegistry> {
  const name = `registry_bench_${clients}_${contentHash()}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const admin = createDb(serverUrl);
  const sizeAndCounts = async () => {
    const db = createDb(databaseUrl);
    const count = async (table: string) => Number(((await db(table).count({ n: '*' }).first()) as { n: string }).n);
    const out = {
      bytes: Number(((await db.raw('select pg_database_size(current_database()) as bytes')).rows[0] as { bytes: string }).bytes),
      clients: await count('clients'), immunizations: await count('immunizations'), nameKeys: await count('client_name_keys'),
    };
    await db.destroy();
    return out;
  };
  try {
    const found = (await admin.raw(`select shobj_description(oid, 'pg_database') as note from pg_database where datname = ?`, [name])).rows as { note: string | null }[];
    if (found[0]?.note === complete) return { databaseUrl, where: `database ${name}`, cached: true, seedSeconds: undefined, ...(await sizeAndCounts()) };
    // Older versions of this size, and a seeding that did not finish, go.
    const old = (await admin.raw(`select datname from pg_database where datname like ?`, [`registry_bench_${clients}_%`])).rows as { datname: string }[];
    for (const { datname } of old) await admin.raw(`drop database "${datname}" with (force)`);
    const started = performance.now();
    say(`  seeding ${clients.toLocaleString('en-US')} clients into PostgreSQL database ${name}…`);
    await admin.raw(`create database "${name}"`);
    const db = createDb(databaseUrl);
    await createSchema(db);
    const connection = (await db.client.acquireConnection()) as PgConnection;
    try {
      const indexes = (await connection.query(
        `select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename = any($1) and indexname not in (select conname from pg_constraint)`,
        [seededTables],
      )).rows as { indexname: string; indexdef: string }[];
      for (const index of indexes) await connection.query(`drop index "${index.indexname}"`);
      const insert = async (table: string, columns: string[], rows: unknown[][]) => {
        if (!rows.length) return;
        const types = pgTypes[table]!;
        const arrays = columns.map((_, c) => rows.map((r) => (typeof r[c] === 'number' && types[c] === 'boolean' ? r[c] === 1 : r[c])));
        await connection.query(`insert into ${table} (${columns.join(',')}) select * from unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(',')})`, arrays);
      };
      const chunks = chunksOf(clients);
      const chunksPerStatement = 50;
      for (let chunk = 0; chunk < chunks; chunk += chunksPerStatement) {
        const list: PopulationClient[] = [];
        for (let c = chunk; c < Math.min(chunks, chunk + chunksPerStatement); c++) list.push(...populationChunk(c, clients));
        const rows = rowsOf(list);
        await connection.query('begin');
        // The rows are consistent by construction: no per-row foreign-key trigger while they go in.
        await connection.query('set local session_replication_role = replica');
        await insert('clients', clientColumns, rows.clients);
        await insert('client_addresses', addressColumns, rows.addresses);
        await insert('immunizations', doseColumns, rows.doses);
        await insert('client_name_keys', keyColumns, rows.keys);
        await connection.query('commit');
        progress(chunk, chunks, started);
      }
      say(`    rows in (${((performance.now() - started) / 1000).toFixed(0)} s); indexes, ANALYZE…`);
      for (const index of indexes) await connection.query(index.indexdef);
      await connection.query(`select setval(pg_get_serial_sequence('clients', 'id'), (select max(id) from clients))`);
      await connection.query('analyze');
    } finally {
      await db.client.releaseConnection(connection);
      await db.destroy();
    }
    await admin.raw(`comment on database "${name}" is '${complete}'`);
    return { databaseUrl, where: `database ${name}`, cached: false, seedSeconds: (performance.now() - started) / 1000, ...(await sizeAndCounts()) };
  } finally {
    await admin.destroy();
  }
}

/** The seeded registry for `clients` clients: cached when it can be, seeded when it must. */
export function seedRegistry(clients: number, databaseServerUrl: string | undefined): Promise<SeededRegistry> {
  if (!databaseServerUrl) return seedSqlite(clients);
  if (!/^postgres(ql)?:\/\//.test(databaseServerUrl)) throw new Error('BENCH_DATABASE_URL must be a postgres:// URL (SQLite is the default)');
  return seedPostgres(clients, databaseServerUrl);
}
