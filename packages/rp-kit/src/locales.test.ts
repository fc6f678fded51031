import { catalogueKeys, defaultAgency, runWithPageContext } from '@portal/common';
import { appsCatalogue } from './locales.js';
import { RpError, messages } from './errors.js';
import { describeMinutes } from './views.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const valueAt = (catalogue: object, key: string) => key.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown>)[part], catalogue) as string;
const spanish = <T>(work: () => T) => runWithPageContext({ agency: defaultAgency, locale: 'es' }, work);

test('Spanish has every English string of rp-kit, with the same placeholders', () => {
  const keys = catalogueKeys(appsCatalogue.en);
  expect(catalogueKeys(appsCatalogue.es)).toEqual(keys);
  for (const key of keys) expect([key, placeholders(valueAt(appsCatalogue.es, key))]).toEqual([key, placeholders(valueAt(appsCatalogue.en, key))]);
});

test('every coded error has its words in the catalogue, in the page\'s language', () => {
  for (const code of Object.keys(messages) as (keyof typeof messages)[]) {
    expect(new RpError(code).text).toBe(messages[code]);
    expect(spanish(() => new RpError(code).text)).not.toBe(messages[code]);
  }
  expect(new RpError('page.not_found').title).toBe('Page not found');
  expect(spanish(() => new RpError('page.not_found').title)).toBe('No se encontró la página');
  expect(spanish(() => new RpError('request.invalid').title)).toBe('No se pudo completar esta solicitud');
  expect(spanish(() => describeMinutes(15))).toBe('15 minutos');
  expect(describeMinutes(0.2)).toBe('12 seconds');
  expect(describeMinutes(1)).toBe('1 minute');
});
