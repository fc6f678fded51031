import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { agencySettings, readAgency, type Agency } from '@portal/common';
import { z } from 'zod';
import { portalCookieNames, type PortalCookieNames } from './cookie-names.js';

/**
 * Every setting the portal reads, parsed once at start into a frozen object.
 * Defaults are the embedded development set-up (SPEC §6); `.env.example` mirrors this file.
 */

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const list = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));
const httpUrl = z
  .string()
  .url()
  .refine((v) => /^https?:\/\//.test(v), 'must be an http(s) URL')
  .transform((v) => v.replace(/\/+$/, ''));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  PORTAL_URL: httpUrl.default('http://localhost:3000'),
  PORTAL_PORT: port.optional(),
  PORTAL_HOST: z.string().default('0.0.0.0'),
  // true (every hop), false, a number of hops, or the proxies' addresses/subnets ("loopback, 10.0.0.0/8").
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx): boolean | number | string[] => {
      const t = v.trim().toLowerCase();
      if (['true', '1', 'yes'].includes(t)) return true;
      if (['false', '0', 'no', ''].includes(t)) return false;
      if (/^\d+$/.test(t)) return Number(t);
      const entries = t.split(',').map((s) => s.trim()).filter(Boolean);
      const shape = /^(loopback|linklocal|uniquelocal|[0-9a-f.:]+(\/\d{1,3})?)$/;
      if (entries.every((e) => shape.test(e))) return entries;
      ctx.addIssue({ code: 'custom', message: 'must be true, false, a number of hops, or addresses/subnets such as "loopback, 10.0.0.0/8"' });
      return z.NEVER;
    }),
  // Scale-out: how soon every instance signs with a rotated key; how a stopping instance drains.
  KEYS_REFRESH_SECONDS: positiveInt.default(60),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(300).default(5),
  SHUTDOWN_TIMEOUT_SECONDS: positiveInt.default(30),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),

  DATABASE_URL: z
    .string()
    .default('sqlite:./data/portal.sqlite')
    .refine((v) => /^(sqlite:|postgres(ql)?:\/\/)/.test(v), 'must start with sqlite: or postgres://'),

  COOKIE_KEYS: list.optional(),

  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().email().default('IdentityManagement@hsc.state.tx.us'),
  MAILCATCHER_SMTP_PORT: port.default(2525),
  MAILCATCHER_WEB_PORT: port.default(3025),

  // Unset, the sentence is made from SUPPORT_PHONE and SUPPORT_EMAIL (the footer's links), so the two agree.
  SUPPORT_CONTACT: z.string().min(1).optional(),

  FORMS_URL: httpUrl.default('https://www.dshs.texas.gov/immunize/immtrac/forms.shtm'),
  USER_TRAINING_URL: httpUrl.default('https://www.dshs.texas.gov/immunize/immtrac/training.shtm'),

  ARGON2_MEMORY_KIB: z.coerce.number().int().min(19456).default(19456),
  ARGON2_TIME_COST: z.coerce.number().int().min(2).default(2),
  ARGON2_PARALLELISM: z.coerce.number().int().min(1).max(16).default(1),

  // Fractions allowed (0.5 = 30 s) so browser tests can watch a timeout pass.
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(15),
  SESSION_IDLE_WARNING_SECONDS: positiveInt.default(120),
  SESSION_MAX_HOURS: positiveInt.default(12),
  ACCESS_TOKEN_MINUTES: positiveInt.default(10),
  REFRESH_TOKEN_HOURS: positiveInt.default(12),
  // PKCE for public clients only (SPEC §4), or for every client (RFC 9700 §2.1.1; docs/security.md).
  PKCE_REQUIRED: z.enum(['public', 'all']).default('public'),

  // Per client IP and posted username; and per IP alone, high enough for a district behind one NAT.
  // Second factors (issue #10): staff must have one; the registry's state-wide role may be made to.
  MFA_REQUIRED_FOR_STAFF: flag.default(true),
  MFA_REQUIRED_FOR_STATE_ROLE: flag.default(false),

  SIGNIN_RATE_LIMIT_PER_MINUTE: positiveInt.default(60),
  SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: positiveInt.default(1000),
  SIGNIN_CAPTCHA_AFTER_FAILURES: positiveInt.default(3),
  SIGNIN_LOCK_AFTER_FAILURES: positiveInt.default(6),
  // The CAPTCHA's spoken alternative (WCAG 1.1.1): espeak-ng's path, or a name looked up on PATH;
  // empty turns the audio off. Missing at start, the picture is offered alone (logged once).
  ESPEAK_PATH: z.string().max(500).default('espeak-ng'),

  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(64).default(8),
  PASSWORD_HISTORY: z.coerce.number().int().min(0).max(24).default(6),
  PASSWORD_MAX_AGE_DAYS: z.coerce.number().int().min(0).default(90),
  PASSWORD_EXPIRY_WARNING_DAYS: z.coerce.number().int().min(0).default(14),
  PASSWORD_RESET_INTERVAL_HOURS: z.coerce.number().int().min(0).default(24),
  RECOVERY_CODE_MINUTES: positiveInt.default(30),
  RECOVERY_CODE_MAX_ATTEMPTS: positiveInt.default(5),
  RECOVERY_CODE_DIGITS: z.coerce.number().int().min(6).max(12).default(6),
  MAIL_TIME_ZONE: z.string().default('America/Chicago').refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as America/Chicago'),
  AUA_MAX_AGE_DAYS: positiveInt.default(365),
  // Seven years by default; below a year is refused: the state's records schedule, not a tuning knob.
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(365, 'must be at least 365 (the audit log is kept for a year or more)').default(2555),
  BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: list.optional(),

  DEMO_DATA: flag.optional(),

  REGISTRY_URL: httpUrl.default('http://localhost:3001'),
  ENROLLMENT_URL: httpUrl.default('http://localhost:3002'),
  ORDERING_URL: httpUrl.default('http://localhost:3003'),
  REGISTRY_CLIENT_SECRET: z.string().min(32).optional(),
  ENROLLMENT_CLIENT_SECRET: z.string().min(32).optional(),
  ORDERING_CLIENT_SECRET: z.string().min(32).optional(),
  // The `resource` (RFC 8707) and `aud` of HL7 exchange tokens; unset, REGISTRY_URL + /hl7/v2.
  HL7_RESOURCE: httpUrl.optional(),
  INVENTORY_RESOURCE: httpUrl.optional(),
});

export type Env = z.input<typeof schema>;

/** The names of every setting, for checking that `.env.example` lists them all. */
/** Every setting the portal reads: its own schema's and the agency chrome's (shared with the apps). */
export const settingNames = [...Object.keys(schema.shape), ...Object.keys(agencySettings)];

/** Reads `./.env` into process.env when present (real environment variables win). */
export function loadDotEnv(path = '.env'): void {
  if (!existsSync(path)) return;
  const before = { ...process.env };
  process.loadEnvFile(path);
  Object.assign(process.env, before);
}

export interface PortalConfig {
  readonly env: 'development' | 'test' | 'production';
  readonly logLevel: string;
  readonly portalUrl: string;
  readonly port: number;
  readonly host: string;
  /** Express's `trust proxy`: true, false, a hop count, or the proxies' addresses and subnets. */
  readonly trustProxy: boolean | number | readonly string[];
  /** Every instance reloads the signing keys this often (keys:rotate needs no restart). */
  readonly keysRefreshSeconds: number;
  /** After SIGTERM: `/readyz` fails for this long before the server stops taking connections. */
  readonly shutdownGraceSeconds: number;
  /** After that, in-flight requests get this long before the process exits anyway. */
  readonly shutdownTimeoutSeconds: number;
  /** Bearer token a Prometheus scraper sends to `/metrics`; unset, only local scrapes are answered. */
  readonly metricsToken: string | undefined;
  /** PORTAL_URL is https: every cookie is Secure and named with a `__Host-`/`__Secure-` prefix. */
  readonly secureCookies: boolean;
  /** The name of each cookie the portal sets (cookie-names.ts): over https, prefixed. */
  readonly cookieNames: PortalCookieNames;
  readonly databaseUrl: string;
  readonly cookieKeys: readonly string[] | undefined;
  readonly mail: {
    readonly smtpUrl: string | undefined;
    readonly from: string;
    readonly catcherSmtpPort: number;
    readonly catcherWebPort: number;
    readonly timeZone: string;
  };
  readonly supportContact: string;
  /** The agency identity on every page (banner, header, footer): AGENCY_*, SUPPORT_PHONE/EMAIL, ACCESSIBILITY_URL, PRIVACY_URL. */
  readonly agency: Agency;
  /** Footer links on every portal page (SPEC §3.8). */
  readonly links: { readonly forms: string; readonly userTraining: string };
  readonly argon2: { readonly memoryCost: number; readonly timeCost: number; readonly parallelism: number };
  readonly sessionIdleMinutes: number;
  readonly sessionIdleWarningSeconds: number;
  readonly sessionMaxHours: number;
  readonly accessTokenMinutes: number;
  readonly refreshTokenHours: number;
  /** Which clients must send a PKCE challenge: public ones (SPEC), or all (RFC 9700). */
  readonly pkceRequired: 'public' | 'all';
  /** Form attempts a minute, counted in the database (every instance shares the budget). */
  readonly signInRateLimit: { readonly perIpAndUsername: number; readonly perIp: number };
  /** Who must use a second factor: help desk and administrators; optionally Full Access State in the registry. */
  readonly mfa: { readonly requiredForStaff: boolean; readonly requiredForStateRole: boolean };
  readonly lockout: { readonly captchaAfterFailures: number; readonly lockAfterFailures: number };
  /** espeak-ng for the CAPTCHA's audio alternative; undefined when ESPEAK_PATH is empty (picture only). */
  readonly espeakPath: string | undefined;
  readonly passwordPolicy: {
    readonly minLength: number;
    readonly historySize: number;
    /** 0 = passwords never expire. */
    readonly maxAgeDays: number;
    readonly expiryWarningDays: number;
  };
  readonly recovery: { readonly codeMinutes: number; readonly codeMaxAttempts: number; readonly codeDigits: number; readonly resetIntervalHours: number };
  readonly auaMaxAgeDays: number;
  /** Audit rows older than this are purged (at most once a day, by the sweeper or `audit:purge`). */
  readonly auditRetentionDays: number;
  readonly backchannelLogoutAllowedOrigins: readonly string[];
  readonly demoData: boolean;
  readonly apps: {
    readonly registry: { readonly url: string; readonly clientSecret: string | undefined };
    readonly enrollment: { readonly url: string; readonly clientSecret: string | undefined };
    readonly ordering: { readonly url: string; readonly clientSecret: string | undefined };
  };
  /**
   * The registry's HL7 v2 endpoint as a resource server (issue 12): the `resource` its senders ask
   * for and the `aud` of their JWT access tokens. Default `${REGISTRY_URL}/hl7/v2`.
   */
  readonly hl7Resource: string;
  /** VAOS's inventory API (issue 12: doses given, fed by the registry): its `aud`. */
  readonly inventoryResource: string;
  /** Things that are fine on a laptop and dangerous in production; printed at start. */
  readonly warnings: readonly string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; throws ConfigError naming every bad setting. */
export function loadConfig(env: Record<string, string | undefined> = process.env): PortalConfig {
  // Empty strings in a .env file mean "not set", not "set to nothing".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const portalUrl = new URL(e.PORTAL_URL);
  const isProduction = e.NODE_ENV === 'production';
  const problems: string[] = [];
  const warnings: string[] = [];
  const { agency, problems: agencyProblems } = readAgency(cleaned);
  problems.push(...agencyProblems);

  if (isProduction) {
    if (portalUrl.protocol !== 'https:') problems.push('PORTAL_URL: must be https in production');
    if (!e.COOKIE_KEYS) problems.push('COOKIE_KEYS: required in production (comma-separated, newest first)');
    if (!e.SMTP_URL) problems.push('SMTP_URL: required in production (the mail catcher is for development only)');
    if (e.DEMO_DATA) problems.push('DEMO_DATA: demo accounts are never created in production');
  }
  for (const key of e.COOKIE_KEYS ?? []) {
    if (key.length < 32) problems.push('COOKIE_KEYS: every key must be at least 32 characters');
  }
  if (e.SIGNIN_LOCK_AFTER_FAILURES <= e.SIGNIN_CAPTCHA_AFTER_FAILURES) {
    problems.push('SIGNIN_LOCK_AFTER_FAILURES: must be greater than SIGNIN_CAPTCHA_AFTER_FAILURES');
  }
  if (e.SESSION_IDLE_WARNING_SECONDS >= e.SESSION_IDLE_MINUTES * 60) {
    problems.push('SESSION_IDLE_WARNING_SECONDS: must be shorter than SESSION_IDLE_MINUTES');
  }
  // Development: apps on this machine (any port) may receive back-channel logout; production names them.
  const allowList = (e.BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS ?? (isProduction ? [] : ['http://localhost:*', 'http://127.0.0.1:*'])).map((entry) => {
    const normalized = normalizeOriginPattern(entry);
    if (!normalized) problems.push(`BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS: "${entry}" is not an origin (scheme://host[:port], port may be *)`);
    return normalized ?? '';
  });
  if (problems.length) throw new ConfigError(problems);

  if (!e.COOKIE_KEYS) warnings.push('COOKIE_KEYS unset: cookie keys are generated and kept in the database');
  if (!e.SMTP_URL) warnings.push('SMTP_URL unset: mail goes to the local mail catcher, not to people');
  if (portalUrl.protocol !== 'https:') warnings.push('PORTAL_URL is not https: cookies are not marked Secure');
  // A passkey belongs to a host name (its WebAuthn rp ID); browsers refuse an address.
  if (isIP(portalUrl.hostname.replace(/^\[|\]$/g, ''))) warnings.push('PORTAL_URL names an IP address: browsers refuse passkeys there (WebAuthn needs a host name, e.g. localhost)');

  const config: PortalConfig = {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    portalUrl: e.PORTAL_URL,
    port: e.PORTAL_PORT ?? Number(portalUrl.port || (portalUrl.protocol === 'https:' ? 443 : 80)),
    host: e.PORTAL_HOST,
    trustProxy: e.TRUST_PROXY,
    keysRefreshSeconds: e.KEYS_REFRESH_SECONDS,
    shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
    shutdownTimeoutSeconds: e.SHUTDOWN_TIMEOUT_SECONDS,
    metricsToken: e.METRICS_TOKEN,
    secureCookies: portalUrl.protocol === 'https:',
    cookieNames: portalCookieNames(portalUrl.protocol === 'https:'),
    databaseUrl: e.DATABASE_URL,
    cookieKeys: e.COOKIE_KEYS,
    mail: {
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      catcherSmtpPort: e.MAILCATCHER_SMTP_PORT,
      catcherWebPort: e.MAILCATCHER_WEB_PORT,
      timeZone: e.MAIL_TIME_ZONE,
    },
    supportContact: e.SUPPORT_CONTACT ?? `Contact Customer Support: ${agency.supportPhone}, or ${agency.supportEmail}`,
    agency,
    links: { forms: e.FORMS_URL, userTraining: e.USER_TRAINING_URL },
    argon2: { memoryCost: e.ARGON2_MEMORY_KIB, timeCost: e.ARGON2_TIME_COST, parallelism: e.ARGON2_PARALLELISM },
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionIdleWarningSeconds: e.SESSION_IDLE_WARNING_SECONDS,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    accessTokenMinutes: e.ACCESS_TOKEN_MINUTES,
    refreshTokenHours: e.REFRESH_TOKEN_HOURS,
    pkceRequired: e.PKCE_REQUIRED,
    mfa: { requiredForStaff: e.MFA_REQUIRED_FOR_STAFF, requiredForStateRole: e.MFA_REQUIRED_FOR_STATE_ROLE },
    signInRateLimit: { perIpAndUsername: e.SIGNIN_RATE_LIMIT_PER_MINUTE, perIp: e.SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE },
    lockout: { captchaAfterFailures: e.SIGNIN_CAPTCHA_AFTER_FAILURES, lockAfterFailures: e.SIGNIN_LOCK_AFTER_FAILURES },
    espeakPath: e.ESPEAK_PATH.trim() || undefined,
    passwordPolicy: {
      minLength: e.PASSWORD_MIN_LENGTH,
      historySize: e.PASSWORD_HISTORY,
      maxAgeDays: e.PASSWORD_MAX_AGE_DAYS,
      expiryWarningDays: e.PASSWORD_EXPIRY_WARNING_DAYS,
    },
    recovery: {
      codeMinutes: e.RECOVERY_CODE_MINUTES,
      codeMaxAttempts: e.RECOVERY_CODE_MAX_ATTEMPTS,
      codeDigits: e.RECOVERY_CODE_DIGITS,
      resetIntervalHours: e.PASSWORD_RESET_INTERVAL_HOURS,
    },
    auaMaxAgeDays: e.AUA_MAX_AGE_DAYS,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    backchannelLogoutAllowedOrigins: allowList,
    demoData: e.DEMO_DATA ?? !isProduction,
    apps: {
      registry: { url: e.REGISTRY_URL, clientSecret: e.REGISTRY_CLIENT_SECRET },
      enrollment: { url: e.ENROLLMENT_URL, clientSecret: e.ENROLLMENT_CLIENT_SECRET },
      ordering: { url: e.ORDERING_URL, clientSecret: e.ORDERING_CLIENT_SECRET },
    },
    hl7Resource: e.HL7_RESOURCE ?? `${e.REGISTRY_URL.replace(/\/+$/, '')}/hl7/v2`,
    inventoryResource: e.INVENTORY_RESOURCE ?? `${e.ORDERING_URL.replace(/\/+$/, '')}/api/v1`,
    warnings,
  };
  return deepFreeze(config);
}

/** `https://app.example`, `http://10.0.0.5:8080` or `http://localhost:*` → its canonical form; else undefined. */
function normalizeOriginPattern(entry: string): string | undefined {
  const match = /^(https?):\/\/([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}|\*))?\/?$/.exec(entry.trim());
  if (!match) return undefined;
  const [, scheme, host, port] = match;
  if (port === '*') return `${scheme}://${host!.toLowerCase()}:*`;
  return new URL(`${scheme}://${host}${port ? `:${port}` : ''}`).origin;
}

/** Whether a URL's origin is on an allow-list of origins and `scheme://host:*` patterns. */
export function originAllowed(allowList: readonly string[], url: string): boolean {
  const target = new URL(url);
  return allowList.some((entry) =>
    entry.endsWith(':*') ? `${target.protocol}//${target.hostname}:*` === entry : target.origin === entry,
  );
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
