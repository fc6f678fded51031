import { csvField, toCsv } from './csv.js';

test('a header and rows, CRLF between records and at the end', () => {
  expect(toCsv(['Name', 'Doses'], [['Hill Country Pediatrics', 12], ['Gulf Coast Pharmacy', null]])).toBe('Name,Doses\r\nHill Country Pediatrics,12\r\nGulf Coast Pharmacy,\r\n');
});

test('commas, quotes and line breaks are quoted, quotes doubled', () => {
  expect(csvField('Austin, TX')).toBe('"Austin, TX"');
  expect(csvField('the "Hill"')).toBe('"the ""Hill"""');
  expect(csvField('line 1\nline 2')).toBe('"line 1\nline 2"');
  expect(csvField("O'Brien")).toBe("O'Brien");
});

test('text a spreadsheet would run as a formula starts with a quote; numbers stay numbers', () => {
  for (const formula of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(csvField(formula).replace(/^"/, '')).toMatch(/^'/);
  expect(csvField('=1,2')).toBe(`"'=1,2"`);
  expect(csvField(-5)).toBe('-5');
  expect(csvField('Nuñez')).toBe('Nuñez');
});
