import type { Express } from 'express';
import { textOf } from '@portal/portal/testing';
import { enterWorkspace, startRegistrySystem, type RegistrySystem } from './registry-fixture.js';

/**
 * Each role sees and can do exactly its functions (seed 000), checked on the server: every POST
 * route of the app is found by walking its routers, so a route added later is covered too.
 */
let s: RegistrySystem;
beforeAll(async () => {
  s = await startRegistrySystem();
});
afterAll(async () => {
  await s?.close();
});

// POSTs every role may make (the journey, search, schools, sign-out and the idle warning's keepalive).
const everyones = [/^\/statement$/, /^\/landing$/, /^\/pandemic$/, /^\/clients\/search$/, /^\/schools\//, /^\/logout$/, /^\/session\//, /^\/backchannel-logout$/];

function postRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }[]) => {
    for (const layer of stack) {
      if (layer.route?.methods.post) found.push(layer.route.path);
      else if (layer.handle?.stack) walk(layer.handle.stack as never);
    }
  };
  walk((app as unknown as { router: { stack: never[] } }).router.stack);
  return [...new Set(found)];
}

/** Every table's rows, except the trail of what was tried and the sessions themselves. */
async function snapshot(): Promise<string> {
  const tables = ['clients', 'client_akas', 'client_addresses', 'responsible_persons', 'client_comments', 'client_notes', 'client_consents', 'immunizations', 'client_name_keys', 'school_lists', 'school_list_students', 'school_reports', 'organizations', 'statement_agreements'];
  const out: Record<string, unknown[]> = {};
  for (const t of tables) out[t] = await s.db(t).select('*').orderByRaw('1');
  return JSON.stringify(out);
}

const john = '0000000101';

test('a View Only POST to every write route gets 403 and changes nothing', async () => {
  const { agent, csrf } = await enterWorkspace(s, 'val');
  const dose = (await s.db('immunizations').join('clients', 'clients.id', 'immunizations.client_id').where('clients.registry_id', john).first('immunizations.id')).id as number;
  const routes = postRoutes(s.app);
  const writes = routes.filter((r) => !everyones.some((e) => e.test(r)));
  expect(writes).toEqual(expect.arrayContaining(["/clients/new", "/clients/:registryId/immunizations/new", "/clients/:registryId/immunizations/:id/edit", "/clients/:registryId/immunizations/:id/delete", "/clients/:registryId/demographics/:tab"]));
  const before = await snapshot();
  for (const route of writes) {
    const path = route.replace(':registryId', john).replace(':id', String(dose)).replace(':tab', 'personal').replace(/:[a-zA-Z]+/g, '1');
    const res = await agent.request(`${s.appUrl}${path}`, { form: { csrf, firstName: 'Mallory', lastName: 'Smith', birthDate: '01/01/2015', sex: 'F', cvx: '03', givenOn: '01/01/2020', historical: '0' } });
    // The HL7 endpoint takes no session at all, only a bearer token (docs/hl7.md): 401.
    expect([path, res.status]).toEqual([path, path.startsWith('/hl7/') ? 401 : 403]);
  }
  for (const tab of ['consent', 'aka', 'organization', 'address', 'responsible', 'comments', 'notes']) {
    const res = await agent.request(`${s.appUrl}/clients/${john}/demographics/${tab}`, { form: { csrf, text: 'x', consent: 'withdrawn', signedOn: '01/01/2020' } });
    expect([tab, res.status]).toEqual([tab, 403]);
  }
  expect(await snapshot()).toBe(before);
});

test('View Only sees the record and search, but no add, edit or delete, and no reports or user management in the menu', async () => {
  const { agent } = await enterWorkspace(s, 'val');
  const record = await agent.request(`${s.appUrl}/clients/${john}`);
  expect(record.status).toBe(200);
  const text = textOf(record.body);
  expect(text).toContain('Client immunizations');
  expect(text).toContain('Official Immunization Record');
  expect(text).not.toContain('Add new immunization');
  expect(record.body).not.toContain('/delete');
  expect(text).not.toContain('Manage users');
  expect(text).not.toContain('Recall and reminder');
  for (const page of ['/clients/new', `/clients/${john}/immunizations/new`]) expect((await agent.request(`${s.appUrl}${page}`)).status).toBe(403);
});

test.each([
  ['pat', ['Client search', 'Add client', 'Reports', 'Recall and reminder'], ['Manage users', 'Organizations']],
  ['sam', ['Client search', 'Add client', 'Manage users'], ['Organizations']],
  ['rosa', ['Client search', 'Add client', 'Manage users', 'Organizations'], []],
  ['steve', ['Client search', 'Add client', 'Manage users', 'Organizations', 'Recall and reminder'], []],
] as const)('%s sees the functions of the role and no others', async (who, shown, hidden) => {
  const { home } = await enterWorkspace(s, who, who === 'sam' ? 'PEDS01' : undefined);
  const menu = textOf(/<nav class="menu-panel"[\s\S]*?<\/nav>/.exec(home.body)![0]);
  for (const item of shown) expect(menu).toContain(item);
  for (const item of hidden) expect(menu).not.toContain(item);
});

test('a withdrawn client\u2019s record is shown only to Full Access State', async () => {
  const withdrawn = '0000000104';
  const pat = await enterWorkspace(s, 'pat');
  const refused = await pat.agent.request(`${s.appUrl}/clients/${withdrawn}`);
  expect(refused.status).toBe(404);
  expect(textOf(refused.body)).not.toContain('Wendy');
  const steve = await enterWorkspace(s, 'steve');
  const shown = await steve.agent.request(`${s.appUrl}/clients/${withdrawn}`);
  expect(shown.status).toBe(200);
  expect(textOf(shown.body)).toContain('Consent withdrawn');
});
