import { defaultAgency, runWithPageContext, untranslated } from '@portal/common';
import { EnrollmentError, enrollmentErrorCodes } from './libraries/errors.js';
import { validateSubmission } from './libraries/input.js';
import './locales.js';

const spanish = <T>(work: () => T) => runWithPageContext({ agency: defaultAgency, locale: 'es' }, work);

test('Spanish has every English string of Syntropi, with the same placeholders', () => {
  expect(untranslated('es', ['enrollment'])).toEqual([]);
});

test('every coded refusal has its words in both languages', () => {
  for (const code of enrollmentErrorCodes) {
    const english = new EnrollmentError(code, 400);
    const foreign = spanish(() => new EnrollmentError(code, 400));
    expect([foreign.title, foreign.text]).not.toEqual([english.title, english.text]);
  }
});

test('a submission is answered in the language of the page that sent it', () => {
  const refused = (draft: Record<string, string>) => { const r = validateSubmission(draft); return r.ok ? {} : r.fields; };
  expect(refused({}).siteName).toBe('Enter the site name.');
  expect(spanish(() => refused({}).siteName)).toBe('Ingrese el nombre del sitio.');
  expect(spanish(() => refused({ rmpNpi: '1234567890' }).rmpNpi)).toMatch(/^El NPI del proveedor médico responsable no es un NPI válido/);
});
