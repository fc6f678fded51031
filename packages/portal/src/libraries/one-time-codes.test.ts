import { createHash } from 'node:crypto';
import { createOneTimeCodes } from './one-time-codes.js';

const key = 'k'.repeat(43);

/** A random source that plays back the given digits. */
function sequence(...values: number[]) {
  let i = 0;
  return (max: number) => {
    expect(max).toBe(10);
    return values[i++ % values.length]!;
  };
}

test('codes are six random digits by default, leading zeros kept', () => {
  expect(createOneTimeCodes({ key, random: sequence(0, 0, 4, 2, 0, 7) }).generate()).toBe('004207');
  const codes = createOneTimeCodes({ key });
  const drawn = Array.from({ length: 50 }, () => codes.generate());
  for (const code of drawn) expect(code).toMatch(/^[0-9]{6}$/);
  expect(new Set(drawn).size).toBeGreaterThan(45);
});

test('the length is configurable from 6 digits up', () => {
  expect(createOneTimeCodes({ key, digits: 8 }).generate()).toMatch(/^[0-9]{8}$/);
  expect(() => createOneTimeCodes({ key, digits: 5 })).toThrow(/6 to 12/);
  expect(() => createOneTimeCodes({ key: 'short' })).toThrow(/32 characters/);
});

test('a random source that strays out of 0–9 is refused rather than making a malformed code', () => {
  expect(() => createOneTimeCodes({ key, random: sequence(1, 10) }).generate()).toThrow(/out of range/);
});

test('the stored hash is keyed: not the plain SHA-256, and different under another key', () => {
  const codes = createOneTimeCodes({ key });
  const hash = codes.hash('123456');
  expect(hash).not.toContain('123456');
  expect(hash).not.toBe(createHash('sha256').update('123456').digest('hex'));
  expect(hash).not.toBe(createHash('sha256').update('123456').digest('base64url'));
  expect(createOneTimeCodes({ key: 'j'.repeat(43) }).hash('123456')).not.toBe(hash);
  expect(codes.hash('123456')).toBe(hash);
});

test('the right code verifies, also with spaces around it', () => {
  const codes = createOneTimeCodes({ key });
  const hash = codes.hash('004207');
  expect(codes.verify('004207', hash)).toBe(true);
  expect(codes.verify('  004207 \n', hash)).toBe(true);
});

test('a wrong or altered code does not verify', () => {
  const codes = createOneTimeCodes({ key });
  const hash = codes.hash('004207');
  for (const typed of ['004208', '4207', '04207', '0042070', '004 207', '004-207', '００４２０７', '', 'abcdef']) {
    expect(codes.verify(typed, hash)).toBe(false);
  }
  expect(codes.verify('004207', 'not-a-hash')).toBe(false);
  expect(createOneTimeCodes({ key: 'j'.repeat(43) }).verify('004207', hash)).toBe(false);
});
