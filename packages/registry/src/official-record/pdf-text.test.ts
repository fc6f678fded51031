import { pdfText } from './pdf-text.js';

test('WinAnsi text is kept as it is', () => {
  expect(pdfText(`María Nuñez-O'Brien — “Ñandú” & Œuvre €5 <b>`)).toBe(`María Nuñez-O'Brien — “Ñandú” & Œuvre €5 <b>`);
});

test('letters outside WinAnsi lose their accents, or print as "?"', () => {
  expect(pdfText('Dvořák Łódź Nguyễn')).toBe('Dvorák ?ódz Nguyen');
  expect(pdfText('李小龍 Иван 🙂')).toBe('??? ???? ?');
  expect(pdfText('ﬁle')).toBe('file');
});

test('control characters become spaces and invisible format characters go', () => {
  expect(pdfText('a\u0000b\nc\td\u2028e')).toBe('a b c d e');
  expect(pdfText('evil\u202eexe\u200b.')).toBe('evilexe.');
});
