import { describeMinutes, renderPage } from './views.js';
import { html } from '@portal/common';

test('the signed-out page names durations as a person reads them', () => {
  expect(describeMinutes(15)).toBe('15 minutes');
  expect(describeMinutes(1)).toBe('1 minute');
  expect(describeMinutes(0.25)).toBe('15 seconds');
  expect(describeMinutes(1.5)).toBe('90 seconds');
});

test('a signed-out page has no idle warning, no script and no Sign Out; a signed-in one escapes what it shows', () => {
  const chrome = { appName: 'ImmTrac2', portalUrl: 'https://portal.example/' };
  const out = renderPage(chrome, { title: 'Signed out', body: html`<p>bye</p>` });
  // Only the chrome's own script (the banner, the tables); no idle timer on a signed-out page.
  expect([...out.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1])).toEqual(['/static/common/chrome.js']);
  expect(out).not.toContain('Sign Out');
  expect(out).not.toContain('idle-warning');

  const signedIn = renderPage(chrome, {
    title: 'Home',
    body: html`<p>hi</p>`,
    signedIn: { name: '<Pat & "Co">', csrfToken: 'tok"en', timeout: { remainingSeconds: 900, warningSeconds: 120 } },
  });
  expect(signedIn).toContain('<span class="person">&lt;Pat &amp; &quot;Co&quot;&gt;</span>');
  expect(signedIn).toContain('data-csrf="tok&quot;en"');
  expect(signedIn.match(/name="csrf" value="tok&quot;en"/g)).toHaveLength(2); // header Sign Out and "Sign Out now"
});
