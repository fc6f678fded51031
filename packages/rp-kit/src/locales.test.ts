import { catalogueStrings, defaultAgency, runWithPageContext, untranslated } from '@portal/common';
import { RpError, messages } from './errors.js';
import { describeMinutes } from './views.js';

const spanish = <T>(work: () => T) => runWithPageContext({ agency: defaultAgency, locale: 'es' }, work);

test('Spanish has every English string of rp-kit, with the same placeholders', () => {
  expect([...catalogueStrings('en').keys()].filter((key) => key.startsWith('apps-messages:'))).toHaveLength(Object.keys(messages).length);
  expect(untranslated('es', ['apps', 'apps-messages'])).toEqual([]);
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
