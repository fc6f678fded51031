import { readAgency, type Agency } from '@portal/common';

/**
 * The settings every app reads from the environment (SPEC §6), parsed once at start and refused
 * loudly when wrong. Defaults are the embedded development set-up.
 */
/** The three apps, or another one's lower-case key (`reports` reads REPORTS_URL, REPORTS_CLIENT_SECRET, …). */
export type AppKey = 'registry' | 'enrollment' | 'ordering' | (string & {});

export interface AppSettings {
  readonly production: boolean;
  readonly portalUrl: string;
  readonly appUrl: string;
  readonly port: number;
  readonly clientId: string;
  /** Unset outside production means "use the development secret the demo data registers". */
  readonly clientSecret: string | undefined;
  /** Minutes without activity that end an app session (SPEC §3.7); fractions allowed for tests. */
  readonly idleMinutes: number;
  /** Seconds before the idle end that pages warn and offer "Stay signed in". */
  readonly idleWarningSeconds: number;
  readonly maxSessionHours: number;
  /**
   * Where the app keeps its sessions (and its own tables): `sqlite:PATH` or `postgres://…`, from
   * `<APP>_DATABASE_URL`; default `sqlite:./data/<app>.sqlite`, beside the portal's.
   */
  readonly databaseUrl: string;
  /** The agency chrome, from the same settings as the portal's (AGENCY_*, SUPPORT_PHONE/EMAIL …). */
  readonly agency: Agency;
}

const defaultUrls: Record<string, string> = {
  registry: 'http://localhost:3001',
  enrollment: 'http://localhost:3002',
  ordering: 'http://localhost:3003',
};

export class AppSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AppSettingsError';
  }
}

export function readAppSettings(app: AppKey, env: Record<string, string | undefined> = process.env): AppSettings {
  if (!/^[a-z][a-z0-9]*$/.test(app)) throw new Error(`app key ${JSON.stringify(app)}: lower-case letters and digits (it names the settings)`);
  const prefix = app.toUpperCase();
  const get = (name: string) => (env[name] === '' ? undefined : env[name]);
  const problems: string[] = [];
  const production = get('NODE_ENV') === 'production';

  const url = (name: string, fallback: string | undefined): string => {
    const value = get(name) ?? fallback;
    // Only the three known apps have a development address; another app names its own.
    if (value === undefined) {
      problems.push(`${name}: required`);
      return '';
    }
    try {
      const parsed = new URL(value);
      if (!/^https?:$/.test(parsed.protocol)) throw new Error();
      if (production && parsed.protocol !== 'https:') problems.push(`${name}: must be https in production`);
    } catch {
      problems.push(`${name}: must be an http(s) URL`);
    }
    return value.replace(/\/+$/, '');
  };
  const positiveInt = (name: string, fallback: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) problems.push(`${name}: must be a positive whole number`);
    return n;
  };
  const positiveNumber = (name: string, fallback: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) problems.push(`${name}: must be a positive number`);
    return n;
  };

  const portalUrl = url('PORTAL_URL', 'http://localhost:3000');
  const appUrl = url(`${prefix}_URL`, defaultUrls[app]);
  const clientSecret = get(`${prefix}_CLIENT_SECRET`);
  if (clientSecret !== undefined && clientSecret.length < 32) problems.push(`${prefix}_CLIENT_SECRET: at least 32 characters`);
  if (production && clientSecret === undefined) problems.push(`${prefix}_CLIENT_SECRET: required in production`);
  const portFromUrl = (() => {
    try {
      const u = new URL(appUrl);
      return Number(u.port || (u.protocol === 'https:' ? 443 : 80));
    } catch {
      return 0;
    }
  })();
  const port = get(`${prefix}_PORT`) === undefined ? portFromUrl : positiveInt(`${prefix}_PORT`, portFromUrl);
  const { agency, problems: agencyProblems } = readAgency(env);
  problems.push(...agencyProblems);
  const settings: AppSettings = {
    production,
    portalUrl,
    appUrl,
    port,
    clientId: get(`${prefix}_CLIENT_ID`) ?? app,
    clientSecret,
    // The same settings, and so the same timeout and warning, as the portal's (SPEC §3.7).
    idleMinutes: positiveNumber('SESSION_IDLE_MINUTES', 15),
    idleWarningSeconds: positiveInt('SESSION_IDLE_WARNING_SECONDS', 120),
    maxSessionHours: positiveInt('SESSION_MAX_HOURS', 12),
    databaseUrl: get(`${prefix}_DATABASE_URL`) ?? `sqlite:./data/${app}.sqlite`,
    agency,
  };
  // The same rule as the portal's DATABASE_URL.
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(settings.databaseUrl)) problems.push(`${prefix}_DATABASE_URL: must start with sqlite: or postgres://`);
  if (settings.idleWarningSeconds >= settings.idleMinutes * 60) {
    problems.push('SESSION_IDLE_WARNING_SECONDS: must be shorter than SESSION_IDLE_MINUTES');
  }
  if (problems.length) throw new AppSettingsError(problems);
  return Object.freeze(settings);
}
