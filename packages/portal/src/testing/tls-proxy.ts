import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { promisify } from 'node:util';
import { freePort, haproxyBin } from './haproxy.js';

/**
 * HAProxy terminating TLS in front of sites that listen on plain http, as production runs them
 * (docs/operations.md, "The load balancer"): each site gets its own https origin on 127.0.0.1,
 * a self-signed certificate made for this run (openssl), X-Forwarded-For and X-Forwarded-Proto:
 * https for the site's TRUST_PROXY. The origins are known before anything starts (a portal's
 * PORTAL_URL, an app's own URL); `start` then points each at the address its server got.
 */
export interface TlsProxy<Site extends string> {
  /** The certificate (PEM), its own trust anchor: an undici Agent's `connect: { ca }`. */
  readonly certificate: string;
  /** The same in a file: NODE_EXTRA_CA_CERTS for a child process (its fetch, openid-client, jose). */
  readonly certificateFile: string;
  /** Each site's public origin, `https://127.0.0.1:<port>`. */
  readonly urls: Readonly<Record<Site, string>>;
  /** Starts HAProxy with each site's backend (`http://127.0.0.1:<port>`); resolves once every origin completes a TLS handshake. */
  start(backends: Readonly<Record<Site, string>>): Promise<void>;
  /** What HAProxy printed, for failure messages. */
  output(): string;
  /** Stops HAProxy and removes the certificate. Safe to call twice. */
  stop(): Promise<void>;
}

const opensslBin = process.env.OPENSSL_PATH ?? 'openssl';

export async function createTlsProxy<Site extends string>(sites: readonly Site[]): Promise<TlsProxy<Site>> {
  const dir = mkdtempSync(join(tmpdir(), 'portal-tls-'));
  const certificateFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  try {
    // P-256, a day: as small as a certificate gets. 127.0.0.1 (and localhost) in the SAN, which is what TLS clients check.
    await promisify(execFile)(opensslBin, [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', keyFile, '-out', certificateFile,
    ]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not make a certificate with ${opensslBin} (apt-get install -y openssl, or set OPENSSL_PATH): ${(err as Error).message}`);
  }
  const certificate = readFileSync(certificateFile, 'utf8');
  const pem = join(dir, 'site.pem');
  writeFileSync(pem, certificate + readFileSync(keyFile, 'utf8'));

  const ports = Object.fromEntries(await Promise.all(sites.map(async (site) => [site, await freePort()] as const))) as Record<Site, number>;
  const urls = Object.fromEntries(sites.map((site) => [site, `https://127.0.0.1:${ports[site]}`])) as Record<Site, string>;
  let haproxy: ReturnType<typeof spawn> | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = '';

  const handshake = (port: number) =>
    new Promise<void>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, ca: certificate }, () => {
        socket.end();
        resolve();
      });
      socket.once('error', reject);
    });

  return {
    certificate,
    certificateFile,
    urls,
    output: () => output,
    async start(backends) {
      const config = [
        'global',
        '  maxconn 500',
        'defaults',
        '  mode http',
        '  timeout connect 2s',
        '  timeout client 30s',
        '  timeout server 30s',
        ...sites.flatMap((site) => {
          const backend = new URL(backends[site]);
          return [
            `frontend ${site}`,
            `  bind 127.0.0.1:${ports[site]} ssl crt ${pem}`,
            // The client's own claims are not passed on: the site trusts these headers (TRUST_PROXY).
            '  http-request del-header X-Forwarded-For',
            '  option forwardfor',
            '  http-request set-header X-Forwarded-Proto https',
            `  default_backend ${site}`,
            `backend ${site}`,
            `  server ${site} ${backend.hostname}:${backend.port}`,
          ];
        }),
        '',
      ].join('\n');
      const cfg = join(dir, 'haproxy.cfg');
      writeFileSync(cfg, config);
      const child = spawn(haproxyBin, ['-f', cfg, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
      haproxy = child;
      child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      exited = new Promise((resolve) => child.once('exit', () => resolve()));
      child.once('error', (err) => (output += `could not start ${haproxyBin} (apt-get install -y haproxy, or set HAPROXY_PATH): ${err.message}\n`));
      const deadline = Date.now() + 10_000;
      for (const site of sites) {
        for (;;) {
          if (child.exitCode !== null || child.signalCode !== null || output.includes('could not start')) throw new Error(`HAProxy exited:\n${output}`);
          const ok = await handshake(ports[site]).then(() => true, () => false);
          if (ok) break;
          if (Date.now() > deadline) throw new Error(`HAProxy's ${site} frontend did not answer TLS within 10 s:\n${output}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    },
    async stop() {
      if (haproxy && haproxy.exitCode === null && haproxy.signalCode === null) haproxy.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
