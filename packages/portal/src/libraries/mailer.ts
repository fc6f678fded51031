import nodemailer from 'nodemailer';
import { html } from '@portal/common';

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

// ICU may put a narrow no-break space before "PM"; plain text mail reads best with a plain one.
const plainSpaces = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');
const timeIn = (at: Date, timeZone: string) =>
  plainSpaces(new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(at));
const dateIn = (at: Date, timeZone: string) =>
  plainSpaces(new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }).format(at));

const greetingFor = (name: string) => (name.trim() ? `Hello ${name.trim()},` : 'Hello,');

/** "It expires in 30 minutes, at 3:45 PM CST on Tuesday, November 24, 2026, and works only once." */
function expirySentence(expiresAt: Date, now: Date, timeZone: string): string {
  const minutes = Math.max(0, Math.round((expiresAt.getTime() - now.getTime()) / 60_000));
  return `It expires in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}, at ${timeIn(expiresAt, timeZone)} on ${dateIn(expiresAt, timeZone)}, and works only once.`;
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
}

/** The security-code mail of Forgot Password and of the help desk's "send a reset code". */
export function resetCodeMail({ name, code, expiresAt, now, supportContact, timeZone = 'America/Chicago', continueUrl }: ResetCodeMailInput) {
  const greeting = greetingFor(name);
  const where = continueUrl
    ? `Customer Support sent you this code. Open ${continueUrl} and enter it there to reset your password.`
    : 'Enter it on the Forgot Password page to reset your password.';
  const expiry = expirySentence(expiresAt, now, timeZone);
  const notYou = 'If you did not ask for this code, someone may be trying to get into your account.';
  const neverAsk = 'Do not give this code to anyone, even someone who says they are from Customer Support.';

  const text = [
    greeting,
    '',
    'Your HHS Enterprise Portal security code is:',
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
<html lang="en"><body style="font-family: Arial, sans-serif; font-size: 16px">
<p>${greeting}</p>
<p>Your HHS Enterprise Portal security code is:</p>
<p style="font-size: 28px; font-weight: bold; font-family: monospace">${code}</p>
<p>${where} ${expiry}</p>
<p>${notYou}<br>${supportContact}</p>
<p>${neverAsk}</p>
</body></html>
`;

  return { subject: 'Your HHS Enterprise Portal security code', text, html: body.value };
}

// ICU may put a narrow no-break space before "PM"; plain text mail reads best with a plain one.
export interface EmailChangeCodeMailInput {
  name: string;
  code: string;
  expiresAt: Date;
  now: Date;
  supportContact: string;
  timeZone?: string;
}

/** My Profile → a new email address: the code that proves the person reads it (sent to the NEW address). */
export function emailChangeCodeMail({ name, code, expiresAt, now, supportContact, timeZone = 'America/Chicago' }: EmailChangeCodeMailInput) {
  const expiry = expirySentence(expiresAt, now, timeZone);
  const greeting = greetingFor(name);
  const what = 'Someone asked to use this address for their HHS Enterprise Portal account. To confirm it, enter this code on the My Profile page:';
  const notYou = 'If you did not ask for this, ignore this email: the address will not be used.';
  const neverAsk = 'Do not give this code to anyone, even someone who says they are from Customer Support.';

  const text = [greeting, '', what, '', code, '', expiry, '', notYou, supportContact, '', neverAsk, ''].join('\n');
  const body = html`<!doctype html>
<html lang="en"><body style="font-family: Arial, sans-serif; font-size: 16px">
<p>${greeting}</p>
<p>${what}</p>
<p style="font-size: 28px; font-weight: bold; font-family: monospace">${code}</p>
<p>${expiry}</p>
<p>${notYou}<br>${supportContact}</p>
<p>${neverAsk}</p>
</body></html>
`;
  return { subject: 'Confirm your new HHS Enterprise Portal email address', text, html: body.value };
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
}

/**
 * Sent to the OLD address after an email change: if someone else made it (a session left open, a
 * stolen password), the owner hears of it where the attacker cannot delete the mail. No code in it.
 */
export function emailChangedNoticeMail({ name, newEmail, changedAt, supportContact, timeZone = 'America/Chicago' }: EmailChangedNoticeInput) {
  const greeting = greetingFor(name);
  const what = `The email address on your HHS Enterprise Portal account was changed to ${maskEmail(newEmail)} at ${timeIn(changedAt, timeZone)} on ${dateIn(changedAt, timeZone)}. Mail from the portal now goes to that address.`;
  const ok = 'If you made this change, there is nothing more to do.';
  const notYou = 'If you did not make this change, contact Customer Support at once:';

  const text = [greeting, '', what, '', ok, '', notYou, supportContact, ''].join('\n');
  const body = html`<!doctype html>
<html lang="en"><body style="font-family: Arial, sans-serif; font-size: 16px">
<p>${greeting}</p>
<p>${what}</p>
<p>${ok}</p>
<p>${notYou}<br>${supportContact}</p>
</body></html>
`;
  return { subject: 'Your HHS Enterprise Portal email address was changed', text, html: body.value };
}

export interface SupportNoticeInput {
  name: string;
  /** What was done, as it completes "Customer Support …": "unlocked your account". */
  what: string;
  at: Date;
  supportContact: string;
  timeZone?: string;
}

/**
 * Told to the account holder whenever Customer Support or an administrator acts on their account
 * (issue #8): if they did not ask for it, they hear of it. Never a password or a code in it.
 */
export function supportNoticeMail({ name, what, at, supportContact, timeZone = 'America/Chicago' }: SupportNoticeInput) {
  const greeting = greetingFor(name);
  const done = `Customer Support ${what} at ${timeIn(at, timeZone)} on ${dateIn(at, timeZone)}.`;
  const notYou = 'If you did not ask for this, contact Customer Support at once:';
  const text = [greeting, '', done, '', notYou, supportContact, ''].join('\n');
  const body = html`<!doctype html>
<html lang="en"><body style="font-family: Arial, sans-serif; font-size: 16px">
<p>${greeting}</p>
<p>${done}</p>
<p>${notYou}<br>${supportContact}</p>
</body></html>
`;
  return { subject: 'Customer Support made a change to your HHS Enterprise Portal account', text, html: body.value };
}

export interface AccountChangeNoticeInput {
  name: string;
  /** A whole sentence about what changed, without the time: "An authenticator app was added to your account." */
  what: string;
  at: Date;
  supportContact: string;
  timeZone?: string;
}

/**
 * Told to the account holder when a way to sign in is added or removed by themselves (issue #10):
 * someone with their password alone must not be able to change it unnoticed. No code, no key in it.
 */
export function accountChangeNoticeMail({ name, what, at, supportContact, timeZone = 'America/Chicago' }: AccountChangeNoticeInput) {
  const greeting = greetingFor(name);
  const when = `${what.replace(/\.$/, '')} at ${timeIn(at, timeZone)} on ${dateIn(at, timeZone)}.`;
  const ok = 'If you made this change, there is nothing more to do.';
  const notYou = 'If you did not make this change, contact Customer Support at once:';
  const text = [greeting, '', when, '', ok, '', notYou, supportContact, ''].join('\n');
  const body = html`<!doctype html>
<html lang="en"><body style="font-family: Arial, sans-serif; font-size: 16px">
<p>${greeting}</p>
<p>${when}</p>
<p>${ok}</p>
<p>${notYou}<br>${supportContact}</p>
</body></html>
`;
  return { subject: 'Two-step verification changed on your HHS Enterprise Portal account', text, html: body.value };
}
