import { addCatalogue, negotiateLocale, translateText, urlWithLocale } from './i18n.js';

test('the language: the switch, then the remembered choice, then Accept-Language by q, then English', () => {
  expect(negotiateLocale({ query: 'es', cookie: 'en' })).toEqual({ locale: 'es', chosen: true });
  expect(negotiateLocale({ query: 'es', cookie: 'es' })).toEqual({ locale: 'es', chosen: false });
  expect(negotiateLocale({ query: 'fr', cookie: 'es', acceptLanguage: 'en' })).toEqual({ locale: 'es', chosen: false });
  expect(negotiateLocale({ acceptLanguage: 'fr-CA, es-MX;q=0.8, en;q=0.5' }).locale).toBe('es');
  expect(negotiateLocale({ acceptLanguage: 'es;q=0.2, en-US;q=0.9' }).locale).toBe('en');
  expect(negotiateLocale({ acceptLanguage: 'es;q=0' }).locale).toBe('en');
  expect(negotiateLocale({ acceptLanguage: '\u0000;;q=zz,,' }).locale).toBe('en');
});

test('the switch links to the same page on this site, never to another host', () => {
  expect(urlWithLocale('/profile?tab=1', 'es')).toBe('/profile?tab=1&lang=es');
  expect(urlWithLocale('/login?lang=en', 'es')).toBe('/login?lang=es');
  expect(urlWithLocale('//evil.example/x?y=1', 'es')).toBe('/evil.example/x?y=1&lang=es');
  expect(urlWithLocale('/\\evil.example', 'en')).toBe('/evil.example?lang=en');
  expect(urlWithLocale('//?ticket=%F0%BF', 'es')).toMatch(/^\/\?/);
});

test('English words are found in the catalogues and given in another language, placeholders carried over', () => {
  addCatalogue('i18n-test', {
    en: { button: { open: 'Open {app}', next: 'Next' }, plain: 'Go to {place} now' },
    es: { button: { open: 'Abrir {app}', next: 'Siguiente' }, plain: 'Ir a {place} ahora' },
  });
  expect(translateText('Next', 'es')).toBe('Siguiente');
  expect(translateText('Open ImmTrac2', 'es')).toBe('Abrir ImmTrac2');
  expect(translateText('Go to a.b (c) now', 'es')).toBe('Ir a a.b (c) ahora');
  expect(translateText('Words nobody wrote down', 'es')).toBe('Words nobody wrote down');
  expect(translateText('Next', 'en')).toBe('Next');
});
