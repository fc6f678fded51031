import { chromeFooter, chromeTop, countdownWords, defaultAgency, readAgency, telHref } from './chrome.js';
import { runWithPageContext } from './page-context.js';

test('Customer Support is a tel: link a phone can dial and a mailto: link, notes and all', () => {
  expect(telHref('800-348-9158, option 2')).toBe('tel:+18003489158');
  expect(telHref('+44 20 7946 0958')).toBe('tel:+442079460958');
  expect(telHref('call us')).toBeUndefined();
  const footer = chromeFooter(defaultAgency).toString();
  expect(footer).toContain('<a href="tel:+18003489158">800-348-9158, option 2</a>');
  expect(footer).toContain('<a href="mailto:ImmTrac2@dshs.texas.gov">ImmTrac2@dshs.texas.gov</a>');
  expect(footer).toMatch(/<a href="https:\/\/[^"]+">Accessibility<\/a>[\s\S]*<a href="https:\/\/[^"]+">Privacy and security<\/a>/);
});

test('the banner names the state, not the federal government, and a setting escapes like any text', () => {
  const { agency, problems } = readAgency({ AGENCY_STATE: 'New <Mexico>', AGENCY_OFFICIAL_DOMAIN: 'nm.gov' });
  expect(problems).toEqual([]);
  const top = chromeTop(agency).toString();
  expect(top).toContain('An official website of the State of New &lt;Mexico&gt;');
  expect(top).toContain('Official websites use nm.gov');
  expect(top.indexOf('usa-skipnav')).toBeLessThan(top.indexOf('usa-banner'));
});

test('the idle warning counts down in the words of the page, as session-timeout.js does', () => {
  expect([120, 90, 60, 45, 1].map(countdownWords)).toEqual(['2 minutes', '2 minutes', '1 minute', '45 seconds', '1 second']);
  const spanish = runWithPageContext({ agency: defaultAgency, locale: 'es' }, () => [120, 60, 45, 1].map(countdownWords));
  expect(spanish).toEqual(['2 minutos', '1 minuto', '45 segundos', '1 segundo']);
});
