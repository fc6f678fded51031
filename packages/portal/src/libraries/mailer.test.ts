import { defaultAgency, runWithPageContext } from '@portal/common';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { accountChangeNoticeMail, createMailer, resetCodeMail, supportNoticeMail, type MailLogger } from './mailer.js';
import { startSmtpReceiver } from '../testing/smtp-receiver.js';

const support = 'Contact Customer Support: 800-348-9158, option 2, or ImmTrac2@dshs.texas.gov';
const now = new Date('2026-11-24T21:15:00Z'); // 3:15 PM in Austin

function mail(overrides: Partial<Parameters<typeof resetCodeMail>[0]> = {}) {
  return resetCodeMail({
    name: 'Jane Smith',
    code: '004207',
    now,
    expiresAt: new Date(now.getTime() + 30 * 60_000),
    supportContact: support,
    ...overrides,
  });
}

function capturingLogger() {
  const lines: { level: string; fields: object; message: string }[] = [];
  const logger: MailLogger = {
    info: (fields, message) => lines.push({ level: 'info', fields, message }),
    error: (fields, message) => lines.push({ level: 'error', fields, message }),
  };
  return { logger, lines };
}

test('the reset-code mail gives the code on its own line, when it expires in Central time, and whom to call', () => {
  const { subject, text } = mail();
  expect(subject).toBe('Your HHS Enterprise Portal security code');
  expect(text.split('\n')).toContain('004207');
  expect(text).toContain('Hello Jane Smith,');
  expect(text).toContain('It expires in 30 minutes, at 3:45 PM CST on Tuesday, November 24, 2026, and works only once.');
  expect(text).toContain('If you did not ask for this code');
  expect(text).toContain(support);
});

test('in summer the expiry is given in daylight time, and one minute is singular', () => {
  const july = new Date('2026-07-04T17:04:00Z');
  const { text } = mail({ now: july, expiresAt: new Date(july.getTime() + 60_000) });
  expect(text).toContain('It expires in 1 minute, at 12:05 PM CDT on Saturday, July 4, 2026');
});

test('the HTML part shows the same code and escapes the name', () => {
  const { html } = mail({ name: '<b>Jane</b> & co' });
  expect(html).toContain('>004207</p>');
  expect(html).toContain('Hello &lt;b&gt;Jane&lt;/b&gt; &amp; co,');
  expect(html).not.toContain('<b>Jane');
  expect(html).toContain('3:45 PM CST');
});

test('a mail with no name on the account still reads properly', () => {
  expect(mail({ name: '  ' }).text.startsWith('Hello,\n')).toBe(true);
});

test('sending logs the recipient domain and message id, never the code, subject or address', async () => {
  const receiver = await startSmtpReceiver();
  const { logger, lines } = capturingLogger();
  const mailer = createMailer({ smtpUrl: receiver.smtpUrl, from: 'IdentityManagement@hsc.state.tx.us', logger });
  try {
    const sent = await mailer.send({ to: 'Jane.Smith@Clinic.Example.org', ...mail() });
    expect(sent.messageId).toMatch(/@/);
    expect(lines).toEqual([
      { level: 'info', fields: { mail: { recipientDomain: 'clinic.example.org', messageId: sent.messageId } }, message: 'mail sent' },
    ]);
    const logged = JSON.stringify(lines);
    for (const secret of ['004207', 'Jane.Smith', 'security code']) expect(logged).not.toContain(secret);
  } finally {
    mailer.close();
    await receiver.close();
  }
});

test('a failed send rejects and logs why, without the mail', async () => {
  // A port that was free a moment ago: nothing listens there.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));

  const { logger, lines } = capturingLogger();
  const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'IdentityManagement@hsc.state.tx.us', logger });
  await expect(mailer.send({ to: 'jane@clinic.example.org', ...mail() })).rejects.toThrow();
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ level: 'error', message: 'mail not sent', fields: { mail: { recipientDomain: 'clinic.example.org' } } });
  expect(JSON.stringify(lines)).not.toContain('004207');
  mailer.close();
});

test('asked for from a Spanish page, the reset mail is in Spanish, dates and all', () => {
  const now = new Date('2026-11-24T21:15:00Z');
  const mail = runWithPageContext({ agency: defaultAgency, locale: 'es' }, () =>
    resetCodeMail({ name: 'Pat Provider', code: '123456', expiresAt: new Date(now.getTime() + 30 * 60_000), now, supportContact: 'Comuníquese con Atención al Cliente.' }),
  );
  expect(mail.subject).toBe('Su código de seguridad de HHS Enterprise Portal');
  expect(mail.text).toContain('Hola, Pat Provider:');
  expect(mail.text).toContain('\n123456\n');
  expect(mail.text).toMatch(/Vence en 30 minutos, a las 3:45 p\. ?m\. CST del martes, 24 de noviembre de 2026, y sirve una sola vez\./);
  expect(mail.html).toContain('<html lang="es">');
});

test('the account notices come in the page\'s language: what changed, when (Central time), whom to call', () => {
  const at = new Date('2026-11-24T21:15:00Z');
  const spanish = <T>(fn: () => T) => runWithPageContext({ agency: defaultAgency, locale: 'es' }, fn);
  const unlocked = () => supportNoticeMail({ name: 'Pat Provider', what: { kind: 'unlocked' }, at, supportContact: support });
  expect(unlocked().subject).toBe('Customer Support made a change to your HHS Enterprise Portal account');
  expect(unlocked().text).toMatch(/^Hello Pat Provider,\n\nCustomer Support unlocked your account at 3:15 PM CST on Tuesday, November 24, 2026\.\n/);
  const es = spanish(unlocked);
  expect(es.subject).toBe('Atención al Cliente hizo un cambio en su cuenta de HHS Enterprise Portal');
  expect(es.text).toMatch(/^Hola, Pat Provider:\n\nAtención al Cliente desbloqueó su cuenta a las 3:15 p\. ?m\. CST del martes, 24 de noviembre de 2026\.\n/);
  expect(es.text).toContain('Si usted no lo pidió, comuníquese de inmediato con Atención al Cliente:');
  expect(es.html).toContain('<html lang="es">');

  const details = spanish(() => supportNoticeMail({ name: '', what: { kind: 'detailsChanged', fields: ['name', 'phone'] }, at, supportContact: support }));
  expect(details.text).toMatch(/^Hola:\n\nAtención al Cliente cambió el nombre y el teléfono de su cuenta a las /);
  expect(supportNoticeMail({ name: 'Pat', what: { kind: 'roleGiven', role: 'helpdesk' }, at, supportContact: support }).text).toContain('Customer Support gave your account the help desk role at 3:15 PM CST');

  const passkey = (name: string) => accountChangeNoticeMail({ name: 'Pat Provider', what: { kind: 'passkeyAdded', name }, at, supportContact: support });
  expect(passkey('Work laptop').subject).toBe('Two-step verification changed on your HHS Enterprise Portal account');
  expect(passkey('Work laptop').text).toContain('A passkey named "Work laptop" was added to your account at 3:15 PM CST on Tuesday, November 24, 2026. It signs you in');
  const esPasskey = spanish(() => passkey('<b>Laptop</b>'));
  expect(esPasskey.subject).toBe('Se cambió la verificación en dos pasos de su cuenta de HHS Enterprise Portal');
  expect(esPasskey.text).toMatch(/A las 3:15 p\. ?m\. CST del martes, 24 de noviembre de 2026 se agregó a su cuenta una llave de acceso llamada «<b>Laptop<\/b>»\./);
  expect(esPasskey.text).toContain('Si usted hizo este cambio, no tiene que hacer nada más.');
  expect(esPasskey.html).toContain('«&lt;b&gt;Laptop&lt;/b&gt;»'); // a name is the person's words, escaped in the HTML part
  // A caller may name the language (a mail sent outside any page).
  expect(accountChangeNoticeMail({ name: 'Pat', what: { kind: 'turnedOff' }, at, supportContact: support, locale: 'es' }).text).toContain('se desactivó la verificación en dos pasos de su cuenta');
});
