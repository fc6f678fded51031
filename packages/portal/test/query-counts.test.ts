import * as oidc from 'openid-client';
import { HttpAgent } from '../src/testing/index.js';
import { startPortalWithApp, type PortalWithApp } from '../src/testing/app-fixture.js';

/**
 * Statements per request on the endpoints relying parties and people use most (issue #9): counted
 * with a knex query listener and held to a ceiling, so a change that adds work to a hot path fails
 * here and has to say why. The ceilings are what the code does today; lower them as it improves.
 */
const password = 'Correct-Horse-9!';
let f: PortalWithApp;

beforeAll(async () => {
  f = await startPortalWithApp();
  await f.t.directory.createOrg({ code: 'PEDS01', iisId: '0000012345', name: 'Hill Country Pediatrics' });
  await f.t.directory.createUser({ username: 'pat', email: 'pat@example.org', password, orgs: ['PEDS01:full_access_provider'] });
  await new HttpAgent(f.t.url).signIn(f.authUrl(), 'pat', password); // the AUA and questions, done once
});
afterAll(() => f?.close());

async function statements<T>(work: () => Promise<T>): Promise<{ result: T; count: number; sql: string[] }> {
  const sql: string[] = [];
  const listener = (q: { sql: string }) => sql.push(q.sql);
  f.t.db.on('query', listener);
  try {
    const result = await work();
    return { result, count: sql.length, sql };
  } finally {
    f.t.db.off('query', listener);
  }
}

// Measured on SQLite and PostgreSQL alike (2026-12-01). The bare oidc-provider with a plain adapter
// needs 5 for a refresh and 1 for client_credentials (issue #9): the gap is the work to remove.
// The sign-in POST's first statement counts the attempt against the shared per-IP limits; one more
// asks whether the person has a second factor (issue #10).
const ceilings = { signInPost: 25, codeExchange: 8, refresh: 8, userinfo: 5, introspection: 6, clientCredentials: 2 };

test('statements per request stay under their ceilings', async () => {
  const report: Record<string, number> = {};
  const sqlOf: Record<string, string[]> = {};
  const agent = new HttpAgent(f.t.url);
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(f.app, { redirect_uri: `${f.appUrl}/callback`, scope: 'openid profile orgs', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  const page = await agent.follow(url.href);

  const signIn = await statements(() => agent.submitSignIn(page.response, 'pat', password));
  report.signInPost = signIn.count;
  sqlOf.signInPost = signIn.sql;
  const callback = signIn.result.leftPortalTo!;
  expect(callback).toMatch(/code=/);

  const exchange = await statements(() => oidc.authorizationCodeGrant(f.app, new URL(callback), { pkceCodeVerifier: verifier }));
  report.codeExchange = exchange.count;
  sqlOf.codeExchange = exchange.sql;
  const refresh = await statements(() => oidc.refreshTokenGrant(f.app, exchange.result.refresh_token!));
  report.refresh = refresh.count;
  sqlOf.refresh = refresh.sql;
  const userinfo = await statements(() => oidc.fetchUserInfo(f.app, refresh.result.access_token, oidc.skipSubjectCheck));
  report.userinfo = userinfo.count;
  sqlOf.userinfo = userinfo.sql;
  const introspection = await statements(() => oidc.tokenIntrospection(f.app, refresh.result.access_token));
  report.introspection = introspection.count;
  sqlOf.introspection = introspection.sql;
  expect(introspection.result.active).toBe(true);

  const machine = await f.t.directory.createClient({ name: 'Feed', grants: ['client_credentials'] });
  const machineConfig = await oidc.discovery(new URL(f.t.url), machine.client_id, machine.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
  await oidc.clientCredentialsGrant(machineConfig); // first use loads the client; the next is the steady state
  report.clientCredentials = (await statements(() => oidc.clientCredentialsGrant(machineConfig))).count;

  if (process.env.QUERY_COUNT_REPORT) process.stderr.write(`[statements] ${JSON.stringify(report)}\n${JSON.stringify(sqlOf, null, 1)}\n`);
  for (const [name, count] of Object.entries(report)) expect({ name, count, within: count <= ceilings[name as keyof typeof ceilings] }).toMatchObject({ name, within: true });
});
