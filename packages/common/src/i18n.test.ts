import { negotiateLocale, urlWithLocale } from './i18n.js';

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
