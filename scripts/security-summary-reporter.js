// Prints the security suite's summary (issue 14) after a jest run: one row per check, with the
// figures the tests recorded through recordSecurityResult (packages/portal/src/testing/security-summary.ts).
import { existsSync, readFileSync, rmSync } from 'node:fs';

export default class SecuritySummaryReporter {
  onRunComplete() {
    const file = process.env.SECURITY_SUMMARY_FILE;
    if (!file || !existsSync(file)) return;
    const rows = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    rmSync(file, { force: true });
    if (rows.length === 0) return;
    const width = Math.max(...rows.map((r) => r.check.length));
    const lines = rows
      .sort((a, b) => a.check.localeCompare(b.check))
      .map((r) => `  ${r.check.padEnd(width)}  ${Object.entries(r.figures).map(([k, v]) => `${k}=${v}`).join('  ')}`);
    process.stdout.write(`\nSecurity suite summary (${rows[0].database}):\n${lines.join('\n')}\n\n`);
  }
}
