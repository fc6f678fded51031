import { createMachineTokens, MachineTokenError, type Clock } from '@portal/rp-kit';

/**
 * The portal's admin API for HL7 production credentials (the contract agreed with the portal
 * side, issue #12): Syntropi authenticates as its own client (client_credentials, scope
 * `enrollment:credentials`, resource `{portal}/api/admin/v1`) and asks the portal to create,
 * list and rotate `client_credentials` clients bound to a site's TX IIS ID. Secrets pass through
 * here to the person's download only: never stored, never logged.
 */
export interface Hl7Credential {
  clientId: string;
  clientSecret: string;
  iisId: string;
  scope: string;
  tokenEndpoint: string;
  resource: string;
}

export interface Hl7CredentialListing {
  clientId: string;
  iisId: string;
  [key: string]: unknown;
}

export interface RotatedSecret {
  clientSecret: string;
  previousSecretExpiresAt: string | number | null;
}

export interface PortalCredentials {
  create(input: { iisId: string; name: string }): Promise<Hl7Credential>;
  list(iisId: string): Promise<Hl7CredentialListing[]>;
  rotate(clientId: string): Promise<RotatedSecret>;
}

export class PortalCredentialsError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PortalCredentialsError';
  }
}

export function createPortalCredentials(options: { portalUrl: string; clientId: string; clientSecret: string; clock?: Clock; fetch?: typeof fetch }): PortalCredentials {
  const portal = options.portalUrl.replace(/\/+$/, '');
  const apiBase = `${portal}/api/admin/v1`;
  const doFetch = options.fetch ?? fetch;
  const tokens = createMachineTokens({ portalUrl: portal, clientId: options.clientId, clientSecret: options.clientSecret, scope: 'enrollment:credentials', resource: apiBase, clock: options.clock, fetchImpl: doFetch });
  async function token(): Promise<string> {
    try {
      return await tokens.token();
    } catch (err) {
      if (err instanceof MachineTokenError) throw new PortalCredentialsError(err.message, err.status);
      throw err;
    }
  }

  async function call<T>(method: 'GET' | 'POST', path: string, expected: number, json?: unknown): Promise<T> {
    const send = async () =>
      doFetch(`${apiBase}${path}`, {
        method,
        headers: { authorization: `Bearer ${await token()}`, accept: 'application/json', ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
    let res = await send();
    if (res.status === 401) {
      // A token revoked or expired early: one fresh token, once.
      tokens.forget();
      res = await send();
    }
    if (res.status !== expected) throw new PortalCredentialsError(`${method} ${path.split('?')[0]} answered ${res.status}`, res.status);
    return (await res.json()) as T;
  }

  return {
    async create(input) {
      const created = await call<Hl7Credential>('POST', '/hl7-credentials', 201, { iisId: input.iisId, name: input.name });
      if (typeof created.clientId !== 'string' || typeof created.clientSecret !== 'string') throw new PortalCredentialsError('credential response without clientId or clientSecret');
      return created;
    },
    async list(iisId) {
      const answer = await call<Hl7CredentialListing[] | { credentials?: Hl7CredentialListing[]; items?: Hl7CredentialListing[] }>('GET', `/hl7-credentials?iisId=${encodeURIComponent(iisId)}`, 200);
      return Array.isArray(answer) ? answer : (answer.credentials ?? answer.items ?? []);
    },
    async rotate(clientId) {
      const rotated = await call<RotatedSecret>('POST', `/hl7-credentials/${encodeURIComponent(clientId)}/rotate-secret`, 200);
      if (typeof rotated.clientSecret !== 'string') throw new PortalCredentialsError('rotation response without clientSecret');
      return rotated;
    },
  };
}
