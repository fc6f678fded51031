import { defaultAgency } from '@portal/common';
import { AppSettingsError, readAppSettings } from './app-env.js';

test('the embedded development defaults need no setting at all', () => {
  expect(readAppSettings('ordering', {})).toEqual({
    production: false,
    portalUrl: 'http://localhost:3000',
    appUrl: 'http://localhost:3003',
    port: 3003,
    clientId: 'ordering',
    clientSecret: undefined,
    idleMinutes: 15,
    idleWarningSeconds: 120,
    maxSessionHours: 12,
    databaseUrl: 'sqlite:./data/ordering.sqlite',
    agency: defaultAgency,
  });
});

test('the agency chrome comes from the same settings as the portal\'s, checked the same way', () => {
  const agency = readAppSettings('registry', { AGENCY_NAME: 'Example Health', SUPPORT_PHONE: '512-555-0100', SUPPORT_EMAIL: 'help@example.gov' }).agency;
  expect(agency).toMatchObject({ name: 'Example Health', supportPhone: '512-555-0100', supportEmail: 'help@example.gov', state: 'Texas' });
  expect(() => readAppSettings('registry', { PRIVACY_URL: 'javascript:alert(1)', SUPPORT_EMAIL: 'nobody' })).toThrow(/SUPPORT_EMAIL: must be an email address[\s\S]*PRIVACY_URL: must be an http\(s\) URL/);
});

test('each app names its own database: SQLite by default, PostgreSQL by URL, anything else refused', () => {
  expect(readAppSettings('registry', {}).databaseUrl).toBe('sqlite:./data/registry.sqlite');
  expect(readAppSettings('enrollment', { ENROLLMENT_DATABASE_URL: 'postgres://rp@db:5432/enrollment' }).databaseUrl).toBe('postgres://rp@db:5432/enrollment');
  // Another app's setting is not this one's.
  expect(readAppSettings('ordering', { REGISTRY_DATABASE_URL: 'postgres://x/y' }).databaseUrl).toBe('sqlite:./data/ordering.sqlite');
  expect(() => readAppSettings('ordering', { ORDERING_DATABASE_URL: 'mysql://x/y' })).toThrow('ORDERING_DATABASE_URL: must start with sqlite: or postgres://');
});

test('the idle time may be a fraction of a minute, and the warning must come before the end', () => {
  expect(readAppSettings('registry', { SESSION_IDLE_MINUTES: '0.25', SESSION_IDLE_WARNING_SECONDS: '10' })).toMatchObject({ idleMinutes: 0.25, idleWarningSeconds: 10 });
  expect(() => readAppSettings('registry', { SESSION_IDLE_MINUTES: '2', SESSION_IDLE_WARNING_SECONDS: '120' })).toThrow(
    'SESSION_IDLE_WARNING_SECONDS: must be shorter than SESSION_IDLE_MINUTES',
  );
  expect(() => readAppSettings('registry', { SESSION_IDLE_MINUTES: 'soon' })).toThrow('SESSION_IDLE_MINUTES: must be a positive number');
});

test('settings are read from the environment and refused loudly when wrong', () => {
  expect(readAppSettings('registry', { REGISTRY_URL: 'https://immtrac.example/', REGISTRY_PORT: '8080', SESSION_IDLE_MINUTES: '5' })).toMatchObject({
    appUrl: 'https://immtrac.example',
    port: 8080,
    idleMinutes: 5,
  });
  expect(() => readAppSettings('registry', { PORTAL_URL: 'ftp://x', SESSION_IDLE_MINUTES: '0', REGISTRY_CLIENT_SECRET: 'short' })).toThrow(AppSettingsError);
  try {
    readAppSettings('registry', { NODE_ENV: 'production' });
  } catch (err) {
    expect((err as AppSettingsError).problems).toEqual([
      'PORTAL_URL: must be https in production',
      'REGISTRY_URL: must be https in production',
      'REGISTRY_CLIENT_SECRET: required in production',
    ]);
    return;
  }
  throw new Error('production without https or a client secret was accepted');
});

test('a fourth app reads the same settings under its own prefix, and names its own address', () => {
  expect(readAppSettings('reports', { REPORTS_URL: 'http://localhost:3004', REPORTS_CLIENT_ID: 'reports-app' })).toMatchObject({
    appUrl: 'http://localhost:3004',
    port: 3004,
    clientId: 'reports-app',
    databaseUrl: 'sqlite:./data/reports.sqlite',
  });
  expect(() => readAppSettings('reports', {})).toThrow('REPORTS_URL: required');
});
