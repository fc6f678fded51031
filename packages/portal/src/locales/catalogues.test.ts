import { readdirSync } from 'node:fs';
import { catalogueStrings, untranslated } from '@portal/common';

/**
 * Every catalogue of the portal (each file of this folder registers its groups) has every English
 * string in Spanish too, with the same placeholders: a page never falls back to English, or shows
 * `{count}` unfilled, because one language lacks a key. A new file here is checked without editing this.
 */
beforeAll(async () => {
  for (const file of readdirSync(new URL('.', import.meta.url)).filter((f) => /^[\w-]+\.ts$/.test(f) && !f.endsWith('.test.ts'))) await import(`./${file.replace(/\.ts$/, '.js')}`);
  await import('../libraries/errors.js');
  await import('../libraries/mailer.js');
});

test('Spanish has every English string of the portal\'s catalogues, with the same placeholders', () => {
  const namespaces = ['portal', 'messages', 'mail', 'chrome', 'roles'];
  expect([...catalogueStrings('en').keys()].filter((key) => namespaces.includes(key.slice(0, key.indexOf(':')))).length).toBeGreaterThan(200);
  expect(untranslated('es', namespaces)).toEqual([]);
});
