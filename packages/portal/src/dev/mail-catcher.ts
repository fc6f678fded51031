import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { html, type SafeHtml } from '@portal/common';

/**
 * Development mail catcher (SPEC §6): when no SMTP_URL is set the portal mails here, and a person
 * reads the emailed code in a web inbox. It holds reset codes, so it listens on loopback unless
 * told otherwise, and shows only the text body, escaped: a mail's HTML never runs in the inbox.
 */
export interface CaughtMail {
  id: string;
  receivedAt: string;
  /** Envelope sender and recipients (what SMTP was told, Bcc included). */
  from: string;
  to: string[];
  subject: string;
  text: string;
}

export interface MailCatcher {
  smtpUrl: string;
  webUrl: string;
  /** Newest first. */
  messages(): CaughtMail[];
  /** The newest mail matching `predicate`, already caught or arriving within `ms`. */
  waitFor(predicate: (mail: CaughtMail) => boolean, ms?: number): Promise<CaughtMail>;
  close(): Promise<void>;
}

export async function startMailCatcher({
  smtpPort,
  webPort,
  host = '127.0.0.1',
  keep = 200,
}: {
  smtpPort: number;
  webPort: number;
  host?: string;
  /** How many of the newest mails are kept in memory. */
  keep?: number;
}): Promise<MailCatcher> {
  const caught: CaughtMail[] = []; // newest first
  const waiters = new Set<{ predicate: (mail: CaughtMail) => boolean; resolve: (mail: CaughtMail) => void; reject: (e: Error) => void }>();
  let nextId = 1;

  const smtp = new SMTPServer({
    disableReverseLookup: true,
    // Loopback development only: no TLS, and any credentials in SMTP_URL are accepted.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anyone' }),
    size: 10 * 1024 * 1024,
    closeTimeout: 1000,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail: CaughtMail = {
            id: String(nextId++),
            receivedAt: new Date().toISOString(),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
          };
          caught.unshift(mail);
          caught.length = Math.min(caught.length, keep);
          for (const waiter of waiters) {
            try {
              if (waiter.predicate(mail)) waiter.resolve(mail);
            } catch (error) {
              waiter.reject(error as Error); // a broken predicate fails its waiter, not the delivery
            }
          }
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });

  const web = createServer((req, res) => serve(req, res, caught));

  const smtpAddress = await listen(smtp.server, () => smtp.listen(smtpPort, host), smtp);
  const webAddress = await listen(web, () => web.listen(webPort, host), web).catch(async (error: Error) => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    throw error;
  });
  // A client hanging up mid-session is reported as an 'error' event, which must not stop the catcher.
  smtp.on('error', () => {});
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    smtpUrl: `smtp://${urlHost}:${smtpAddress.port}`,
    webUrl: `http://${urlHost}:${webAddress.port}`,
    messages: () => caught.map((mail) => ({ ...mail, to: [...mail.to] })),
    waitFor(predicate, ms = 5000) {
      const already = caught.find(predicate);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (mail: CaughtMail) => done(() => resolve(mail)),
          reject: (error: Error) => done(() => reject(error)),
        };
        const timer = setTimeout(() => waiter.reject(new Error(`mail catcher: no matching mail within ${ms} ms`)), ms);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          settle();
        };
        waiters.add(waiter);
      });
    },
    async close() {
      for (const waiter of waiters) waiter.reject(new Error('mail catcher closed'));
      web.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => smtp.close(() => resolve())),
        new Promise<void>((resolve) => web.close(() => resolve())),
      ]);
    },
  };
}

/** Listens, turning "port in use" into a rejected promise instead of an unhandled 'error' event. */
function listen(server: Server, start: () => void, emitter: NodeJS.EventEmitter): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    emitter.once('error', reject);
    server.once('listening', () => {
      emitter.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
    start();
  });
}

function serve(req: IncomingMessage, res: ServerResponse, caught: CaughtMail[]): void {
  const path = new URL(req.url ?? '/', 'http://catcher').pathname;
  const byId = (id: string) => caught.find((mail) => mail.id === id);
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'Method not allowed');

  if (path === '/api/messages') return send(res, 200, 'application/json', JSON.stringify(caught));
  const apiMatch = /^\/api\/messages\/([0-9]+)$/.exec(path);
  if (apiMatch) {
    const mail = byId(apiMatch[1]!);
    return mail ? send(res, 200, 'application/json', JSON.stringify(mail)) : send(res, 404, 'application/json', '{"error":"not_found"}');
  }
  if (path === '/') return page(res, 200, 'Mail catcher', inbox(caught));
  const pageMatch = /^\/messages\/([0-9]+)$/.exec(path);
  const mail = pageMatch ? byId(pageMatch[1]!) : undefined;
  if (mail) return page(res, 200, mail.subject || '(no subject)', message(mail));
  return page(res, 404, 'Not found', html`<p>No such message. <a href="/">Back to the inbox</a></p>`);
}

function inbox(caught: CaughtMail[]): SafeHtml {
  if (caught.length === 0) return html`<p>No mail yet. Mail sent to this catcher appears here.</p>`;
  return html`<table>
<thead><tr><th>Received</th><th>To</th><th>Subject</th></tr></thead>
<tbody>${caught.map(
    (mail) => html`<tr><td>${mail.receivedAt}</td><td>${mail.to.join(', ')}</td><td><a href="/messages/${mail.id}">${mail.subject || '(no subject)'}</a></td></tr>
`,
  )}</tbody></table>`;
}

function message(mail: CaughtMail): SafeHtml {
  return html`<p><a href="/">Back to the inbox</a></p>
<dl><dt>Received</dt><dd>${mail.receivedAt}</dd><dt>From</dt><dd>${mail.from}</dd><dt>To</dt><dd>${mail.to.join(', ')}</dd></dl>
<pre>${mail.text}</pre>`;
}

function page(res: ServerResponse, status: number, title: string, body: SafeHtml): void {
  const document = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1>
${body}
</body></html>
`;
  send(res, status, 'text/html; charset=utf-8', document.value);
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    // Nothing in the inbox needs scripts, styles or frames: a hostile mail gains nothing.
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}
