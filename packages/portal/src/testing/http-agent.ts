/**
 * A minimal browser for system tests: keeps cookies per host, follows redirects until it reaches
 * a URL outside the portal (an app's redirect_uri), and fills in forms the way a person would.
 */
export interface AgentResponse {
  status: number;
  url: string;
  location: string | undefined;
  body: string;
  headers: Headers;
}

export class HttpAgent {
  /**
   * `jar`: cookies by `cookieKey` of the URL — shared when another agent is the same browser.
   */
  constructor(
    private readonly portalOrigin: string,
    protected readonly jar = new Map<string, Map<string, string>>(),
  ) {}

  /** Which cookies a URL gets: per host and port here (each test portal its own); a subclass may widen it. */
  protected cookieKey(url: URL): string {
    return url.host;
  }

  cookieNames(): string[] {
    return [...(this.jar.get(this.cookieKey(new URL(this.portalOrigin)))?.keys() ?? [])];
  }

  /** This browser's cookies for the portal (or `url`) as a Cookie header: to send a request another way. */
  cookieHeader(url: string = this.portalOrigin): string {
    return [...(this.jar.get(this.cookieKey(new URL(url))) ?? [])].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** `json`: a JSON body, as a page's script posts it with fetch (accept: application/json). */
  async request(url: string, init: { method?: string; form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {}): Promise<AgentResponse> {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: 'text/html', ...init.headers };
    const cookie = this.cookieHeaderFor(target);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      headers.accept = init.headers?.accept ?? 'application/json';
      body = JSON.stringify(init.json);
    }
    const res = await fetch(target, { ...this.fetchOptions(), method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.storeCookies(target, res.headers.getSetCookie());
    const location = res.headers.get('location') ?? undefined;
    return { status: res.status, url: target.href, location: location && new URL(location, target).href, body: await res.text(), headers: res.headers };
  }

  /** Follows redirects while they stay on the portal; returns the last portal response, or the first URL off it. */
  async follow(url: string, init: Parameters<HttpAgent['request']>[1] = {}): Promise<{ response: AgentResponse; leftPortalTo?: string }> {
    let response = await this.request(url, init);
    for (let hops = 0; hops < 10 && response.location; hops++) {
      if (new URL(response.location).origin !== this.portalOrigin) return { response, leftPortalTo: response.location };
      response = await this.request(response.location);
    }
    return { response };
  }

  /**
   * Opens an authorization URL, signs in through the real form, and returns the app callback URL.
   * The steps a first sign-in asks for are done as a person would: "I Agree" to the AUA and three
   * security questions answered (answers: "answer 1", "answer 2", "answer 3").
   */
  /**
   * Signs in to the portal's own pages (its /login, as a person clicks "Sign In" on the home page),
   * doing a first sign-in's steps on the way; returns this agent, now holding the SSO session.
   */
  async signInToPortal(username: string, password: string): Promise<this> {
    const login = await this.follow(`${this.portalOrigin}/login`);
    await this.completeSteps(await this.submitSignIn(login.response, username, password));
    return this;
  }

  async signIn(authorizationUrl: string, username: string, password: string): Promise<string> {
    const start = await this.follow(authorizationUrl);
    if (start.leftPortalTo) return start.leftPortalTo; // already signed in (SSO)
    const after = await this.completeSteps(await this.submitSignIn(start.response, username, password));
    if (!after.leftPortalTo) throw new Error(`sign-in did not return to the app (status ${after.response.status}): ${mainTextOf(after.response.body).slice(0, 300)}`);
    return after.leftPortalTo;
  }

  /** Walks the AUA, the expiry warning ("Continue") and the security-question set-up, if shown. */
  async completeSteps(result: { response: AgentResponse; leftPortalTo?: string }): Promise<{ response: AgentResponse; leftPortalTo?: string }> {
    for (let i = 0; i < 5 && !result.leftPortalTo; i++) {
      const page = result.response;
      if (!/action="\/interaction\/[^"]+\/step"/.test(page.body)) return result;
      const form = parseForm(page.body, page.url);
      if (page.body.includes('value="agree"')) {
        result = await this.follow(form.action, { form: { ...form.fields, choice: 'agree' } });
      } else if (page.body.includes('value="later"')) {
        result = await this.follow(form.action, { form: { ...form.fields, choice: 'later' } });
      } else if (page.body.includes('name="question_0"')) {
        const ids = [...page.body.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]!).slice(0, 3);
        const answers = Object.fromEntries(ids.flatMap((id, n) => [[`question_${n}`, id], [`answer_${n}`, `answer ${n + 1}`]]));
        result = await this.follow(form.action, { form: { ...form.fields, ...answers } });
      } else {
        return result; // a step a test must do itself (a new password)
      }
    }
    return result;
  }

  async submitSignIn(page: AgentResponse, username: string, password: string, overrides: Record<string, string> = {}) {
    const form = parseForm(page.body, page.url);
    return this.follow(form.action, { form: { ...form.fields, username, password, ...overrides } });
  }

  /**
   * What every fetch adds: a subclass's `dispatcher` (an undici Agent whose `connect.ca` trusts a
   * test's own certificate) — per request, since jest's realm cannot change fetch's global one.
   */
  protected fetchOptions(): RequestInit & { dispatcher?: unknown } {
    return {};
  }

  /** The Cookie header for `target`: every cookie of its `cookieKey`, whatever its path (a subclass may keep a browser's rules). */
  protected cookieHeaderFor(target: URL): string | undefined {
    const cookies = this.jar.get(this.cookieKey(target));
    return cookies?.size ? [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') : undefined;
  }

  protected storeCookies(target: URL, setCookies: string[]): void {
    const key = this.cookieKey(target);
    const cookies = this.jar.get(key) ?? new Map<string, string>();
    for (const line of setCookies) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()));
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    this.jar.set(key, cookies);
  }
}

/** The first form in the page's main content: its absolute action and its hidden and pre-filled fields. */
export function parseForm(body: string, pageUrl: string): { action: string; fields: Record<string, string> } {
  const main = /<main[^>]*>([\s\S]*)<\/main>/i.exec(body)?.[1] ?? body; // not the header's Sign Out form
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(main);
  if (!form) throw new Error(`no form on page: ${mainTextOf(body).slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const input of form[2]!.matchAll(/<input([^>]*)>/gi)) {
    const name = /name="([^"]*)"/.exec(input[1]!)?.[1];
    const value = /value="([^"]*)"/.exec(input[1]!)?.[1] ?? '';
    if (name) fields[name] = decodeEntities(value);
  }
  return { action: new URL(decodeEntities(form[1]!), pageUrl).href, fields };
}

/** The visible text of a page, for asserting what a person reads. */
export function textOf(body: string): string {
  return decodeEntities(body.replace(/<(script|style)[\s\S]*?<\/\1>/gi, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/** The text of the page's <main> (what the page says, without the chrome around it), else of it all. */
export function mainTextOf(body: string): string {
  const main = /<main\b[^>]*>([\s\S]*?)<\/main>/i.exec(body);
  return textOf(main ? main[1]! : body);
}

function decodeEntities(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
