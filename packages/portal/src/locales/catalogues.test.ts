import { readdirSync } from 'node:fs';
import { catalogueStrings } from '@portal/common';

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

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
// i18next's plural forms: Spanish has the same ones as English (one, other).
const ours = (key: string) => /^(portal|mail|messages|chrome):/.test(key);

test('Spanish has every English string of the portal\'s catalogues, with the same placeholders', () => {
  const en = [...catalogueStrings('en')].filter(([key]) => ours(key));
  const es = catalogueStrings('es');
  expect(en.length).toBeGreaterThan(200);
  expect(en.filter(([key]) => !es.has(key)).map(([key]) => key)).toEqual([]);
  expect([...es.keys()].filter((key) => ours(key) && !catalogueStrings('en').has(key))).toEqual([]);
  expect(en.filter(([key, text]) => placeholders(text).join() !== placeholders(es.get(key) ?? '').join()).map(([key]) => key)).toEqual([]);
});
