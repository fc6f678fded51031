import { isSqlite, type Db, type Knex } from '@portal/db';
import { nameKey, nameSearchKeys } from '../search/names.js';

export type Consent = 'minor' | 'adult' | 'withdrawn';
export type Sex = 'F' | 'M' | 'U';

export interface PersonalFields {
  first_name: string;
  middle_name: string | null;
  last_name: string;
  suffix: string | null;
  birth_date: string;
  sex: Sex;
  mother_maiden_name: string | null;
  birth_state: string | null;
  phone: string | null;
  email: string | null;
}

/** A client as stored: the personal fields, consent, the organization of record. */
export interface ClientRow extends PersonalFields {
  id: number;
  registry_id: string;
  consent: Consent;
  consent_date: string | null;
  organization_id: string;
  created_at: number;
  updated_at: number;
}

export interface AddressFields { line1: string; line2: string | null; city: string; county: string | null; state: string; zip: string }

/** What a search shows for each client found; never withdrawn clients unless asked for. */
export interface ClientSummary {
  id: number;
  registry_id: string;
  first_name: string;
  middle_name: string | null;
  last_name: string;
  birth_date: string;
  sex: Sex;
  consent: Consent;
  zip: string | null;
}

const summaryColumns = ['c.id', 'c.registry_id', 'c.first_name', 'c.middle_name', 'c.last_name', 'c.birth_date', 'c.sex', 'c.consent'];

export interface BasicCriteria {
  lastName?: string | undefined;
  firstName?: string | undefined;
  middleName?: string | undefined;
  birthDate?: string | undefined;
  sex?: Sex | undefined;
  motherMaidenName?: string | undefined;
  phone?: string | undefined;
  zip?: string | undefined;
  registryId?: string | undefined;
}

/**
 * Keys that start with `prefix`, as a range: the keys hold only a–z, so "smi" is every key from
 * "smi" up to "smj". An index serves a range on SQLite and PostgreSQL alike, where LIKE 'smi%' is
 * served by neither (SQLite's LIKE ignores case, PostgreSQL's needs text_pattern_ops): at a million
 * clients LIKE read the whole name index. An empty prefix matches every key, as LIKE '%' did.
 */
function startsWith(q: Knex.QueryBuilder, column: string, prefix: string): void {
  if (!prefix) return;
  q.where(column, '>=', prefix);
  // The next prefix: "smi" → "smj", "smz" → "sn"; only z's ("zz") leave no upper bound.
  const kept = prefix.replace(/z+$/, '');
  if (kept) q.where(column, '<', `${kept.slice(0, -1)}${String.fromCharCode(kept.charCodeAt(kept.length - 1) + 1)}`);
}

/** The advisory lock key new registry ids are taken under (PostgreSQL; any fixed bigint of our own). */
const registryIdLock = 7_001_104_001;

export function createClientQueries(db: Db) {
  type Name = { first_name: string; last_name: string };
  const keysOf = (names: readonly Name[]) => new Set(names.flatMap((n) => nameSearchKeys(n.first_name, n.last_name)));

  /** The smart-search keys of a client: its own name and every AKA. */
  async function writeNameKeys(clientId: number): Promise<void> {
    const client = await db('clients').where({ id: clientId }).first('first_name', 'last_name');
    const akas = await db('client_akas').where({ client_id: clientId }).select('first_name', 'last_name');
    const keys = keysOf([client, ...akas] as Name[]);
    await db('client_name_keys').where({ client_id: clientId }).delete();
    if (keys.size) await db('client_name_keys').insert([...keys].map((key) => ({ key, client_id: clientId })));
  }

  const withKeys = (p: PersonalFields) => ({ ...p, last_key: nameKey(p.last_name), first_key: nameKey(p.first_name) });

  // Search answers list at most this many; a person narrows the search rather than page through.
  const limit = 50;

  return {
    writeNameKeys,

    async insert(input: { registry_id: string; personal: PersonalFields; consent: Consent; consent_date: string | null; organization_id: string; address?: AddressFields | undefined }, now: number): Promise<number> {
      const [row] = await db('clients')
        .insert({ registry_id: input.registry_id, ...withKeys(input.personal), consent: input.consent, consent_date: input.consent_date, organization_id: input.organization_id, created_at: now, updated_at: now })
        .returning('id');
      const id = typeof row === 'object' ? (row as { id: number }).id : (row as number);
      if (input.address) await db('client_addresses').insert({ client_id: id, ...input.address, current: true });
      // A new client has no AKA and no keys yet: its own name's keys, without reading it back.
      const keys = keysOf([input.personal]);
      if (keys.size) await db('client_name_keys').insert([...keys].map((key) => ({ key, client_id: id })));
      return id;
    },

    async updatePersonal(id: number, personal: PersonalFields, now: number): Promise<void> {
      await db('clients').where({ id }).update({ ...withKeys(personal), updated_at: now });
      await writeNameKeys(id);
    },

    async setConsent(id: number, consent: Consent, signedOn: string, organizationId: string, now: number): Promise<void> {
      await db('clients').where({ id }).update({ consent, consent_date: signedOn, updated_at: now });
      await db('client_consents').insert({ client_id: id, kind: consent, signed_on: signedOn, organization_id: organizationId, recorded_at: now });
    },

    async setOrganization(id: number, organizationId: string, now: number): Promise<void> {
      await db('clients').where({ id }).update({ organization_id: organizationId, updated_at: now });
    },

    async find(id: number): Promise<ClientRow | undefined> {
      return db('clients').where({ id }).first();
    },

    async findByRegistryId(registryId: string): Promise<ClientRow | undefined> {
      return db('clients').where({ registry_id: registryId }).first();
    },

    /**
     * The next registry id, inside the transaction that creates the client. On PostgreSQL two such
     * transactions run side by side and would both read the same highest id (the unique index then
     * fails one: a 500 under load), so they take turns from here to their commit through a
     * transaction-scoped advisory lock; SQLite runs one writer at a time anyway. The turn covers only
     * transactions that create a client; gaps never appear.
     */
    async nextRegistryId(): Promise<string> {
      if (!isSqlite(db)) await db.raw('select pg_advisory_xact_lock(?)', [registryIdLock]);
      const row = (await db('clients').max({ max: 'registry_id' }).first()) as { max: string | null } | undefined;
      return String(Number(row?.max ?? '1000000000') + 1).padStart(10, '0');
    },

    /** Quick search: last name, first name and date of birth, exactly (folded). */
    async quick(input: { lastKey: string; firstKey: string; birthDate: string }, withdrawnToo: boolean): Promise<ClientSummary[]> {
      const q = db('clients as c')
        .leftJoin('client_addresses as a', function () {
          this.on('a.client_id', 'c.id').andOn('a.current', db.raw('?', [true]));
        })
        .where({ 'c.last_key': input.lastKey, 'c.first_key': input.firstKey, 'c.birth_date': input.birthDate })
        .select([...summaryColumns, 'a.zip'])
        .orderBy('c.id')
        .limit(limit);
      if (!withdrawnToo) q.whereNot('c.consent', 'withdrawn');
      return q;
    },

    /** Basic search: any of the fields; names match from their start ("Smi" finds Smith). */
    async basic(criteria: BasicCriteria, withdrawnToo: boolean): Promise<ClientSummary[]> {
      const q = db('clients as c')
        .leftJoin('client_addresses as a', function () {
          this.on('a.client_id', 'c.id').andOn('a.current', db.raw('?', [true]));
        })
        .select([...summaryColumns, 'a.zip'])
        .orderBy(['c.last_key', 'c.first_key', 'c.birth_date'])
        .limit(limit);
      if (criteria.lastName) startsWith(q, 'c.last_key', nameKey(criteria.lastName));
      if (criteria.firstName) startsWith(q, 'c.first_key', nameKey(criteria.firstName));
      if (criteria.middleName) q.whereRaw('lower(c.middle_name) like ?', [`${criteria.middleName.toLowerCase().replace(/[%_\\]/g, '')}%`]);
      if (criteria.birthDate) q.where('c.birth_date', criteria.birthDate);
      if (criteria.sex) q.where('c.sex', criteria.sex);
      if (criteria.motherMaidenName) q.whereRaw('lower(c.mother_maiden_name) = ?', [criteria.motherMaidenName.toLowerCase()]);
      if (criteria.phone) q.where('c.phone', criteria.phone);
      if (criteria.zip) q.where('a.zip', criteria.zip);
      if (criteria.registryId) q.where('c.registry_id', criteria.registryId);
      if (!withdrawnToo) q.whereNot('c.consent', 'withdrawn');
      return q;
    },

    /**
     * Smart search's candidates: a similar name (phonetic keys) or a plausible date of birth. The
     * ids come from two index lookups joined by UNION: PostgreSQL cannot serve `id IN (…) OR
     * birth_date IN (…)` with an index and read all the clients (SQLite could, as a MULTI-INDEX OR).
     */
    async candidates(input: { keys: string[]; birthDates: string[] }, withdrawnToo: boolean): Promise<(ClientSummary & { last_key: string; first_key: string })[]> {
      const lookups = [
        ...(input.keys.length ? [db('client_name_keys').whereIn('key', input.keys).select('client_id as id')] : []),
        ...(input.birthDates.length ? [db('clients').whereIn('birth_date', input.birthDates).select('id')] : []),
      ];
      const q = db('clients as c')
        .leftJoin('client_addresses as a', function () {
          this.on('a.client_id', 'c.id').andOn('a.current', db.raw('?', [true]));
        })
        .select([...summaryColumns, 'a.zip', 'c.last_key', 'c.first_key'])
        .limit(2_000);
      if (lookups.length) q.whereIn('c.id', lookups.length === 1 ? lookups[0]! : db.union(lookups));
      if (!withdrawnToo) q.whereNot('c.consent', 'withdrawn');
      return q;
    },

    /** The other names of many clients at once (smart search scores them too). */
    async akasOf(clientIds: number[]): Promise<{ client_id: number; first_name: string; last_name: string }[]> {
      if (!clientIds.length) return [];
      return db('client_akas').whereIn('client_id', clientIds).select('client_id', 'first_name', 'last_name');
    },

    async akas(clientId: number) {
      return db('client_akas').where({ client_id: clientId }).orderBy('id').select('id', 'first_name', 'middle_name', 'last_name');
    },
    async addAka(clientId: number, aka: { first_name: string; middle_name: string | null; last_name: string }): Promise<void> {
      await db('client_akas').insert({ client_id: clientId, ...aka });
      await writeNameKeys(clientId);
    },
    async removeAka(clientId: number, akaId: number): Promise<number> {
      const removed = await db('client_akas').where({ id: akaId, client_id: clientId }).delete();
      await writeNameKeys(clientId);
      return removed;
    },

    async addresses(clientId: number) {
      return db('client_addresses').where({ client_id: clientId }).orderBy([{ column: 'current', order: 'desc' }, { column: 'id', order: 'desc' }]).select('*');
    },
    /** A new current address; the previous ones stay on file as former addresses. */
    async setAddress(clientId: number, address: AddressFields): Promise<void> {
      await db('client_addresses').where({ client_id: clientId }).update({ current: false });
      await db('client_addresses').insert({ client_id: clientId, ...address, current: true });
    },

    async responsiblePersons(clientId: number) {
      return db('responsible_persons').where({ client_id: clientId }).orderBy('id').select('*');
    },
    async addResponsiblePerson(clientId: number, person: { first_name: string; last_name: string; relationship: string; phone: string | null }): Promise<void> {
      await db('responsible_persons').insert({ client_id: clientId, ...person });
    },

    async comments(clientId: number) {
      return db('client_comments').where({ client_id: clientId }).orderBy('applies_on', 'desc').select('*');
    },
    async addComment(clientId: number, comment: { code: string; text: string | null; applies_on: string; organization_id: string }): Promise<void> {
      await db('client_comments').insert({ client_id: clientId, ...comment });
    },

    async notes(clientId: number) {
      return db('client_notes').where({ client_id: clientId }).orderBy('created_at', 'desc').select('*');
    },
    async addNote(clientId: number, note: { text: string; author: string; organization_id: string }, now: number): Promise<void> {
      await db('client_notes').insert({ client_id: clientId, ...note, created_at: now });
    },

    async consents(clientId: number) {
      return db('client_consents').where({ client_id: clientId }).orderBy('recorded_at', 'desc').select('*');
    },
  };
}

export type ClientQueries = ReturnType<typeof createClientQueries>;
