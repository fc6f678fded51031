/**
 * Whether a value (a string, or any string or key inside an object or array) holds a NUL
 * character. PostgreSQL refuses NUL in text (SQLSTATE 22021), so such a value can never name a
 * stored row and must never reach a query: on PostgreSQL it would be a 500, on SQLite a row no
 * other database could hold. Callers answer it as they answer an unknown id.
 */
export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  // Parsed bodies are shallow (the parsers' limits); the depth cap only keeps a pathological one cheap.
  if (value === null || typeof value !== 'object' || depth > 32) return false;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000') || containsNul(item, depth + 1)) return true;
  }
  return false;
}
