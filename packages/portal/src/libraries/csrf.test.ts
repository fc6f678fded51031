import { createCsrf } from './csrf.js';

test('a token verifies only for its own binding and key', () => {
  const csrf = createCsrf('k'.repeat(43));
  const token = csrf.token('interaction:abc');
  expect(csrf.verify('interaction:abc', token)).toBe(true);
  expect(csrf.verify('interaction:abd', token)).toBe(false);
  expect(createCsrf('j'.repeat(43)).verify('interaction:abc', token)).toBe(false);
  expect(csrf.verify('interaction:abc', '')).toBe(false);
  expect(csrf.verify('interaction:abc', undefined)).toBe(false);
  expect(csrf.verify('interaction:abc', ['x'])).toBe(false);
});
