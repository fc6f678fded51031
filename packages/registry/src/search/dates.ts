/**
 * Dates as people type them: MM/DD/YYYY (what Texas forms use) or the ISO YYYY-MM-DD a date input
 * sends. Returns ISO, or undefined for anything that is not a real calendar date.
 */
export function parseDate(value: string): string | undefined {
  const text = value.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  let year: number, month: number, day: number;
  if (m) [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else {
    m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
    if (!m) return undefined;
    [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  return isoDate(year, month, day);
}

export function isoDate(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return undefined;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1) return undefined;
  return d.toISOString().slice(0, 10);
}

/** 2015-04-03 → 2015-03-04: the date with day and month swapped, when that is a date too. */
export function swappedDayMonth(iso: string): string | undefined {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  if (m === d) return undefined;
  return isoDate(y, d, m);
}

/** ISO → MM/DD/YYYY, as every page and the Official Immunization Record print dates. */
export function usDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${m}/${d}/${y}`;
}
