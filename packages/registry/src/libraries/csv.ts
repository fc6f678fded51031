/**
 * A small CSV writer (RFC 4180): fields quoted when they hold a comma, a quote or a line break,
 * quotes doubled, CRLF between records. Text that a spreadsheet would run as a formula (CSV
 * injection, OWASP "CSV Injection") starts with a single quote instead: = + - @, and tab or
 * carriage return, which some spreadsheets strip before looking. Numbers are written as they are.
 */
export type CsvCell = string | number | null;

export function toCsv(header: string[], rows: CsvCell[][]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function csvField(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
