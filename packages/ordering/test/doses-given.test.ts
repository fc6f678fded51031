import { readFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { migrateRpKit } from '@portal/rp-kit';
import { createAppHosts, startTestPortal, type TestPortal } from '@portal/portal/testing';
import { createApp as createRegistry, prepareRegistry } from '@portal/registry';
import { createApp as createOrdering } from '../src/app.js';
import { prepareOrdering } from '../src/prepare.js';

/**
 * Doses given reach VAOS's inventory (issue 12), nothing stood in: the real portal issues the HL7
 * sender's token and the registry's own client_credentials token; a VXU accepted by ImmTrac2 takes
 * its dose off the organization's lot in VAOS, the same message again takes nothing more, its
 * deletion (RXA-21 D) puts the dose back, a lot VAOS does not hold changes no stock, and doses
 * recorded while VAOS is down arrive once it is back. The messages are ONC 2015 IZ-AD 3 and 4.
 */
const iis = '1000000001';
const samples = new URL('../../../../shared/testdata/iis/samples/', import.meta.url);
const added = readFileSync(new URL('onc2015-iz-ad-3-child-no-consent.hl7', samples));
const deleted = readFileSync(new URL('onc2015-iz-ad-4-child-deleted.hl7', samples));
const ndc = '58160-0830-05'; // CERVARIX, lot 795441 in both messages

let t: TestPortal;
let registryUrl: string;
let orderingUrl: string;
let registry: ReturnType<typeof createRegistry>;
let ordering: ReturnType<typeof createOrdering>;
let sender: { client_id: string; client_secret: string };
let registryClient: { client_id: string; client_secret: string };
let vaosDown = false;
let lotId: number;

const hosts = createAppHosts({ prepare: migrateRpKit });
const listen = () => hosts.listen();
const appDb = () => hosts.database();

beforeAll(async () => {
  const r = await listen();
  const o = await listen();
  registryUrl = r.url;
  orderingUrl = o.url;
  t = await startTestPortal({ env: { REGISTRY_URL: registryUrl, ORDERING_URL: orderingUrl } });
  await t.directory.createOrg({ code: 'PEDS01', iisId: iis, name: 'Hill Country Pediatrics' });
  // As the demo data registers ImmTrac2: it signs people in, and as itself feeds VAOS.
  const immtrac = await t.directory.createClient({
    clientId: 'registry', name: 'ImmTrac2', app: 'registry', grants: ['authorization_code', 'client_credentials'], scopes: ['org:members', 'inventory:administered'],
    redirectUris: [`${registryUrl}/callback`], postLogoutRedirectUris: [`${registryUrl}/`],
  });
  registryClient = { client_id: 'registry', client_secret: immtrac.client_secret! };
  const vaos = await t.directory.createClient({ clientId: 'ordering', name: 'VAOS', app: 'ordering', redirectUris: [`${orderingUrl}/callback`], postLogoutRedirectUris: [`${orderingUrl}/`] });
  const ehr = await t.directory.createClient({ name: 'West Clinic EHR', grants: ['client_credentials'], scopes: ['hl7:submit'], orgIisId: iis });
  sender = { client_id: ehr.client_id, client_secret: ehr.client_secret! };

  const orderingDb = await appDb();
  await prepareOrdering(orderingDb, { demoData: false });
  // An operator adds a product to the catalogue through the database (data/catalogue.ts).
  await orderingDb('catalogue').insert({ ndc, cvx: '118', vaccine: 'HPV, bivalent', trade_name: 'CERVARIX', manufacturer: 'GlaxoSmithKline', doses_per_package: 10, orderable: false });
  await orderingDb('organizations').insert({ iis_id: iis, code: 'PEDS01', name: 'Hill Country Pediatrics' });
  const [row] = await orderingDb('inventory_lots').insert({ org_iis_id: iis, ndc, lot: '795441', expires_on: '2099-12-31', on_hand: 10 }).returning('id');
  lotId = Number(typeof row === 'object' ? (row as { id: number }).id : row);
  ordering = createOrdering({ issuerUrl: t.url, clientId: 'ordering', clientSecret: vaos.client_secret!, baseUrl: orderingUrl, db: orderingDb, log: () => {} });
  const vaosHandler: RequestListener = (req, res) => {
    if (!vaosDown) return ordering(req, res);
    res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '5' }).end('down for maintenance');
  };
  o.server.on('request', vaosHandler);

  const registryDb = await appDb();
  await prepareRegistry(registryDb, { demoData: false });
  registry = createRegistry({
    issuerUrl: t.url, clientId: 'registry', clientSecret: immtrac.client_secret!, baseUrl: registryUrl, db: registryDb, log: () => {},
    // The timer is left to the test (flush), so nothing arrives behind its back.
    inventoryFeed: { url: `${orderingUrl}/api/v1/administrations`, resource: t.config.inventoryResource, intervalMs: 3_600_000 },
  });
  r.server.on('request', registry);
}, 60_000);

afterAll(async () => {
  await registry?.inventoryFeed?.stop();
  await hosts.closeServers();
  await t?.close();
  await hosts.dropDatabases();
});

async function token(client: { client_id: string; client_secret: string }, scope: string, resource: string): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(`${t.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

async function submit(message: Buffer): Promise<string> {
  const got = await token(sender, 'hl7:submit', t.config.hl7Resource);
  const res = await fetch(`${registryUrl}/hl7/v2/vxu`, { method: 'POST', headers: { 'content-type': 'x-application/hl7-v2+er7', authorization: `Bearer ${got.body.access_token}` }, body: new Uint8Array(message) });
  const ack = await res.text();
  return /MSA\|([A-Z]{2})/.exec(ack)![1]!;
}

const onHand = async () => Number((await ordering.db('inventory_lots').where({ id: lotId }).first('on_hand')).on_hand);
const feed = () => registry.db('inventory_feed').orderBy('id').select('kind', 'vaccine', 'lot', 'outcome');

function administrations(bearer: string | null, body: unknown, contentType = 'application/json') {
  return fetch(`${orderingUrl}/api/v1/administrations`, {
    method: 'POST',
    headers: { 'content-type': contentType, accept: 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('from an HL7 message in ImmTrac2 to the lot in VAOS', () => {
  test('a dose given takes one dose off its lot; the same message again takes nothing more', async () => {
    expect(await submit(added)).toBe('AA');
    expect(await registry.inventoryFeed!.flush()).toBe(1);
    expect(await onHand()).toBe(9);
    expect(await feed()).toEqual([{ kind: 'given', vaccine: ndc, lot: '795441', outcome: 'applied' }]);

    expect(await submit(added)).toBe('AA'); // the same control id: answered as before, nothing recorded
    expect(await registry.inventoryFeed!.flush()).toBe(0);
    expect(await onHand()).toBe(9);
    const movements = await ordering.db('inventory_movements').where({ lot_id: lotId }).select('kind', 'doses');
    expect(movements).toEqual([{ kind: 'administered', doses: -1 }]); // movements are signed: taken off
  });

  test('deleting the dose in the registry puts it back; a delivery repeated by the registry changes nothing', async () => {
    expect(await submit(deleted)).toBe('AA');
    expect(await registry.inventoryFeed!.flush()).toBe(1);
    expect(await onHand()).toBe(10);
    expect((await feed()).at(-1)).toEqual({ kind: 'reversed', vaccine: ndc, lot: '795441', outcome: 'reversed' });

    // At least once: a batch whose answer was lost is sent again, and VAOS answers what it did.
    await registry.db('inventory_feed').update({ delivered_at: null, outcome: null });
    expect(await registry.inventoryFeed!.flush()).toBe(2);
    expect(await onHand()).toBe(10);
    expect((await feed()).map((r) => r.outcome)).toEqual(['applied', 'reversed']);
  });

  test('doses recorded while VAOS is down wait in the registry and arrive once it is back', async () => {
    vaosDown = true;
    const message = added.toString('utf8').replace('|77732|', '|77733|').replace('5237^wcEHR|31309^wcEHR', '5238^wcEHR|31310^wcEHR');
    expect(await submit(Buffer.from(message, 'utf8'))).toBe('AA');
    expect(await registry.inventoryFeed!.flush()).toBe(0);
    expect((await feed()).at(-1)).toMatchObject({ kind: 'given', outcome: null });
    expect(await onHand()).toBe(10);
    vaosDown = false;
    expect(await registry.inventoryFeed!.flush()).toBe(1);
    expect(await onHand()).toBe(9);
  });

  test('the same dose sent again with a lot VAOS does not hold is a correction: the old lot gets its dose back, the new lot is recorded as unmatched', async () => {
    // Another order id, the same child, vaccine and date: the registry takes it as the dose corrected.
    const message = added.toString('utf8').replace('|77732|', '|77734|').replace('5237^wcEHR|31309^wcEHR', '5239^wcEHR|31311^wcEHR').replace('|795441|', '|NOT-OURS-1|');
    expect(await submit(Buffer.from(message, 'utf8'))).toBe('AA');
    expect(await registry.inventoryFeed!.flush()).toBe(2);
    expect((await feed()).slice(-2)).toEqual([
      { kind: 'reversed', vaccine: ndc, lot: '795441', outcome: 'reversed' },
      { kind: 'given', vaccine: ndc, lot: 'NOT-OURS-1', outcome: 'unmatched' },
    ]);
    expect(await onHand()).toBe(10);
  });

  test('a new dose from a lot VAOS does not hold changes no stock', async () => {
    const message = added.toString('utf8').replace('|77732|', '|77735|').replace('5237^wcEHR|31309^wcEHR', '5240^wcEHR|31312^wcEHR').replace('|20150624||58160', '|20150601||58160').replace('|795441|', '|NOT-OURS-2|');
    expect(await submit(Buffer.from(message, 'utf8'))).toBe('AA');
    expect(await registry.inventoryFeed!.flush()).toBe(1);
    expect((await feed()).at(-1)).toEqual({ kind: 'given', vaccine: ndc, lot: 'NOT-OURS-2', outcome: 'unmatched' });
    expect(await onHand()).toBe(10);
  });
});

describe("VAOS's inventory API, as another sender would meet it", () => {
  const event = { id: 'api-1', kind: 'given', immunization: '900001', iisId: iis, vaccine: '118', lot: '795441', doses: 1 };

  test('without a token, or with a token for another resource: 401 with a bearer challenge, nothing applied', async () => {
    const before = await onHand();
    const none = await administrations(null, { events: [event] });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const hl7 = await token(sender, 'hl7:submit', t.config.hl7Resource);
    const wrongAudience = await administrations(hl7.body.access_token!, { events: [event] });
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.headers.get('www-authenticate')).toContain('invalid_token');
    expect(await administrations('not-a-jwt', { events: [event] }).then((r) => r.status)).toBe(401);
    expect(await onHand()).toBe(before);
  });

  test('a client without inventory:administered cannot get a token for it', async () => {
    const got = await token(sender, 'inventory:administered', t.config.inventoryResource);
    expect(got.status).toBe(400);
    expect(got.body.error).toMatch(/invalid_scope|invalid_target/);
  });

  test('bad bodies are refused with 400 and a message, and change nothing', async () => {
    const { body } = await token(registryClient, 'inventory:administered', t.config.inventoryResource);
    const before = await onHand();
    for (const bad of [{}, { events: 'x' }, { events: [{ ...event, doses: -1 }] }, { events: [{ ...event, kind: 'stolen' }] }, { events: Array.from({ length: 501 }, (_, i) => ({ ...event, id: `many-${i}` })) }, '{"events": [', 'events=1']) {
      const res = await administrations(body.access_token!, bad, typeof bad === 'string' && bad.startsWith('events=') ? 'application/x-www-form-urlencoded' : 'application/json');
      expect({ bad: JSON.stringify(bad).slice(0, 60), refused: [400, 413, 415].includes(res.status) }).toEqual({ bad: JSON.stringify(bad).slice(0, 60), refused: true });
      expect(await res.text()).not.toMatch(/ at |node_modules|\/work\//);
    }
    expect(await onHand()).toBe(before);
    expect(Number((await ordering.db('administration_events').where('event_id', 'like', 'many-%').count({ n: '*' }).first())!.n)).toBe(0);
  });

  test('an event sent twice is applied once and answered alike', async () => {
    const { body } = await token(registryClient, 'inventory:administered', t.config.inventoryResource);
    const before = await onHand();
    const first = await administrations(body.access_token!, { events: [event] });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ results: [{ id: 'api-1', outcome: 'applied' }] });
    const again = await administrations(body.access_token!, { events: [event] });
    expect(await again.json()).toEqual({ results: [{ id: 'api-1', outcome: 'applied' }] });
    expect(await onHand()).toBe(before - 1);
  });
});
