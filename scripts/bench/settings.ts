// What every section of `pnpm bench` shares: its options, its progress line, its whole-number settings.

/** A bench section's options (the registry's scale, the apps' throughput). */
export interface BenchSectionOptions { quick: boolean; databaseServerUrl: string | undefined }

/** Progress goes to stderr; the tables go to stdout. */
export const say = (line: string) => process.stderr.write(`${line}\n`);

/** A positive whole-number setting from the environment, else `fallback`; anything else stops the bench. */
export function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive whole number (was "${raw}")`);
  return v;
}
