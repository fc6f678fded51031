import { allowFormActionOrigin } from './csp.js';

const csp = "default-src 'none';form-action 'self' http://localhost:3001;frame-ancestors 'none'";

test('adds the origin of a validated redirect URI to form-action, once', () => {
  expect(allowFormActionOrigin(csp, 'https://app.example/callback?x=1')).toBe("default-src 'none';form-action 'self' http://localhost:3001 https://app.example;frame-ancestors 'none'");
  expect(allowFormActionOrigin(csp, 'http://localhost:3001/callback')).toBe(csp);
  expect(allowFormActionOrigin(csp, 'not a url')).toBe(csp);
  expect(allowFormActionOrigin(csp, undefined)).toBe(csp);
});
