import { readFileSync } from 'node:fs';
import { loadConfig, ConfigError, originAllowed, settingNames } from './index.js';

test('embedded defaults: SQLite file, port 3000, spec policy values', () => {
  const config = loadConfig({});
  expect(config.portalUrl).toBe('http://localhost:3000');
  expect(config.port).toBe(3000);
  expect(config.databaseUrl).toBe('sqlite:./data/portal.sqlite');
  expect(config.mail.from).toBe('IdentityManagement@hsc.state.tx.us');
  expect(config.supportContact).toBe('Contact Customer Support: 800-348-9158, option 2, or ImmTrac2@dshs.texas.gov');
  expect(config.argon2).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
  expect(config.demoData).toBe(true);
  // Development: apps on this machine, any port; production: only what the operator names.
  expect(config.backchannelLogoutAllowedOrigins).toEqual(['http://localhost:*', 'http://127.0.0.1:*']);
  expect(Object.isFrozen(config.argon2)).toBe(true);
});

test('every bad setting is named in one error', () => {
  let error: unknown;
  try {
    loadConfig({ PORTAL_URL: 'ftp://x', DATABASE_URL: 'mysql://x', ARGON2_MEMORY_KIB: '1024', SESSION_MAX_HOURS: 'soon' });
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  for (const name of ['PORTAL_URL', 'DATABASE_URL', 'ARGON2_MEMORY_KIB', 'SESSION_MAX_HOURS']) expect(message).toContain(name);
});

test('production refuses development shortcuts', () => {
  expect(() => loadConfig({ NODE_ENV: 'production', PORTAL_URL: 'http://portal.example' })).toThrow(/PORTAL_URL: must be https[\s\S]*COOKIE_KEYS[\s\S]*SMTP_URL/);
  const config = loadConfig({
    NODE_ENV: 'production',
    PORTAL_URL: 'https://portal.example',
    COOKIE_KEYS: 'k'.repeat(32),
    SMTP_URL: 'smtp://mail.example:25',
  });
  expect(config.demoData).toBe(false);
  expect(config.secureCookies).toBe(true);
  expect(config.port).toBe(443);
  expect(config.backchannelLogoutAllowedOrigins).toEqual([]);
});

test('over https every cookie name carries its prefix (__Host- where the path is /, __Secure- for the path-scoped two); over http none', () => {
  expect(loadConfig({ PORTAL_URL: 'https://portal.example' }).cookieNames).toEqual({
    session: '__Host-portal.session',
    interaction: '__Secure-portal.interaction',
    resume: '__Secure-portal.resume',
    lang: '__Host-portal.lang',
    recovery: '__Host-portal.recovery',
    emailChange: '__Host-portal.email-change',
  });
  expect(loadConfig({ PORTAL_URL: 'http://localhost:3000' }).cookieNames).toEqual({
    session: 'portal.session',
    interaction: 'portal.interaction',
    resume: 'portal.resume',
    lang: 'portal.lang',
    recovery: 'portal.recovery',
    emailChange: 'portal.email-change',
  });
});

test('audit rows are kept seven years by default, and never less than a year', () => {
  expect(loadConfig({}).auditRetentionDays).toBe(2555);
  expect(loadConfig({ AUDIT_RETENTION_DAYS: '365' }).auditRetentionDays).toBe(365);
  expect(() => loadConfig({ AUDIT_RETENTION_DAYS: '364' })).toThrow(/AUDIT_RETENTION_DAYS: must be at least 365/);
  expect(() => loadConfig({ AUDIT_RETENTION_DAYS: '30' })).toThrow(ConfigError);
  expect(() => loadConfig({ AUDIT_RETENTION_DAYS: 'forever' })).toThrow(/AUDIT_RETENTION_DAYS/);
});

test('empty values in a .env file mean "unset"', () => {
  expect(loadConfig({ SMTP_URL: '', PORTAL_PORT: '' }).mail.smtpUrl).toBeUndefined();
});

test('.env.example lists every setting', () => {
  const example = readFileSync(new URL('../../../../.env.example', import.meta.url), 'utf8');
  const missing = settingNames.filter((name) => !new RegExp(`^${name}=`, 'm').test(example));
  expect(missing).toEqual([]);
});

test('the back-channel allow-list takes exact origins and loopback-style port wildcards, and nothing looser', () => {
  const list = loadConfig({ BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: 'http://10.0.0.5:8080, https://App.Example/, http://localhost:*' }).backchannelLogoutAllowedOrigins;
  expect(list).toEqual(['http://10.0.0.5:8080', 'https://app.example', 'http://localhost:*']);
  expect(originAllowed(list, 'http://10.0.0.5:8080/bcl')).toBe(true);
  expect(originAllowed(list, 'http://10.0.0.5:8081/bcl')).toBe(false);
  expect(originAllowed(list, 'https://app.example/logout')).toBe(true);
  expect(originAllowed(list, 'http://localhost:9999/x')).toBe(true);
  expect(originAllowed(list, 'https://localhost:9999/x')).toBe(false);
  expect(originAllowed(list, 'http://localhost.evil.example/x')).toBe(false);
  expect(() => loadConfig({ BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: 'http://*.example' })).toThrow(/BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: "http:\/\/\*\.example" is not an origin/);
});

test('TRUST_PROXY takes true/false, a hop count, or the proxies\' addresses and subnets', () => {
  expect(loadConfig({}).trustProxy).toBe(false);
  expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
  expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(true);
  expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
  expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
  expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY: must be true, false, a number of hops, or addresses/);
});

test('the agency chrome is configurable, and the support sentence follows its phone and email unless set', () => {
  const config = loadConfig({ AGENCY_NAME: 'Example Health', SUPPORT_PHONE: '512-555-0100', SUPPORT_EMAIL: 'help@example.gov' });
  expect(config.agency).toMatchObject({ name: 'Example Health', department: 'Texas Department of State Health Services', supportPhone: '512-555-0100' });
  expect(config.supportContact).toBe('Contact Customer Support: 512-555-0100, or help@example.gov');
  expect(loadConfig({ SUPPORT_CONTACT: 'Call us.' }).supportContact).toBe('Call us.');
  expect(() => loadConfig({ ACCESSIBILITY_URL: 'ftp://x', SUPPORT_PHONE: 'call us' })).toThrow(/SUPPORT_PHONE: must start with a phone number[\s\S]*ACCESSIBILITY_URL: must be an http\(s\) URL/);
});
