import nodemailer from 'nodemailer';
import { createMailer, resetCodeMail } from '../libraries/mailer.js';
import { startSmtpReceiver } from '../testing/smtp-receiver.js';
import { startMailCatcher, type CaughtMail, type MailCatcher } from './mail-catcher.js';

const silent = { info: () => {}, error: () => {} };
let catcher: MailCatcher;

beforeEach(async () => {
  catcher = await startSmtpReceiver();
});
afterEach(async () => {
  await catcher.close();
});

async function sendResetCode(to: string, code: string) {
  const mailer = createMailer({ smtpUrl: catcher.smtpUrl, from: 'IdentityManagement@hsc.state.tx.us', logger: silent });
  const now = new Date();
  try {
    await mailer.send({
      to,
      ...resetCodeMail({ name: 'Jane Smith', code, now, expiresAt: new Date(now.getTime() + 30 * 60_000), supportContact: 'Call 800-348-9158' }),
    });
  } finally {
    mailer.close();
  }
}

test('a reset code sent by the mailer over SMTP reads back intact from the JSON API', async () => {
  await sendResetCode('jane@clinic.example.org', '004207');

  const response = await fetch(`${catcher.webUrl}/api/messages`);
  expect(response.headers.get('content-type')).toBe('application/json');
  const messages = (await response.json()) as CaughtMail[];
  expect(messages).toHaveLength(1);
  expect(messages[0]).toMatchObject({
    from: 'IdentityManagement@hsc.state.tx.us',
    to: ['jane@clinic.example.org'],
    subject: 'Your HHS Enterprise Portal security code',
  });
  expect(messages[0]!.text.split('\n')).toContain('004207');
  expect(messages[0]!.text).toContain('Call 800-348-9158');

  const one = await fetch(`${catcher.webUrl}/api/messages/${messages[0]!.id}`);
  expect(await one.json()).toEqual(messages[0]);
});

test('the web inbox lists mail newest first and shows a message as escaped text', async () => {
  await sendResetCode('first@clinic.example.org', '111111');
  const transport = nodemailer.createTransport(catcher.smtpUrl);
  await transport.sendMail({
    from: 'someone@example.org',
    to: 'second@clinic.example.org',
    subject: 'Hello <img src=x onerror=alert(1)>',
    text: 'Look: <script>alert("x")</script>',
  });
  transport.close();

  const inbox = await (await fetch(`${catcher.webUrl}/`)).text();
  expect(inbox.indexOf('second@clinic.example.org')).toBeGreaterThan(-1);
  expect(inbox.indexOf('second@clinic.example.org')).toBeLessThan(inbox.indexOf('first@clinic.example.org'));
  expect(inbox).toContain('Your HHS Enterprise Portal security code');
  expect(inbox).toContain('Hello &lt;img src=x onerror=alert(1)&gt;');
  expect(inbox).not.toContain('<img');

  const newest = catcher.messages()[0]!;
  const page = await fetch(`${catcher.webUrl}/messages/${newest.id}`);
  expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  const body = await page.text();
  expect(body).toContain('<pre>Look: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  expect(body).not.toContain('<script>');

  expect((await fetch(`${catcher.webUrl}/messages/999`)).status).toBe(404);
  expect((await fetch(`${catcher.webUrl}/api/messages/999`)).status).toBe(404);
  expect((await fetch(`${catcher.webUrl}/api/messages`, { method: 'DELETE' })).status).toBe(405);
});

test('waitFor finds a mail that arrives later, or one already caught, and gives up after its time', async () => {
  const later = catcher.waitFor((mail) => mail.to.includes('late@clinic.example.org'));
  await sendResetCode('late@clinic.example.org', '222222');
  expect((await later).text).toContain('222222');

  const again = await catcher.waitFor((mail) => mail.to.includes('late@clinic.example.org'), 10);
  expect(again.text).toContain('222222');

  await expect(catcher.waitFor((mail) => mail.to.includes('nobody@example.org'), 50)).rejects.toThrow(/no matching mail within 50 ms/);
});

test('only the newest mails are kept', async () => {
  const small = await startMailCatcher({ smtpPort: 0, webPort: 0, keep: 3 });
  const { hostname, port } = new URL(small.smtpUrl);
  const transport = nodemailer.createTransport({ host: hostname, port: Number(port), pool: true });
  try {
    for (let i = 1; i <= 5; i++) {
      await transport.sendMail({ from: 'a@example.org', to: 'b@example.org', subject: `number ${i}`, text: String(i) });
    }
    expect(small.messages().map((mail) => mail.subject)).toEqual(['number 5', 'number 4', 'number 3']);
  } finally {
    transport.close();
    await small.close();
  }
});

test('a busy port is reported, not thrown as an unhandled event', async () => {
  const smtpPort = Number(new URL(catcher.smtpUrl).port);
  await expect(startMailCatcher({ smtpPort, webPort: 0 })).rejects.toThrow(/EADDRINUSE/);
});
