import { readMailSettings } from './mail-settings.js';

test('the portal\u2019s mail settings: SMTP_URL and MAIL_FROM, or the dev mail catcher on 2525 when SMTP_URL is unset', () => {
  expect(readMailSettings({ SMTP_URL: 'smtp://mail.example.org:587', MAIL_FROM: 'syntropi@example.org' })).toEqual({ smtpUrl: 'smtp://mail.example.org:587', from: 'syntropi@example.org', catcher: false });
  expect(readMailSettings({ SMTP_URL: '' })).toEqual({ smtpUrl: 'smtp://localhost:2525', from: 'IdentityManagement@hsc.state.tx.us', catcher: true });
  expect(readMailSettings({ MAILCATCHER_SMTP_PORT: '2626' }).smtpUrl).toBe('smtp://localhost:2626');
});

test('production without SMTP_URL, or a malformed setting, is refused loudly', () => {
  expect(() => readMailSettings({ NODE_ENV: 'production' })).toThrow(/SMTP_URL: required in production/);
  expect(() => readMailSettings({ MAIL_FROM: 'not-an-address' })).toThrow(/MAIL_FROM: must be an email address/);
});
