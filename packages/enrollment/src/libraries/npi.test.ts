import { isValidNpi, npiCheckDigit } from './npi.js';

test('the CMS example NPI 1234567893 is valid; any other last digit is not', () => {
  expect(npiCheckDigit('123456789')).toBe(3);
  expect(isValidNpi('1234567893')).toBe(true);
  for (const last of '012456789') expect(isValidNpi(`123456789${last}`)).toBe(false);
});

test('only ten digits are an NPI', () => {
  for (const bad of ['', '123456789', '12345678930', '12345678a3', ' 1234567893']) expect(isValidNpi(bad)).toBe(false);
});
