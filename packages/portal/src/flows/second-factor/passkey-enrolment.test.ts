import { passkeyName } from './passkey-enrolment.js';

test('a passkey name is one line of 1 to 60 characters, spaces tidied', () => {
  expect(passkeyName('  Work   laptop ')).toBe('Work laptop');
  expect(passkeyName('Téléphone de Zoé')).toBe('Téléphone de Zoé');
  expect(passkeyName('x'.repeat(60))).toHaveLength(60);
  expect(passkeyName('😀'.repeat(60))).toBe('😀'.repeat(60)); // characters, not UTF-16 units
  for (const bad of ['', '   ', 'x'.repeat(61), 'a\u0000b', 'a\u0007b', 42, undefined]) expect(passkeyName(bad)).toBeUndefined();
  expect(passkeyName('two\nlines')).toBe('two lines'); // a line break is whitespace, folded
});
