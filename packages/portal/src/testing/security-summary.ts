import { appendFileSync } from 'node:fs';

/**
 * One line of the security suite's closing summary (issue 14): what a test tried and what it saw —
 * cases tried, 5xx seen, rows changed by rejected input, timing medians and p-values, kills survived.
 * Tests run in jest workers; each appends a JSON line to the file the root jest config names
 * (SECURITY_SUMMARY_FILE), and `scripts/security-summary-reporter.js` prints them as one table when
 * the run ends. Outside such a run (a file run on its own without the config) the line is dropped.
 */
export interface SecurityResult {
  /** The promise under test, as the summary names it: "fuzz: portal routes", "timing: sign-in". */
  check: string;
  /** Numbers and short facts, printed as `key=value`: { cases: 10000, fiveXx: 0, rowsChanged: 0 }. */
  figures: Record<string, string | number | boolean>;
}

export function recordSecurityResult(result: SecurityResult): void {
  const file = process.env.SECURITY_SUMMARY_FILE;
  if (!file) return;
  appendFileSync(file, `${JSON.stringify({ ...result, database: process.env.TEST_DATABASE_URL ? 'postgresql' : 'sqlite' })}\n`);
}
