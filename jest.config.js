// One jest, four projects: unit tests beside the code, system tests over real HTTP, browser tests in Chromium,
// and the security suite (fuzzing, timing, lockout across instances, crash safety) in packages/*/test/security.
// ESM-only dependencies (oidc-provider, openid-client) need `node --experimental-vm-modules`.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The security suite's figures go through this file to the summary reporter (the workers inherit the env).
process.env.SECURITY_SUMMARY_FILE ??= join(tmpdir(), `portal-security-summary-${process.pid}.jsonl`);

const base = {
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/jest.setup.js'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
};

export default {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/packages/*/src/**/*.test.ts'] },
    { ...base, displayName: 'system', testMatch: ['<rootDir>/packages/*/test/**/*.test.ts'], testPathIgnorePatterns: ['/browser/', '/security/'] },
    { ...base, displayName: 'security', testMatch: ['<rootDir>/packages/*/test/security/**/*.test.ts'] },
    { ...base, displayName: 'browser', testMatch: ['<rootDir>/packages/*/test/browser/**/*.test.ts'] },
  ],
  reporters: ['default', '<rootDir>/scripts/security-summary-reporter.js'],
  testTimeout: 60_000,
};
