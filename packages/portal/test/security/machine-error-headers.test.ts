import { startPortalWithApp, type PortalWithApp } from '../../src/testing/app-fixture.js';

/**
 * oidc-provider renders its errors as an HTML page (renderError) for a client that prefers HTML,
 * also on the machine paths, which skip the app's security headers for their JSON. Every HTML
 * answer carries them: a CSP with frame-ancestors 'none' (clickjacking), no referrer, nosniff.
 */
let p: PortalWithApp;
beforeAll(async () => {
  p = await startPortalWithApp();
});
afterAll(() => p?.close());

const html = { accept: 'text/html' };
const form = { ...html, 'content-type': 'application/x-www-form-urlencoded' };

test.each([
  ['POST /token', '/token', { method: 'POST', headers: form, body: 'grant_type=authorization_code&code=x' }],
  ['POST /token/introspection', '/token/introspection', { method: 'POST', headers: form, body: 'token=x' }],
  ['POST /token/revocation', '/token/revocation', { method: 'POST', headers: form, body: 'token=x' }],
  ['GET /me', '/me', { headers: { ...html, authorization: 'Bearer not-a-token' } }],
  ['POST /request (PAR)', '/request', { method: 'POST', headers: form, body: 'client_id=nobody' }],
  ['a refused address (NUL)', '/interaction/%00', { headers: html }],
] as const)('an HTML error page on %s carries the security headers', async (_name, path, init) => {
  const res = await fetch(`${p.t.url}${path}`, { redirect: 'manual', ...init });
  await res.text();
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.headers.get('content-type')).toContain('text/html');
  expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
});
