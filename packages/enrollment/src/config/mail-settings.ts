import { z } from 'zod';

/**
 * Syntropi's mail settings: the same variables and defaults as the portal's (packages/portal
 * src/config): SMTP_URL, MAIL_FROM (default IdentityManagement@hsc.state.tx.us), and without
 * SMTP_URL outside production the development mail catcher on MAILCATCHER_SMTP_PORT (2525), which
 * the portal starts in development. Production without SMTP_URL is refused at start.
 */
const schema = z.object({
  NODE_ENV: z.string().default('development'),
  SMTP_URL: z.string().url('must be a URL like smtp://mail.example.org:587').optional(),
  MAIL_FROM: z.string().email('must be an email address').default('IdentityManagement@hsc.state.tx.us'),
  MAILCATCHER_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(2525),
});

export interface MailSettings {
  smtpUrl: string;
  from: string;
  /** True when mail goes to the local catcher, not to people (development). */
  catcher: boolean;
}

export class MailSettingsError extends Error {}

export function readMailSettings(env: Record<string, string | undefined> = process.env): MailSettings {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(blanksRemoved);
  if (!parsed.success) throw new MailSettingsError(`Invalid configuration:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  const e = parsed.data;
  if (e.SMTP_URL) return { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, catcher: false };
  if (e.NODE_ENV === 'production') throw new MailSettingsError('Invalid configuration:\n  - SMTP_URL: required in production (the mail catcher is for development only)');
  return { smtpUrl: `smtp://localhost:${e.MAILCATCHER_SMTP_PORT}`, from: e.MAIL_FROM, catcher: true };
}
