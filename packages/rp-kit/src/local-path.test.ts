import { localPath } from './relying-party.js';

test('only a path on this app is a place to return to after sign-in (no open redirect)', () => {
  expect(localPath('/manage-access')).toBe('/manage-access');
  expect(localPath('/records?client=42')).toBe('/records?client=42');
  for (const hostile of ['https://evil.example/', '//evil.example/', '/\\evil.example', 'evil', '/login?return_to=/x', '/callback?code=1', '/a\r\nb', undefined, ['/x']]) {
    expect(localPath(hostile)).toBe('/');
  }
});
