import { createTokenSeal } from './token-seal.js';

const secret = 'a-client-secret-of-at-least-32-characters';

test('a sealed token opens with the same secret, client and row, and not if anything differs or was altered', () => {
  const seal = createTokenSeal(secret, 'registry');
  const sealed = seal.seal('eyJ.the.token', 'row-1');
  expect(sealed).toMatch(/^v1\.[\w-]+$/);
  expect(sealed).not.toContain('the.token');
  expect(seal.seal('eyJ.the.token', 'row-1')).not.toBe(sealed); // a fresh IV every time
  expect(seal.open(sealed, 'row-1')).toBe('eyJ.the.token');
  expect(createTokenSeal(secret, 'registry').open(sealed, 'row-1')).toBe('eyJ.the.token'); // another instance, same key

  expect(seal.open(sealed, 'row-2')).toBeUndefined();
  expect(createTokenSeal(`${secret}!`, 'registry').open(sealed, 'row-1')).toBeUndefined();
  expect(createTokenSeal(secret, 'ordering').open(sealed, 'row-1')).toBeUndefined();
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  raw[20] = raw[20]! ^ 1;
  expect(seal.open(`v1.${raw.toString('base64url')}`, 'row-1')).toBeUndefined();
  for (const junk of ['', 'v1.', 'v2.abc', 'v1.short', sealed.replace('v1.', 'v0.')]) expect(seal.open(junk, 'row-1')).toBeUndefined();
});
