import { createPasswordPolicy, loadCommonPasswords } from './password-policy.js';

const commonPasswords = loadCommonPasswords();
const policy = createPasswordPolicy({ minLength: 8, historySize: 6, commonPasswords });

test('the bundled list of common passwords is large, lower-case and holds the usual suspects', () => {
  expect(commonPasswords.size).toBeGreaterThanOrEqual(10_000);
  for (const word of ['123456', 'password', 'qwerty', 'letmein', 'trustno1']) expect(commonPasswords.has(word)).toBe(true);
  expect([...commonPasswords].every((word) => word === word.toLowerCase() && word.trim() === word && word !== '')).toBe(true);
});

test('the list beside the form states every rule with the configured numbers', () => {
  expect(policy.rules().map((rule) => rule.text)).toEqual([
    'At least 8 characters',
    'An upper-case letter (A–Z)',
    'A lower-case letter (a–z)',
    'A digit (0–9)',
    'A symbol, such as ! # $ % or *',
    'Does not contain your username',
    'Not one of your last 6 passwords',
    'Not a commonly used password',
    'At most 256 characters',
  ]);
  const stricter = createPasswordPolicy({ minLength: 12, historySize: 10, commonPasswords, maxLength: 128 });
  const texts = stricter.rules().map((rule) => rule.text);
  expect(texts).toContain('At least 12 characters');
  expect(texts).toContain('Not one of your last 10 passwords');
  expect(texts).toContain('At most 128 characters');
});

test('with no history kept, the history rule is not promised', () => {
  const noHistory = createPasswordPolicy({ minLength: 8, historySize: 0, commonPasswords });
  expect(noHistory.rules().map((rule) => rule.id)).not.toContain('password.reused');
});

test('a password meeting every rule passes', () => {
  expect(policy.check('Blue-Heron-42', { username: 'jsmith' })).toEqual([]);
  expect(policy.check('Zorro!7q', { username: 'jsmith' })).toEqual([]); // exactly 8
});

test('each missing kind of character is named', () => {
  expect(policy.check('blue-heron-42', { username: 'jsmith' })).toEqual(['password.needs_upper']);
  expect(policy.check('BLUE-HERON-42', { username: 'jsmith' })).toEqual(['password.needs_lower']);
  expect(policy.check('Blue-Heron-xx', { username: 'jsmith' })).toEqual(['password.needs_digit']);
  expect(policy.check('BlueHeron42', { username: 'jsmith' })).toEqual(['password.needs_symbol']);
  expect(policy.check('Blue Heron 42', { username: 'jsmith' })).toEqual(['password.needs_symbol']); // a space is not a symbol
});

test('length is counted in characters, from 8 to 256', () => {
  expect(policy.check('Zorro!7', { username: 'jsmith' })).toEqual(['password.too_short']);
  expect(policy.check('', { username: 'jsmith' })).toEqual([
    'password.too_short',
    'password.needs_upper',
    'password.needs_lower',
    'password.needs_digit',
    'password.needs_symbol',
  ]);
  // Seven characters, fourteen UTF-16 units: still too short.
  expect(policy.check('A1!😀😀😀😀', { username: 'jsmith' })).toContain('password.too_short');
  const long = 'Aa1!'.repeat(64);
  expect(policy.check(long, { username: 'jsmith' })).toEqual([]);
  expect(policy.check(`${long}x`, { username: 'jsmith' })).toEqual(['password.too_long']);
});

test('a password containing the username, in any case, is refused', () => {
  expect(policy.check('My-JSmith-2024', { username: 'jsmith' })).toEqual(['password.contains_username']);
  expect(policy.check('Pw!00012345678x', { username: '00012345678' })).toEqual(['password.contains_username']);
  // Two-letter usernames would forbid half the alphabet's pairs: not checked.
  expect(policy.check('Jo-Blue-Heron-42', { username: 'jo' })).toEqual([]);
});

test('common passwords are refused whatever their case', () => {
  // Each meets every other rule only through its case; the list holds them in lower case.
  for (const common of ['P@ssw0rd', 'Pa$$w0rd', '1qaz@WSX']) {
    expect(policy.check(common, { username: 'jsmith' })).toEqual(['password.common']);
  }
  const custom = createPasswordPolicy({ minLength: 8, historySize: 6, commonPasswords: new Set(['blue-heron-42']) });
  expect(custom.check('Blue-HERON-42', { username: 'jsmith' })).toEqual(['password.common']);
  expect(custom.check('Blue-Heron-43', { username: 'jsmith' })).toEqual([]);
});

test('every rule has a sentence a person can read', () => {
  expect(policy.messages['password.too_short']).toBe('Your new password must have at least 8 characters.');
  expect(policy.messages['password.reused']).toBe('Your new password must not be one of your last 6 passwords.');
  expect(policy.messages['password.common']).toMatch(/commonly used/);
  for (const rule of policy.rules()) expect(policy.messages[rule.id]).toMatch(/\.$/);
});

test('a minimum below the SPEC floor of 8 is refused at start', () => {
  expect(() => createPasswordPolicy({ minLength: 6, historySize: 6, commonPasswords })).toThrow(/below 8/);
});
