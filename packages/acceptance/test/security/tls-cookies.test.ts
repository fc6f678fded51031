import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';
import { createTlsProxy, freePort, freshDatabase, HttpAgent, parseForm, recordSecurityResult, startTestPortal, textOf, type AgentResponse, type TestPortal, type TlsProxy } from '@portal/portal/testing';

/**
 * Cookies behind TLS (issue 14 §5): the portal and Syntropi each behind HAProxy terminating TLS
 * with a certificate made for this run, X-Forwarded-Proto: https, TRUST_PROXY as in production. A
 * person opens Syntropi, signs in at the portal (a first sign-in: AUA and security questions),
 * switches language in both, starts a Forgot Password, and signs out. Every Set-Cookie on the way
 * must be HttpOnly, SameSite, Secure and carry its prefix: `__Host-` (Path=/, no Domain), or
 * `__Secure-` for oidc-provider's two cookies scoped to one interaction's path. The test's browser
 * keeps cookies by a browser's rules (below), so a cookie a browser would drop breaks the sign-in.
 *
 * Nothing here turns certificate checks off: the test's fetch trusts the run's certificate through
 * an undici Agent (`connect: { ca }`), and Syntropi runs as its own process (its sources through
 * tsx, as `npm start` runs it) with NODE_EXTRA_CA_CERTS, so its discovery and token calls to the
 * portal's https issuer verify the certificate too.
 */
const password = 'Correct-Horse-9!';
const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** One Set-Cookie line as received: where from, its name and its attributes (names lower-cased). */
interface SetCookie {
  url: string;
  line: string;
  name: string;
  deletes: boolean;
  attributes: Map<string, string>;
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
  secure: boolean;
}

function parseSetCookie(url: string, line: string): SetCookie {
  const [pair, ...rest] = line.split(';');
  const eq = pair!.indexOf('=');
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const at = part.indexOf('=');
    const key = (at < 0 ? part : part.slice(0, at)).trim().toLowerCase();
    if (key) attributes.set(key, at < 0 ? '' : part.slice(at + 1).trim());
  }
  const value = pair!.slice(eq + 1).trim();
  const maxAge = attributes.get('max-age');
  const expires = attributes.get('expires');
  const deletes = value === '' || (maxAge !== undefined && Number(maxAge) <= 0) || (expires !== undefined && Date.parse(expires) < Date.now());
  return { url, line, name: pair!.slice(0, eq).trim(), deletes, attributes };
}

/**
 * A browser's cookie jar, as far as this test needs one (RFC 6265bis §5.7): cookies per host name
 * (not port), sent only on their path and Secure ones only over https; a Secure cookie from http,
 * a `__Secure-` one without Secure, a `__Host-` one without Secure, without Path=/ or with a
 * Domain are refused — as Chromium and Firefox refuse them.
 */
class TlsBrowser extends HttpAgent {
  readonly received: SetCookie[] = [];
  readonly refused: string[] = [];
  private readonly stored = new Map<string, StoredCookie>();

  constructor(
    portalOrigin: string,
    private readonly dispatcher: Agent,
  ) {
    super(portalOrigin);
  }

  protected override fetchOptions() {
    return { dispatcher: this.dispatcher };
  }

  protected override cookieHeaderFor(target: URL): string | undefined {
    const sent = [...this.stored.entries()]
      .filter(([key, c]) => key.startsWith(`${target.hostname}|`) && pathMatches(target.pathname, c.path) && (!c.secure || target.protocol === 'https:'))
      .sort(([, a], [, b]) => b.path.length - a.path.length);
    return sent.length ? sent.map(([, c]) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  protected override storeCookies(target: URL, lines: string[]): void {
    for (const line of lines) {
      const cookie = parseSetCookie(target.href, line);
      this.received.push(cookie);
      const secure = cookie.attributes.has('secure');
      const pathAttribute = cookie.attributes.get('path');
      const path = pathAttribute?.startsWith('/') ? pathAttribute : defaultPath(target.pathname);
      const refuse =
        (secure && target.protocol !== 'https:') ||
        (cookie.name.startsWith('__Secure-') && !secure) ||
        (cookie.name.startsWith('__Host-') && (!secure || pathAttribute !== '/' || cookie.attributes.has('domain')));
      if (refuse) {
        this.refused.push(`${target.href}: ${line}`);
        continue;
      }
      const key = `${target.hostname}|${path}|${cookie.name}`;
      if (cookie.deletes) this.stored.delete(key);
      else this.stored.set(key, { name: cookie.name, value: line.slice(line.indexOf('=') + 1).split(';')[0]!.trim(), path, secure });
    }
  }

  /** The names of the cookies this browser holds for `origin`'s host. */
  holds(origin: string): string[] {
    const host = new URL(origin).hostname;
    return [...this.stored.entries()].filter(([key]) => key.startsWith(`${host}|`)).map(([, c]) => c.name);
  }
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  return requestPath === cookiePath || (requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'));
}

function defaultPath(requestPath: string): string {
  const slash = requestPath.lastIndexOf('/');
  return slash <= 0 ? '/' : requestPath.slice(0, slash);
}

/** Follows every redirect, across origins, as a browser would. */
async function browse(browser: HttpAgent, url: string, init: Parameters<HttpAgent['request']>[1] = {}): Promise<AgentResponse> {
  let response = await browser.request(url, init);
  for (let hops = 0; hops < 15 && response.location; hops++) response = await browser.request(response.location);
  return response;
}

/** oidc-provider's path-scoped cookies, and why they cannot be `__Host-` (which demands Path=/). */
const secureNotHost: Record<string, RegExp> = {
  '__Secure-portal.interaction': /^\/interaction\/[\w-]+$/,
  '__Secure-portal.interaction.sig': /^\/interaction\/[\w-]+$/,
  '__Secure-portal.resume': /^\/auth\/[\w-]+$/,
  '__Secure-portal.resume.sig': /^\/auth\/[\w-]+$/,
};

let tls: TlsProxy<'portal' | 'enrollment'>;
let t: TestPortal;
let app: ChildProcess | undefined;
let appOutput = '';
let appExited: Promise<unknown> = Promise.resolve();
let appDatabase: Awaited<ReturnType<typeof freshDatabase>> | undefined;
let dispatcher: Agent;

beforeAll(async () => {
  tls = await createTlsProxy(['portal', 'enrollment']);
  dispatcher = new Agent({ connect: { ca: tls.certificate } });
  t = await startTestPortal({
    env: {
      PORTAL_URL: tls.urls.portal,
      // HAProxy on this machine: X-Forwarded-Proto (Koa's ctx.secure, which lets Secure cookies out) and -For are believed from it alone.
      TRUST_PROXY: 'loopback',
      ENROLLMENT_URL: tls.urls.enrollment,
    },
  });
  await t.directory.createOrg({ code: 'PEDS01', iisId: '1000000001', name: 'Hill Country Pediatrics' });
  await t.directory.createUser({ username: 'pat', name: 'Pat Provider', email: 'pat@example.org', password, orgs: ['PEDS01:full_access_provider'] });
  const client = await t.directory.createClient({
    clientId: 'enrollment',
    name: 'Syntropi',
    app: 'enrollment',
    redirectUris: [`${tls.urls.enrollment}/callback`],
    postLogoutRedirectUris: [`${tls.urls.enrollment}/`],
  });

  // HAProxy first (it does not need its backends up): Syntropi's first discovery then finds the portal's https issuer.
  const appPort = await freePort();
  await tls.start({ portal: t.url, enrollment: `http://127.0.0.1:${appPort}` });
  appDatabase = await freshDatabase();
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/enrollment/src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NODE_ENV: 'test',
      PORTAL_URL: tls.urls.portal,
      ENROLLMENT_URL: tls.urls.enrollment,
      ENROLLMENT_PORT: String(appPort),
      ENROLLMENT_CLIENT_SECRET: client.client_secret!,
      ENROLLMENT_DATABASE_URL: appDatabase.url,
      SMTP_URL: t.mail.smtpUrl,
      NODE_EXTRA_CA_CERTS: tls.certificateFile,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  app = child;
  child.stdout!.on('data', (c: Buffer) => (appOutput += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (appOutput += c.toString()));
  appExited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Syntropi exited (${child.exitCode}):\n${appOutput}`);
    // A page that needs no discovery: the portal is asked only when someone signs in.
    const up = await fetch(`http://127.0.0.1:${appPort}/no-such-page`).then(() => true, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`Syntropi did not listen within 60 s:\n${appOutput}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 120_000);

afterAll(async () => {
  if (app && app.exitCode === null) app.kill('SIGTERM');
  await appExited;
  await tls?.stop();
  await t?.close();
  await appDatabase?.drop();
  await dispatcher?.close();
});

test('behind TLS, a sign-in into Syntropi, both language switches, a Forgot Password and a sign-out set only HttpOnly, SameSite, Secure, prefixed cookies', async () => {
  const portal = tls.urls.portal;
  const enrollment = tls.urls.enrollment;
  const browser = new TlsBrowser(portal, dispatcher);

  // Syntropi sends the browser to the portal; the portal's sign-in, a first sign-in's steps, and back.
  const login = await browser.request(`${enrollment}/login`);
  expect(login.location?.startsWith(`${portal}/auth?`)).toBe(true);
  const callback = await browser.signIn(login.location!, 'pat', password);
  expect(callback.startsWith(`${enrollment}/callback?`)).toBe(true);
  const home = await browse(browser, callback);
  expect(home.url).toBe(`${enrollment}/`);
  expect(textOf(home.body)).toContain('Welcome, Pat Provider');
  // HSTS from both, now that they are https.
  expect(home.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);

  // The portal's own pages know the person too (its SSO session cookie came back on them).
  const portalHome = await browser.request(`${portal}/`);
  expect(portalHome.status).toBe(200);
  expect(textOf(portalHome.body)).toContain('Pat Provider');

  // The language switch, in each: remembered, so the next page without ?lang= is Spanish still.
  for (const origin of [portal, enrollment]) {
    expect((await browser.request(`${origin}/?lang=es`)).body).toContain('<html lang="es">');
    expect((await browser.request(`${origin}/`)).body).toContain('<html lang="es">');
  }
  // One host name, so one jar for both (browsers ignore ports): the names keep them apart.
  expect(browser.holds(portal)).toEqual(expect.arrayContaining(['__Host-enrollment.lang', '__Host-enrollment.session', '__Host-portal.lang', '__Host-portal.session', '__Host-portal.session.sig']));

  // Forgot Password from a sign-in page (another browser): its flow cookie.
  const other = new TlsBrowser(portal, dispatcher);
  const signInPage = await other.follow((await other.request(`${enrollment}/login`)).location!);
  const forgot = /href="(\/interaction\/[^"]+\/forgot-password)"/.exec(signInPage.response.body)?.[1];
  expect(forgot).toBeDefined();
  const recovery = await browse(other, `${portal}${forgot}`);
  expect(recovery.url).toBe(`${portal}/forgot-password`);
  expect(recovery.status).toBe(200);
  expect(other.holds(portal)).toContain('__Host-portal.recovery');

  // Sign Out in Syntropi, then RP-initiated logout at the portal: both session cookies are cleared
  // (a clearing Set-Cookie must obey the prefix too, or the browser keeps the cookie).
  const csrf = /<meta name="session-timeout"[^>]* data-csrf="([^"]+)"/.exec((await browser.request(`${enrollment}/`)).body)?.[1];
  const signOut = await browser.request(`${enrollment}/logout`, { form: { csrf: csrf! } });
  expect(signOut.status).toBe(303);
  const confirm = await browse(browser, signOut.location!);
  const form = parseForm(confirm.body, confirm.url);
  const done = await browser.follow(form.action, { form: { ...form.fields, logout: 'yes' } });
  expect(done.leftPortalTo).toBe(`${enrollment}/?state=signed-out`);
  expect(browser.holds(portal)).not.toContain('__Host-portal.session');
  expect(browser.holds(portal)).not.toContain('__Host-enrollment.session');
  expect((await browser.request(`${enrollment}/`)).location).toBe(`${enrollment}/login`);

  // Every Set-Cookie of both browsers, each judged on its own.
  const received = [...browser.received, ...other.received];
  expect([...browser.refused, ...other.refused]).toEqual([]);
  const problems = received.flatMap((c) => {
    const wrong: string[] = [];
    if (!c.attributes.has('httponly')) wrong.push('not HttpOnly');
    if (!/^(lax|strict)$/i.test(c.attributes.get('samesite') ?? '')) wrong.push('no SameSite=Lax|Strict');
    if (!c.attributes.has('secure')) wrong.push('not Secure');
    if (c.attributes.has('domain')) wrong.push('has a Domain');
    if (c.name.startsWith('__Host-')) {
      if (c.attributes.get('path') !== '/') wrong.push('__Host- without Path=/');
    } else if (c.name in secureNotHost) {
      if (!secureNotHost[c.name]!.test(c.attributes.get('path') ?? '')) wrong.push(`__Secure- but its path ${c.attributes.get('path')} is not the one that rules out __Host-`);
    } else {
      wrong.push('neither __Host- nor an explained __Secure-');
    }
    return wrong.length ? [`${c.url}: ${c.line} — ${wrong.join(', ')}`] : [];
  });
  expect(problems).toEqual([]);
  // Every kind of cookie was met (so the checks above judged them all), and nothing else.
  expect([...new Set(received.map((c) => c.name))].sort()).toEqual([
    '__Host-enrollment.lang',
    '__Host-enrollment.login',
    '__Host-enrollment.session',
    '__Host-portal.lang',
    '__Host-portal.recovery',
    '__Host-portal.session',
    '__Host-portal.session.sig',
    '__Secure-portal.interaction',
    '__Secure-portal.interaction.sig',
    '__Secure-portal.resume',
    '__Secure-portal.resume.sig',
  ]);
  recordSecurityResult({ check: 'cookies behind TLS (portal + Syntropi via HAProxy)', figures: { 'Set-Cookie': received.length, names: new Set(received.map((c) => c.name)).size, problems: problems.length, refused: browser.refused.length + other.refused.length } });
}, 120_000);
