import { startPortalWithApp, type PortalWithApp } from '../../src/testing/app-fixture.js';

/**
 * POST at /auth and /session/end is answered with a 303 to the same endpoint as GET, the form in
 * the query. A form too large for that address (the fuzzer's find: a 14 KB form gave a Location
 * header the client could not read, and a browser following it would get a bare 431) is refused
 * with a clear 413 page instead; an ordinary one still gets its 303.
 */
let p: PortalWithApp;
beforeAll(async () => {
  p = await startPortalWithApp();
});
afterAll(() => p?.close());

const post = (path: string, body: string) =>
  fetch(`${p.t.url}${path}`, { method: 'POST', redirect: 'manual', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body });

test.each(['/auth', '/session/end'])('a form too large to redirect at %s is a 413 page, not an unreadable 303', async (path) => {
  // 15 KB that grows as it is re-encoded (each é is 6 characters in the query): under the body limit, over any address.
  const res = await post(path, `client_id=${p.clientId}&state=${'é'.repeat(2500)}`);
  const body = await res.text();
  expect(res.status).toBe(413);
  expect(res.headers.get('content-type')).toContain('text/html');
  expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(body).toContain('What you sent is too large.');
});

test('an ordinary POST at /auth still gets its 303 to the GET, parameters kept', async () => {
  const res = await post('/auth', `client_id=${p.clientId}&response_type=code&scope=openid&state=${'s'.repeat(2000)}`);
  expect(res.status).toBe(303);
  expect(new URL(res.headers.get('location')!, p.t.url).searchParams.get('state')).toBe('s'.repeat(2000));
});
