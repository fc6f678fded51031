import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

/**
 * STAND-IN for the portal's admin API for HL7 credentials, implementing exactly the contract of
 * issue #12 (POST /token client_credentials; POST/GET /api/admin/v1/hl7-credentials; POST
 * …/{clientId}/rotate-secret). The portal side is being built at the same time; the end-to-end
 * test against the real portal (startTestPortal) will replace this server once it lands.
 */
export interface ContractServer {
  url: string;
  /** Every client created, with its live secrets (two after a rotation until the old one expires). */
  clients: Map<string, { iisId: string; name: string; secrets: { value: string; expiresAt: number | null }[] }>;
  /** What each token request carried, to check the client authentication, scope and resource. */
  tokenRequests: { clientId: string; grantType: string | null; scope: string | null; resource: string | null }[];
  /** Whether a secret of an HL7 client is accepted now (what the portal's token endpoint would do). */
  accepts(clientId: string, secret: string, at?: number): boolean;
  close(): Promise<void>;
}

export async function startCredentialsContractServer(enrollment: { clientId: string; clientSecret: string }, options: { rotationGraceMs?: number } = {}): Promise<ContractServer> {
  const grace = options.rotationGraceMs ?? 24 * 3_600_000;
  const clients: ContractServer['clients'] = new Map();
  const tokenRequests: ContractServer['tokenRequests'] = [];
  const tokens = new Set<string>();
  let url = '';
  const read = async (req: IncomingMessage) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    return body;
  };
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const path = new URL(req.url ?? '/', url);
    const resource = `${url}/api/admin/v1`;
    if (req.method === 'POST' && path.pathname === '/token') {
      const form = new URLSearchParams(await read(req));
      const [id, secret] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':').map(decodeURIComponent);
      tokenRequests.push({ clientId: id ?? '', grantType: form.get('grant_type'), scope: form.get('scope'), resource: form.get('resource') });
      if (id !== enrollment.clientId || secret !== enrollment.clientSecret) return send(401, { error: 'invalid_client' });
      if (form.get('grant_type') !== 'client_credentials' || form.get('scope') !== 'enrollment:credentials' || form.get('resource') !== resource) return send(400, { error: 'invalid_request' });
      const token = randomBytes(16).toString('hex');
      tokens.add(token);
      return send(200, { access_token: token, token_type: 'Bearer', expires_in: 300, scope: 'enrollment:credentials' });
    }
    if (!path.pathname.startsWith('/api/admin/v1/')) return send(404, { error: 'not_found' });
    if (!tokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) return send(401, { error: 'invalid_token' });
    const listing = (clientId: string) => ({ clientId, iisId: clients.get(clientId)!.iisId, name: clients.get(clientId)!.name, scope: 'hl7:submit', tokenEndpoint: `${url}/token`, resource: `${url}/hl7` });
    if (req.method === 'POST' && path.pathname === '/api/admin/v1/hl7-credentials') {
      const body = JSON.parse(await read(req)) as { iisId?: string; name?: string };
      if (!/^\d{10}$/.test(body.iisId ?? '') || !body.name) return send(400, { error: 'invalid_request' });
      const clientId = `hl7-${body.iisId}-${randomBytes(4).toString('hex')}`;
      const clientSecret = randomBytes(32).toString('base64url');
      clients.set(clientId, { iisId: body.iisId!, name: body.name, secrets: [{ value: clientSecret, expiresAt: null }] });
      return send(201, { ...listing(clientId), clientSecret });
    }
    if (req.method === 'GET' && path.pathname === '/api/admin/v1/hl7-credentials') {
      return send(200, [...clients.keys()].filter((id) => clients.get(id)!.iisId === path.searchParams.get('iisId')).map(listing));
    }
    const rotate = /^\/api\/admin\/v1\/hl7-credentials\/([^/]+)\/rotate-secret$/.exec(path.pathname);
    if (req.method === 'POST' && rotate) {
      const client = clients.get(decodeURIComponent(rotate[1]!));
      if (!client) return send(404, { error: 'not_found' });
      const previousSecretExpiresAt = Date.now() + grace;
      client.secrets = [{ value: randomBytes(32).toString('base64url'), expiresAt: null }, { ...client.secrets[0]!, expiresAt: previousSecretExpiresAt }];
      return send(200, { clientSecret: client.secrets[0]!.value, previousSecretExpiresAt: new Date(previousSecretExpiresAt).toISOString() });
    }
    return send(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, clients, tokenRequests,
    accepts(clientId, secret, at = Date.now()) {
      return Boolean(clients.get(clientId)?.secrets.some((s) => s.value === secret && (s.expiresAt === null || s.expiresAt > at)));
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
