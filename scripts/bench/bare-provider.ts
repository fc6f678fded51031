// The yardstick of `pnpm bench`: oidc-provider 9 as its README sets it up, with nothing of the
// portal — a plain knex-SQLite adapter (one table; id, grant id and uid indexed), one fixed account, a
// login form that checks nothing and hashes nothing, the grant given without asking. A child
// process: the bench transpiles it with esbuild and runs it with plain node; by hand:
//   BARE_PORT=4000 BARE_DATABASE=/tmp/bare.sqlite BARE_CLIENTS='[{"client_id":…}]' node --import tsx scripts/bench/bare-provider.ts
// Kept naive on purpose (not tuned); only the protocol settings the portal also uses are set, so
// both do the same protocol work: token lifetimes, refresh tokens for first-party apps (rotated),
// client_credentials, introspection, userinfo, RS256, no consent screen.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import knex from 'knex';
import Provider, { type Adapter, type AdapterPayload, type ClientMetadata, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

const port = Number(process.env.BARE_PORT);
const filename = process.env.BARE_DATABASE;
const clients = JSON.parse(process.env.BARE_CLIENTS ?? '[]') as ClientMetadata[];
if (!port || !filename || !clients.length) throw new Error('BARE_PORT, BARE_DATABASE and BARE_CLIENTS are required');
const issuer = `http://127.0.0.1:${port}`;
const accountId = 'bench-person'; // everyone who signs in is this one account

// The portal's SQLite driver and settings (better-sqlite3, WAL, synchronous=NORMAL), so the two
// differ in code, not in drivers or fsyncs.
const db = knex({
  client: 'better-sqlite3',
  connection: { filename },
  useNullAsDefault: true,
  pool: {
    min: 1,
    max: 1,
    afterCreate(conn: { pragma: (sql: string) => unknown }, done: (err: Error | null, conn: unknown) => void) {
      conn.pragma('journal_mode = WAL');
      conn.pragma('synchronous = NORMAL');
      done(null, conn);
    },
  },
});
await db.schema.createTable('payloads', (t) => {
  t.string('model').notNullable();
  t.string('id').notNullable();
  t.text('payload').notNullable();
  t.string('grant_id').index();
  t.string('user_code');
  t.string('uid').index();
  t.bigInteger('expires_at');
  t.bigInteger('consumed_at');
  t.primary(['model', 'id']);
});

type Row = { payload: string; expires_at: number | null; consumed_at: number | null };
function live(row: Row | undefined): AdapterPayload | undefined {
  if (!row || (row.expires_at !== null && row.expires_at <= Date.now())) return undefined;
  const payload = JSON.parse(row.payload) as AdapterPayload;
  return row.consumed_at === null ? payload : { ...payload, consumed: row.consumed_at };
}

/** oidc-provider's adapter interface, one row per model and id, the payload as JSON. */
class KnexAdapter implements Adapter {
  constructor(private readonly model: string) {}
  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    await db('payloads')
      .insert({ model: this.model, id, payload: JSON.stringify(payload), grant_id: payload.grantId ?? null, user_code: payload.userCode ?? null, uid: payload.uid ?? null, expires_at: expiresIn ? Date.now() + expiresIn * 1000 : null })
      .onConflict(['model', 'id'])
      .merge();
  }
  async find(id: string): Promise<AdapterPayload | undefined> {
    return live((await db('payloads').where({ model: this.model, id }).first()) as Row | undefined);
  }
  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return live((await db('payloads').where({ model: this.model, uid }).first()) as Row | undefined);
  }
  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return live((await db('payloads').where({ model: this.model, user_code: userCode }).first()) as Row | undefined);
  }
  async consume(id: string): Promise<void> {
    await db('payloads').where({ model: this.model, id }).update({ consumed_at: Math.floor(Date.now() / 1000) });
  }
  async destroy(id: string): Promise<void> {
    await db('payloads').where({ model: this.model, id }).delete();
  }
  async revokeByGrantId(grantId: string): Promise<void> {
    await db('payloads').where({ grant_id: grantId }).delete();
  }
}

const signingKey = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'bare', alg: 'RS256', use: 'sig' };

const configuration: Configuration = {
  adapter: KnexAdapter,
  clients,
  jwks: { keys: [signingKey as never] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
  conformIdTokenClaims: false,
  async findAccount() {
    return { accountId, claims: async () => ({ sub: accountId, name: 'Bench Person', email: 'bench@example.org' }) };
  },
  clientDefaults: { id_token_signed_response_alg: 'RS256' },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
    revocation: { enabled: true },
    userinfo: { enabled: true },
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  // No consent screen, as in the portal: the grant covers what the app asked for.
  async loadExistingGrant(ctx: KoaContextWithOIDC) {
    const client = ctx.oidc.client!;
    const session = ctx.oidc.session!;
    const existingId = session.grantIdFor(client.clientId);
    const grant = (existingId && (await ctx.oidc.provider.Grant.find(existingId))) || new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId! });
    if (typeof ctx.oidc.params?.scope === 'string') grant.addOIDCScope(ctx.oidc.params.scope);
    await grant.save();
    return grant;
  },
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  // The portal's defaults (12 h sessions, 10 min access tokens).
  ttl: { Session: 12 * 3600, Grant: 12 * 3600, Interaction: 30 * 60, AuthorizationCode: 60, IdToken: 3600, AccessToken: 600, ClientCredentials: 600, RefreshToken: 12 * 3600 },
};
const provider = new Provider(issuer, configuration);
const oidc = provider.callback();

const loginPage = (uid: string) =>
  `<!doctype html><html><body><main><form method="post" action="/interaction/${uid}/login">` +
  '<input name="username" autocomplete="username"><input type="password" name="password"><button>Sign in</button></form></main></body></html>';

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

/** The interaction: the form, and its POST that signs in whoever is named. */
async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (action === 'login' && req.method === 'POST') {
    await readForm(req); // whatever was typed: no account lookup, no hashing
    await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(loginPage(uid));
}

const server = createServer((req, res) => {
  const match = /^\/interaction\/([^/?]+)(?:\/([a-z]+))?/.exec(req.url ?? '');
  if (!match) return oidc(req, res);
  interaction(req, res, match[1]!, match[2]).catch((err: Error) => {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(err.message);
  });
});
server.listen(port, '127.0.0.1', () => console.log(`bare oidc-provider listening on ${issuer}`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => void db.destroy().then(() => process.exit(0)));
  });
}
