import nodemailer from 'nodemailer';
import { addCatalogue, currentPageContext, html, intlLocale, translator, type Locale } from '@portal/common';
import { mailCatalogue } from '../locales/mail.js';
import { dateIn, timeIn } from './dates.js';

addCatalogue('mail', mailCatalogue);

/** The two log methods the mailer uses; a pino Logger fits. */
export interface MailLogger {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * Outgoing mail over real SMTP (SPEC §3.6). Mails carry security codes, so nothing but the
 * recipient's domain and the message id is logged: no body, no subject, no full address.
 */
export function createMailer({ smtpUrl, from, logger }: { smtpUrl: string; from: string; logger: MailLogger }) {
  const transport = nodemailer.createTransport(smtpUrl);
  const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

  return {
    async send(mail: Mail): Promise<{ messageId: string }> {
      const recipientDomain = domainOf(mail.to);
      try {
        const info = await transport.sendMail({ from, ...mail });
        logger.info({ mail: { recipientDomain, messageId: info.messageId } }, 'mail sent');
        return { messageId: info.messageId };
      } catch (error) {
        // The error's own message can quote the SMTP dialogue; its code is enough to act on.
        const reason = (error as { code?: string }).code ?? (error as Error).name;
        logger.error({ mail: { recipientDomain, reason } }, 'mail not sent');
        throw error;
      }
    },
    close(): void {
      transport.close();
    },
  };
}

export type Mailer = ReturnType<typeof createMailer>;

/**
 * The words of a mail in the language of the page it was asked for or caused from (the request's
 * page context), unless the caller names one; dates and times in that language too.
 */
function mailWords(locale: Locale | undefined) {
  const chosen = locale ?? currentPageContext().locale;
  const t = translator(chosen, 'mail');
  return {
    locale: chosen,
    t: (key: string, values: Record<string, unknown> = {}) => t(key, values) as string,
    greeting: (name: string) => (name.trim() ? (t('hello', { name: name.trim() }) as string) : (t('helloNoName') as string)),
    /** `{time}` and `{date}` of `at` for a sentence of the catalogue. */
    at: (at: Date, timeZone: string) => ({ time: timeIn(at, timeZone, chosen), date: dateIn(at, timeZone, chosen) }),
    /** "It expires in 30 minutes, at 3:45 PM CST on Tuesday, November 24, 2026, and works only once." */
    expiry: (expiresAt: Date, now: Date, timeZone: string) => {
      const count = Math.max(0, Math.round((expiresAt.getTime() - now.getTime()) / 60_000));
      return t('expiry', { count, time: timeIn(expiresAt, timeZone, chosen), date: dateIn(expiresAt, timeZone, chosen) }) as string;
    },
  };
}

export interface ResetCodeMailInput {
  name: string;
  code: string;
  expiresAt: Date;
  /** When the code was made (the injected clock), for "expires in N minutes". */
  now: Date;
  supportContact: string;
  /** The programme is run from Austin; most of Texas keeps Central time. */
  timeZone?: string;
  /** Sent by Customer Support: where to enter it (the Forgot Password page that waits for this code). */
  continueUrl?: string;
  /** The mail's language; default the current page's. */
  locale?: Locale;
}

/** The security-code mail of Forgot Password and of the help desk's "send a reset code". */
export function resetCodeMail({ name, code, expiresAt, now, supportContact, timeZone = 'America/Chicago', continueUrl, locale }: ResetCodeMailInput) {
  const w = mailWords(locale);
  const greeting = w.greeting(name);
  const where = continueUrl ? w.t('reset.whereSupport', { url: continueUrl }) : w.t('reset.where');
  const expiry = w.expiry(expiresAt, now, timeZone);
  const notYou = w.t('reset.notYou');
  const neverAsk = w.t('neverAsk');
  const intro = w.t('reset.intro');

  const text = [
    greeting,
    '',
    intro,
    '',
    code, // alone on its line, exactly as it is typed
    '',
    `${where} ${expiry}`,
    '',
    notYou,
    supportContact,
    '',
    neverAsk,
    '',
  ].join('\n');

  const body = html`<!doctype html>
<html lang="${w.locale}"><body style="font-family: Arial, sans-serif; font-size: 16px">
<p>${greeting}</p>
<p>${intro}</p>
<p style="font-size: 28px; font-weight: bold; font-family: monospace">${code}</p>
<p>${where} ${expiry}</p>
<p>${notYou}<br>${supportContact}</p>
<p>${neverAsk}</p>
</body></html>
`;

  return { subject: w.t('reset.subject'), text, html: body.value };
}

export interface EmailChangeCodeMailInput {
  name: string;
  code: string;
  expiresAt: Date;
  now: Date;
  supportContact: string;
  timeZone?: string;
  locale?: Locale;
}

/** My Profile → a new email address: the code that proves the person reads it (sent to the NEW address). */
export function emailChangeCodeMail({ name, code, expiresAt, now, supportContact, timeZone = 'America/Chicago', locale }: EmailChangeCodeMailInput) {
  const w = mailWords(locale);
  const expiry = w.expiry(expiresAt, now, timeZone);
  const greeting = w.greeting(name);
  const what = w.t('emailChange.what');
  const notYou = w.t('emailChange.notYou');
  const neverAsk = w.t('neverAsk');

  const text = [greeting, '', what, '', code, '', expiry, '', notYou, supportContact, '', neverAsk, ''].join('\n');
  const body = html`<!doctype html>
<html lang="${w.locale}"><body style="font-family: Arial, sans-serif; font-size: 16px">
<p>${greeting}</p>
<p>${what}</p>
<p style="font-size: 28px; font-weight: bold; font-family: monospace">${code}</p>
<p>${expiry}</p>
<p>${notYou}<br>${supportContact}</p>
<p>${neverAsk}</p>
</body></html>
`;
  return { subject: w.t('emailChange.subject'), text, html: body.value };
}

/** "j***@example.org": enough for the owner to recognise an address, not a copy of it. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

export interface EmailChangedNoticeInput {
  name: string;
  newEmail: string;
  changedAt: Date;
  supportContact: string;
  timeZone?: string;
  locale?: Locale;
}

/**
 * Sent to the OLD address after an email change: if someone else made it (a session left open, a
 * stolen password), the owner hears of it where the attacker cannot delete the mail. No code in it.
 */
export function emailChangedNoticeMail({ name, newEmail, changedAt, supportContact, timeZone = 'America/Chicago', locale }: EmailChangedNoticeInput) {
  const w = mailWords(locale);
  const greeting = w.greeting(name);
  const what = w.t('emailChanged.what', { email: maskEmail(newEmail), ...w.at(changedAt, timeZone) });
  const ok = w.t('changeOk');
  const notYou = w.t('changeNotYou');

  const text = [greeting, '', what, '', ok, '', notYou, supportContact, ''].join('\n');
  const body = html`<!doctype html>
<html lang="${w.locale}"><body style="font-family: Arial, sans-serif; font-size: 16px">
<p>${greeting}</p>
<p>${what}</p>
<p>${ok}</p>
<p>${notYou}<br>${supportContact}</p>
</body></html>
`;
  return { subject: w.t('emailChanged.subject'), text, html: body.value };
}

/** What Customer Support or an administrator did, as the notice names it (`mail.supportChanged.*`). */
export type SupportChange =
  | { kind: 'unlocked' | 'temporaryPassword' | 'resetAllowed' | 'twoStepRemoved' | 'signedOut' | 'disabled' | 'enabled' | 'roleRemoved' }
  | { kind: 'detailsChanged'; fields: readonly ('name' | 'email' | 'phone')[] }
  | { kind: 'roleGiven'; role: 'admin' | 'helpdesk' }
  | { kind: 'accessChanged' | 'accessRemoved'; org: string };

export interface SupportNoticeInput {
  name: string;
  what: SupportChange;
  at: Date;
  supportContact: string;
  timeZone?: string;
  locale?: Locale;
}

/**
 * Told to the account holder whenever Customer Support or an administrator acts on their account
 * (issue #8): if they did not ask for it, they hear of it. Never a password or a code in it.
 */
export function supportNoticeMail({ name, what, at, supportContact, timeZone = 'America/Chicago', locale }: SupportNoticeInput) {
  const w = mailWords(locale);
  const greeting = w.greeting(name);
  const values: Record<string, unknown> = { ...w.at(at, timeZone) };
  if (what.kind === 'detailsChanged') values.fields = new Intl.ListFormat(intlLocale[w.locale], { type: 'conjunction' }).format(what.fields.map((f) => w.t(`supportChanged.fields.${f}`)));
  if (what.kind === 'roleGiven') values.role = w.t(`supportChanged.roles.${what.role}`);
  if (what.kind === 'accessChanged' || what.kind === 'accessRemoved') values.org = what.org;
  const done = w.t(`supportChanged.${what.kind}`, values);
  const notYou = w.t('supportChanged.notYou');
  const text = [greeting, '', done, '', notYou, supportContact, ''].join('\n');
  const body = html`<!doctype html>
<html lang="${w.locale}"><body style="font-family: Arial, sans-serif; font-size: 16px">
<p>${greeting}</p>
<p>${done}</p>
<p>${notYou}<br>${supportContact}</p>
</body></html>
`;
  return { subject: w.t('supportChanged.subject'), text, html: body.value };
}

/** A change to a person's two-step verification, as the notice names it (`mail.twoStepChanged.*`). */
export type TwoStepChange = { kind: 'totpSetUp' | 'recoveryCodesRenewed' | 'appRemoved' | 'turnedOff' } | { kind: 'passkeyAdded' | 'passkeyRemoved'; name: string };

export interface AccountChangeNoticeInput {
  name: string;
  what: TwoStepChange;
  at: Date;
  supportContact: string;
  timeZone?: string;
  locale?: Locale;
}

/**
 * Told to the account holder when a way to sign in is added or removed by themselves (issue #10):
 * someone with their password alone must not be able to change it unnoticed. No code, no key in it.
 */
export function accountChangeNoticeMail({ name, what, at, supportContact, timeZone = 'America/Chicago', locale }: AccountChangeNoticeInput) {
  const w = mailWords(locale);
  const greeting = w.greeting(name);
  const when = w.t(`twoStepChanged.${what.kind}`, { ...w.at(at, timeZone), ...('name' in what ? { name: what.name } : {}) });
  const ok = w.t('changeOk');
  const notYou = w.t('changeNotYou');
  const text = [greeting, '', when, '', ok, '', notYou, supportContact, ''].join('\n');
  const body = html`<!doctype html>
<html lang="${w.locale}"><body style="font-family: Arial, sans-serif; font-size: 16px">
<p>${greeting}</p>
<p>${when}</p>
<p>${ok}</p>
<p>${notYou}<br>${supportContact}</p>
</body></html>
`;
  return { subject: w.t('twoStepChanged.subject'), text, html: body.value };
}
