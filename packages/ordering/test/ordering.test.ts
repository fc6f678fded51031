import { textOf } from '@portal/portal/testing';
import { browse, csrfOf, onHand, peds, pedsOrg, pharm, pharmOrg, post, signIn, startOrderingSystem, stockLot, type OrderingSystem } from './ordering-fixture.js';

/** VAOS (issue #12 item 3): who may do what, orders through their states, inventory kept exact. */
let s: OrderingSystem;
beforeAll(async () => {
  s = await startOrderingSystem();
});
afterAll(async () => {
  await s?.close();
});

const mmr = '00006-4681-00'; // M-M-R II, 10 doses per package
const future = '2099-06-30';

async function counts() {
  const [orders, lots, movements] = await Promise.all(['orders', 'inventory_lots', 'inventory_movements'].map(async (t) => Number((await s.db(t).count({ n: '*' }).first())!.n)));
  return { orders, lots, movements };
}

test('a non-coordinator is refused at the portal, and VAOS keeps no session', async () => {
  const { page } = await signIn(s, 'pat');
  expect(page.status).toBe(403);
  expect(textOf(page.body)).toContain('VAOS is for Primary and Secondary Vaccine Coordinators');
  expect((await s.app.relyingParty.sessions.list()).some((x) => x.claims.preferred_username === 'pat')).toBe(false);
});

test('the library refuses an actor who is not a coordinator of the organization, whatever the portal said', async () => {
  const lot = await stockLot(s, pedsOrg, mmr, 'LIB-1', 10);
  const before = await counts();
  const notCoordinator = { sub: 'x', name: 'Pat', orgs: [{ id: 'o1', code: 'PEDS01', iis_id: peds, name: 'Hill Country Pediatrics', role: 'full_access_provider' as const, coordinator: null }] };
  await expect(s.app.inventory.reportWaste(notCoordinator, { lotId: lot, reason: 'expired', doses: 1 })).rejects.toMatchObject({ status: 403 });
  await expect(s.app.inventory.lots(notCoordinator, peds)).rejects.toMatchObject({ status: 403 });
  expect(await onHand(s, lot)).toBe(10);
  expect(await counts()).toEqual(before);
});

test('a coordinator of another organization posting for this one gets 403 and nothing changes', async () => {
  const lot = await stockLot(s, pedsOrg, mmr, 'OTHER-1', 10);
  const { agent, page } = await signIn(s, 'ben');
  expect(textOf(page.body)).toContain('Working for Gulf Coast Pharmacy');
  const csrf = csrfOf(page.body);
  const before = await counts();
  const order = await post(s, agent, '/orders', { org: peds, [`qty-${mmr}`]: '2' }, csrf);
  expect(order.status).toBe(403);
  expect(textOf(order.body)).toContain('Not a coordinator of this organization');
  const waste = await post(s, agent, '/waste', { lot: String(lot), reason: 'expired', doses: '1' }, csrf);
  expect(waste.status).toBe(403);
  // Another organization's order is not found, not shown.
  const [pedsOrder] = await s.db('orders').where({ org_iis_id: peds }).select('id');
  if (pedsOrder) expect((await agent.request(`${s.appUrl}/orders/${pedsOrder.id}`)).status).toBe(404);
  expect(await onHand(s, lot)).toBe(10);
  expect(await counts()).toEqual(before);
  // Without the CSRF token, nothing either.
  expect((await agent.request(`${s.appUrl}/orders`, { method: 'POST', form: { org: pharm, [`qty-${mmr}`]: '1' } })).status).toBe(403);
  expect(await counts()).toEqual(before);
});

test('order → DSHS approves and ships → coordinator receives → waste report: inventory follows, history records who and when', async () => {
  const carmen = await signIn(s, 'carmen');
  expect(textOf(carmen.page.body)).toContain('Welcome, Carmen Coordinator');
  const csrf = csrfOf(carmen.page.body);
  const placed = await post(s, carmen.agent, '/orders', { org: peds, [`qty-${mmr}`]: '2', 'qty-00006-4119-01': '1' }, csrf);
  expect(placed.status).toBe(303);
  const orderPath = new URL(placed.location!).pathname;
  const id = orderPath.split('/').pop()!;
  let page = await browse(carmen.agent, placed.location!);
  expect(textOf(page.body)).toContain('Your order was submitted.');
  expect(textOf(page.body)).toContain('Submitted');

  // The coordinator cannot approve their own order.
  expect((await post(s, carmen.agent, `${orderPath}/status`, { to: 'approved' }, csrf)).status).toBe(403);

  const dana = await signIn(s, 'dana');
  const danaCsrf = csrfOf(dana.page.body);
  const queue = await dana.agent.request(`${s.appUrl}/approvals`);
  expect(textOf(queue.body)).toContain(`Order ${id}`);
  expect((await post(s, dana.agent, `${orderPath}/status`, { to: 'approved', comment: 'Within allocation' }, danaCsrf)).status).toBe(303);
  expect((await post(s, dana.agent, `${orderPath}/status`, { to: 'shipped' }, danaCsrf)).status).toBe(303);
  // DSHS staff do not receive another organization's shipment.
  expect((await post(s, dana.agent, `${orderPath}/receive`, { 'lot-1': 'X' }, danaCsrf)).status).toBe(403);

  page = await carmen.agent.request(`${s.appUrl}${orderPath}`);
  expect(textOf(page.body)).toContain('Receive the shipment');
  const lineIds = [...page.body.matchAll(/name="lot-(\d+)"/g)].map((m) => m[1]!);
  expect(lineIds).toHaveLength(2);
  const form: Record<string, string> = {};
  lineIds.forEach((line, i) => Object.assign(form, { [`lot-${line}`]: `RCV-${i}`, [`expiry-${line}`]: future }));
  const received = await post(s, carmen.agent, `${orderPath}/receive`, form, csrf);
  expect(received.status).toBe(303);
  const lots = await s.db('inventory_lots').where({ org_iis_id: peds }).whereIn('lot', ['RCV-0', 'RCV-1']).orderBy('ndc').select('id', 'ndc', 'lot', 'on_hand');
  expect(lots.map((l) => [l.ndc, Number(l.on_hand)])).toEqual([['00006-4119-01', 10], [mmr, 20]]);
  const mmrLot = lots[1]!;

  page = await carmen.agent.request(`${s.appUrl}${orderPath}`);
  const history = textOf(page.body);
  for (const step of ['Submitted by Carmen Coordinator', 'Approved by Dana DSHS', 'Within allocation', 'Shipped by Dana DSHS', 'Received by Carmen Coordinator']) expect(history).toContain(step);
  expect((await s.db('order_events').where({ order_id: Number(id) }).select('to_status')).map((e) => e.to_status)).toEqual(['submitted', 'approved', 'shipped', 'received']);

  // Receiving twice adds nothing.
  expect((await post(s, carmen.agent, `${orderPath}/receive`, form, csrf)).status).toBe(409);
  expect(await onHand(s, mmrLot.id)).toBe(20);

  const wasted = await post(s, carmen.agent, '/waste', { lot: String(mmrLot.id), reason: 'broken_vial', doses: '3' }, csrf);
  expect(wasted.status).toBe(303);
  expect(await onHand(s, mmrLot.id)).toBe(17);
  const inventory = textOf((await carmen.agent.request(`${s.appUrl}/inventory`)).body);
  expect(inventory).toContain(`${mmrLot.lot} Jun 30, 2099 17`); // the expiry in the reader's way of writing dates
  const movements = await s.db('inventory_movements').where({ lot_id: mmrLot.id }).orderBy('id').select('kind', 'doses', 'reason');
  expect(movements.map((m) => [m.kind, Number(m.doses), m.reason])).toEqual([['received', 20, null], ['wasted', -3, 'broken_vial']]);
  const actions = (await s.db('ordering_audit').where({ order_id: Number(id) }).select('action')).map((a) => a.action);
  expect(actions).toEqual(expect.arrayContaining(['order.submitted', 'order.approved', 'order.shipped', 'order.received', 'inventory.received']));
});

test('invalid status transitions are refused and change nothing', async () => {
  const carmen = await signIn(s, 'carmen');
  const dana = await signIn(s, 'dana');
  const csrf = csrfOf(carmen.page.body);
  const danaCsrf = csrfOf(dana.page.body);
  const placed = await post(s, carmen.agent, '/orders', { org: peds, [`qty-${mmr}`]: '1' }, csrf);
  const path = new URL(placed.location!).pathname;
  const id = Number(path.split('/').pop());
  const status = async () => (await s.db('orders').where({ id }).first('status')).status;

  expect((await post(s, dana.agent, `${path}/status`, { to: 'shipped' }, danaCsrf)).status).toBe(409); // not approved yet
  expect((await post(s, carmen.agent, `${path}/receive`, { 'lot-1': 'A', 'expiry-1': future }, csrf)).status).toBe(409); // not shipped
  expect(await status()).toBe('submitted');
  expect((await post(s, dana.agent, `${path}/status`, { to: 'approved' }, danaCsrf)).status).toBe(303);
  expect((await post(s, dana.agent, `${path}/status`, { to: 'approved' }, danaCsrf)).status).toBe(409); // twice
  expect((await post(s, dana.agent, `${path}/status`, { to: 'rejected' }, danaCsrf)).status).toBe(409);
  expect((await post(s, carmen.agent, `${path}/status`, { to: 'cancelled' }, csrf)).status).toBe(409); // too late to cancel
  const bogus = await post(s, dana.agent, `${path}/status`, { to: 'received' }, danaCsrf);
  expect(bogus.status).toBe(400);
  expect(textOf(bogus.body)).toContain('Choose what to do with the order.');
  expect(await status()).toBe('approved');
  expect((await s.db('order_events').where({ order_id: id }).select('to_status')).map((e) => e.to_status)).toEqual(['submitted', 'approved']);
  // Two approvals at once of a new order: the compare-and-set lets exactly one through.
  const second = await post(s, carmen.agent, '/orders', { org: peds, [`qty-${mmr}`]: '1' }, csrf);
  const secondPath = new URL(second.location!).pathname;
  const answers = await Promise.all([1, 2, 3, 4].map(() => post(s, dana.agent, `${secondPath}/status`, { to: 'approved' }, danaCsrf)));
  expect(answers.map((a) => a.status).sort()).toEqual([303, 409, 409, 409]);
});

test('50 parallel waste reports of 1 dose against a lot of 30: exactly 30 succeed, 20 are refused clearly, on hand 0', async () => {
  const lot = await stockLot(s, pharmOrg, mmr, 'RACE-50', 30);
  const { agent, page } = await signIn(s, 'ben');
  const csrf = csrfOf(page.body);
  const answers = await Promise.all(Array.from({ length: 50 }, () => post(s, agent, '/waste', { lot: String(lot), reason: 'drawn_not_administered', doses: '1' }, csrf)));
  const ok = answers.filter((a) => a.status === 303);
  const refused = answers.filter((a) => a.status === 400);
  expect(ok).toHaveLength(30);
  expect(refused).toHaveLength(20);
  for (const r of refused) expect(textOf(r.body)).toContain('Lot RACE-50 has only 0 doses on hand: you cannot take off 1.');
  expect(await onHand(s, lot)).toBe(0);
  const movements = await s.db('inventory_movements').where({ lot_id: lot }).select('doses');
  expect(movements).toHaveLength(30);
  expect(movements.reduce((sum, m) => sum + Number(m.doses), 0)).toBe(-30);
});

test('negative, fractional, non-numeric, zero and huge quantities are refused with a message per field, nothing written', async () => {
  const lot = await stockLot(s, pharmOrg, mmr, 'INPUT-1', 10);
  const { agent, page } = await signIn(s, 'ben');
  const csrf = csrfOf(page.body);
  const before = await counts();
  const order = await post(s, agent, '/orders', { org: pharm, [`qty-${mmr}`]: '-3', 'qty-00006-4119-01': '2.5', 'qty-49281-0286-01': 'ten', 'qty-00006-4826-00': '1000', 'qty-00006-4047-01': '0', 'qty-00005-1971-01': '1e9' }, csrf);
  expect(order.status).toBe(400);
  const text = textOf(order.body);
  expect(order.body).toContain('<title>Error: New order');
  expect(text).toContain('The number of packages cannot be negative');
  expect(text).toContain('The number of packages must be a whole number of packages, without fractions.');
  expect(text).toContain('Enter the number of packages as digits, like 5.');
  expect(text).toContain('The number of packages can be at most 999 packages.');
  expect(text).toContain('The number of packages must be at least 1.');
  expect(order.body).toContain(`id="qty-${mmr}" name="qty-${mmr}"`);
  expect(order.body).toMatch(new RegExp(`id="qty-${mmr}"[^>]*aria-invalid="true" aria-describedby="qty-${mmr}-error`));
  expect(order.body).toContain('class="error-summary"');
  expect(textOf((await post(s, agent, '/orders', { org: pharm }, csrf)).body)).toContain('Enter the number of packages for at least one vaccine.');

  for (const [doses, message] of [['-1', 'The number of doses cannot be negative'], ['1.5', 'without fractions'], ['abc', 'as digits'], ['', 'Enter the number of doses.'], ['99999999999', 'at most 10,000 doses'], ['11', 'Lot INPUT-1 has only 10 doses on hand']] as const) {
    const res = await post(s, agent, '/waste', { lot: String(lot), reason: 'expired', doses }, csrf);
    expect([doses, res.status]).toEqual([doses, 400]);
    expect(textOf(res.body)).toContain(message);
    expect(res.body).toContain('<title>Error: Report wasted doses');
  }
  expect(textOf((await post(s, agent, '/waste', { lot: String(lot), reason: 'lost', doses: '1' }, csrf)).body)).toContain('Choose why the doses were wasted.');
  expect(await onHand(s, lot)).toBe(10);
  expect(await counts()).toEqual(before);
});

test('recordAdministered (for the registry) takes doses by NDC or CVX and lot, never below zero', async () => {
  const lot = await stockLot(s, pedsOrg, mmr, 'ADM-1', 5);
  expect(await s.app.inventory.recordAdministered(peds, '03', 'ADM-1', 2)).toEqual({ lotId: lot, onHand: 3 });
  expect(await s.app.inventory.recordAdministered(peds, mmr, 'ADM-1', 3)).toEqual({ lotId: lot, onHand: 0 });
  await expect(s.app.inventory.recordAdministered(peds, mmr, 'ADM-1', 1)).rejects.toMatchObject({ fields: { doses: expect.stringContaining('has only 0 doses') } });
  await expect(s.app.inventory.recordAdministered(pharm, mmr, 'ADM-1', 1)).rejects.toMatchObject({ status: 404 }); // another organization's lot
  await expect(s.app.inventory.recordAdministered(peds, mmr, 'ADM-1', 1.5)).rejects.toMatchObject({ fields: { doses: expect.any(String) } });
  expect(await onHand(s, lot)).toBe(0);
});

test('a coordinator of two organizations chooses one; only their own can be chosen', async () => {
  const { agent, page } = await signIn(s, 'sam');
  expect(page.url).toBe(`${s.appUrl}/choose`);
  const csrf = csrfOf(page.body);
  expect((await post(s, agent, '/choose', { org: '1000000000' }, csrf)).status).toBe(400);
  const chosen = await post(s, agent, '/choose', { org: pharm }, csrf);
  expect(chosen.status).toBe(303);
  const home = await agent.request(`${s.appUrl}/`);
  expect(textOf(home.body)).toContain('Working for Gulf Coast Pharmacy (PHARM02) as Secondary Vaccine Coordinator');
  expect(home.body).toContain('/static/ordering/ordering.css');
  const catalogue = textOf((await agent.request(`${s.appUrl}/catalogue`)).body);
  expect(catalogue).toContain('M-M-R II');
  expect(catalogue).toContain('00006-4681-00');
});

test('a coordinator reading in Spanish sees VAOS in Spanish, its form errors too, and the vaccines as the catalogue names them', async () => {
  const { agent } = await signIn(s, 'carmen');
  const home = await agent.request(`${s.appUrl}/?lang=es`);
  expect(home.body).toContain('<html lang="es">');
  const text = textOf(home.body);
  for (const words of ['Bienvenido, Carmen Coordinator. Usted es Coordinador principal de vacunas de Hill Country Pediatrics', 'Inventario', 'Pedidos recientes', 'Hacer un pedido', 'Informar dosis desperdiciadas']) expect(text).toContain(words);
  for (const words of ['Welcome', 'Recent orders', 'Place an order', 'Report wasted doses']) expect(text).not.toContain(words);
  // The language is remembered (the app's cookie): the next page and a refused form are in Spanish.
  const csrf = csrfOf(home.body);
  const refused = await post(s, agent, '/orders', { org: peds, [`qty-${mmr}`]: '-3' }, csrf);
  expect(refused.status).toBe(400);
  expect(refused.body).toContain('<title>Error: Nuevo pedido');
  expect(textOf(refused.body)).toContain('Revise el formulario');
  expect(textOf(refused.body)).toContain('El número de paquetes no puede ser negativo: ingrese un número de paquetes de 1 a 999.');
  expect(textOf(refused.body)).toContain('M-M-R II — MMR');
  await stockLot(s, pedsOrg, mmr, 'ES-1', 10);
  expect(textOf((await agent.request(`${s.appUrl}/inventory`)).body)).toContain('ES-1 31 dic 2099 10');
});
