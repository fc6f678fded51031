import { createHash, randomBytes } from 'node:crypto';
import { HttpAgent } from '../../packages/portal/src/testing/http-agent.js';

/** A server under test, as a relying party sees it. */
export interface Target {
  name: 'bare' | 'portal';
  url: string;
  pid: number;
  scope: string;
  app: { clientId: string; clientSecret: string; redirectUri: string };
  machine: { clientId: string; clientSecret: string };
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  id_token: string;
}

const base64url = (b: Buffer) => b.toString('base64url');
export const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

function authorizationUrl(target: Target): { url: string; verifier: string; state: string } {
  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(16));
  const params = new URLSearchParams({
    client_id: target.app.clientId,
    response_type: 'code',
    redirect_uri: target.app.redirectUri,
    scope: target.scope,
    state,
    nonce: base64url(randomBytes(16)),
    code_challenge: base64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  });
  return { url: `${target.url}/auth?${params}`, verifier, state };
}

/**
 * One full sign-in as a new browser (no SSO): the authorization request, the real sign-in form
 * (HttpAgent fills it in as a person would, and the first sign-in's steps too), the redirect back
 * with a code, and the code exchanged at the token endpoint. Throws on any unexpected answer.
 */
export async function signIn(target: Target, username: string, password: string): Promise<Tokens> {
  const { url, verifier, state } = authorizationUrl(target);
  const callback = new URL(await new HttpAgent(target.url).signIn(url, username, password));
  const code = callback.searchParams.get('code');
  if (!code || callback.searchParams.get('state') !== state) throw new Error(`${target.name}: sign-in of ${username} came back without a code: ${callback.href}`);
  const res = await fetch(`${target.url}/token`, {
    method: 'POST',
    headers: { authorization: basic(target.app.clientId, target.app.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: target.app.redirectUri, code_verifier: verifier }),
  });
  const body = (await res.json()) as Partial<Tokens> & { error?: string };
  if (res.status !== 200 || !body.access_token || !body.refresh_token || !body.id_token) {
    throw new Error(`${target.name}: code exchange answered ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  }
  return body as Tokens;
}

/**
 * An authorization request that stops at the sign-in page: the page's path and the browser's
 * cookies (the interaction cookie), to GET that page again and again.
 */
export async function openSignInPage(target: Target): Promise<{ path: string; cookie: string }> {
  const agent = new HttpAgent(target.url);
  const start = await agent.request(authorizationUrl(target).url);
  if (start.status !== 303 && start.status !== 302) throw new Error(`${target.name}: /auth answered ${start.status}, not a redirect to the sign-in page`);
  const page = await agent.request(start.location!);
  if (page.status !== 200 || !/name="password"/.test(page.body)) throw new Error(`${target.name}: ${start.location} answered ${page.status} without a sign-in form`);
  return { path: new URL(start.location!).pathname, cookie: agent.cookieHeader() };
}

/** A token endpoint or API call that must answer 200; returns the JSON. */
export async function expectOk(target: Target, path: string, init: RequestInit): Promise<Record<string, unknown>> {
  const res = await fetch(`${target.url}${path}`, init);
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`${target.name}: ${path} answered ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  return body;
}
