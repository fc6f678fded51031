import { readFileSync } from 'node:fs';
import { recordSecurityResult } from '@portal/portal/testing';

test('a security check records its figures for the run summary', () => {
  const file = process.env.SECURITY_SUMMARY_FILE!;
  recordSecurityResult({ check: 'summary: self-check', figures: { recorded: true } });
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { check: string });
  expect(lines.some((l) => l.check === 'summary: self-check')).toBe(true);
});
