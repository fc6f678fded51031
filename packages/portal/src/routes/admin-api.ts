import { readFileSync } from 'node:fs';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, type Router } from 'express';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { PortalConfig } from '../config/index.js';
import type { Logger } from '../libraries/logger.js';
import type { AuditContext } from '../libraries/audit.js';
import { PortalError, messageFor } from '../libraries/errors.js';
import { apiScopeNames, apiScopes, capabilitiesOf, memberScope, type Actor, type ApiScope, type Capability } from '../libraries/administration/actors.js';
import type { Support } from '../libraries/administration/support.js';
import type { Administration, ClientView } from '../libraries/administration/admin.js';
import type { AuditLog } from '../libraries/administration/audit-log.js';
import type { QuestionAdministration } from '../libraries/administration/questions.js';
import type { OrgMembers } from '../libraries/administration/org-members.js';
import type { Hl7Credentials } from '../libraries/administration/hl7-credentials.js';
import type { UserQueries } from '../queries/users.js';
import { adminApiPath, adminApiResource } from '../oidc/claims.js';
import { auditContext } from './request-context.js';
import { toPortalError } from './errors.js';
import { withoutNul } from './refuse-nul.js';

export { adminApiPath };

/** The OpenAPI 3.1 description of every route below; a test holds the two to each other. */
export const openApiFile = new URL('./admin-api.openapi.json', import.meta.url);

/**
 * The admin JSON API (issue #8 item 3) under /api/admin/v1: HTTP only. A bearer token from a
 * client_credentials client becomes an actor `{ kind: 'client', clientId, scopes }`; the help desk
 * and administration libraries decide, as for the console and the CLI, what that actor may do to
 * whom (the hard rule included) and need a reason for every change. A person's own `org:members`
 * token, issued to an app in a sign-in, becomes `{ kind: 'member', … }`: it opens the organization
 * members routes only, and org-members.ts decides from their memberships which organizations.
 * JSON in, JSON out, never HTML.
 */
export function createAdminApiRoutes(deps: {
  config: PortalConfig;
  logger: Logger;
  provider: Provider;
  support: Support;
  administration: Administration;
  auditLog: AuditLog;
  questions: QuestionAdministration;
  members: OrgMembers;
  hl7Credentials: Hl7Credentials;
  users: UserQueries;
}): Router {
  const { config, provider, support, administration, auditLog, questions, members, hl7Credentials, users } = deps;
  const resource = adminApiResource(config.portalUrl);
  const router = express.Router();

  type Flows = { clientCredentials: { tokenUrl: string }; authorizationCode: { authorizationUrl: string; tokenUrl: string; refreshUrl: string } };
  const document = JSON.parse(readFileSync(openApiFile, 'utf8')) as { servers: { url: string }[]; components: { securitySchemes: { adminApi: { flows: Flows } } } };
  const issuer = config.portalUrl.replace(/\/+$/, '');
  const flows = document.components.securitySchemes.adminApi.flows;
  document.servers = [{ url: resource }];
  flows.clientCredentials.tokenUrl = `${issuer}/token`;
  Object.assign(flows.authorizationCode, { authorizationUrl: `${issuer}/auth`, tokenUrl: `${issuer}/token`, refreshUrl: `${issuer}/token` });
  router.get('/openapi.json', (_req, res) => {
    res.set('cache-control', 'no-cache').json(document);
  });

  // Answers may carry a temporary password or a client secret (once): never stored by a cache.
  router.use((_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });
  // Before anything else, unknown paths included: without a token nothing is parsed or revealed.
  router.use(async (req, res, next) => {
    res.locals.actor = await authenticate(req);
    next();
  });

  /**
   * Opaque tokens looked up through oidc-provider rather than self-contained JWTs: a revoked token
   * stops working at once, the stored token's expiry is checked by our adapter against the portal's
   * clock (and by oidc-provider). Two kinds are found: a machine client's `ClientCredentials` token,
   * and a person's `AccessToken` bound to this API (`aud`) with `org:members` — which only an app
   * registered for that scope can get (provider.ts). A sign-in access token for userinfo has no
   * such audience and never matches, whatever its scope.
   */
  async function authenticate(req: Request): Promise<Actor> {
    const header = req.get('authorization');
    const value = header === undefined ? undefined : /^Bearer(?: +(.*))?$/i.exec(header)?.[1]?.trim();
    // RFC 6750 §3.1: a request without bearer credentials gets the challenge and no error code.
    if (!value) throw new BearerError(401, undefined, `This API needs an access token: Authorization: Bearer <token>, from the token endpoint with grant_type=client_credentials and resource=${resource}, or a person's own token with scope ${memberScope} and that resource.`);
    if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(value) || value.length > 2048) throw invalidToken('The access token is malformed.');
    const token = (await provider.ClientCredentials.find(value)) ?? (await provider.AccessToken.find(value));
    if (!token || token.isExpired) throw invalidToken('The access token is unknown, expired or revoked.');
    // Bound to a DPoP key or certificate: presented as a plain bearer token it proves nothing.
    if (token.jkt || token['x5t#S256']) throw invalidToken('A sender-constrained token cannot be used as a bearer token here.');
    if (token.aud !== resource) throw invalidToken(`The access token was not issued for this API: ask for it with resource=${resource}.`);
    const client = await provider.Client.find(token.clientId!);
    if (!client) throw invalidToken('The client of this access token no longer exists.');
    // Scopes the client has lost since the token was issued no longer count.
    const registered = new Set((client.scope ?? '').split(' '));
    if (token.kind === 'ClientCredentials') {
      const scopes = [...token.scopes].filter((s) => registered.has(s) && (apiScopeNames as string[]).includes(s));
      return { kind: 'client', clientId: client.clientId, scopes };
    }
    // A person's token: still for org:members, from an app still registered for it, of an account
    // that still exists and is enabled. Which organizations is for org-members.ts to say, each call.
    if (!token.scopes.has(memberScope)) throw invalidToken(`The access token does not carry the scope ${memberScope}.`);
    if (!registered.has(memberScope)) throw invalidToken(`The client of this access token is no longer registered for ${memberScope}.`);
    const account = typeof token.accountId === 'string' ? await users.findById(token.accountId) : undefined;
    if (!account || account.disabled_at) throw invalidToken('The account of this access token no longer exists or is disabled.');
    return { kind: 'member', userId: account.id, username: account.username, clientId: client.clientId };
  }

  /** Checked before the call, so a token without the scope changes nothing and reads nothing. */
  function needs(capability: Capability): RequestHandler {
    return (_req, res, next) => {
      res.locals.capability = capability;
      if (!capabilitiesOf(actorOf(res)).has(capability)) throw insufficientScope(capability);
      next();
    };
  }

  type Reply = { status?: number; body: unknown; location?: string };
  type Handler = (req: Request, actor: Actor, context: AuditContext) => Promise<Reply>;
  type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

  function route(method: Method, path: string, capability: Capability, handler: Handler, bodyLimit = '16kb') {
    const handlers: RequestHandler[] = [needs(capability)];
    if (method !== 'get') handlers.push(jsonBody(bodyLimit));
    router[method](path, ...handlers, async (req: Request, res: Response) => {
      const reply = await handler(req, actorOf(res), auditContext(req));
      if (reply.location) res.location(`${adminApiPath}${reply.location}`);
      res.status(reply.status ?? 200).json(reply.body);
    });
  }

  const id = (req: Request, name = 'id') => String(req.params[name]);

  // --- Users: the help desk's work (support.ts) -------------------------------------------------

  route('get', '/users', 'users:read', async (req, actor, context) => {
    const found = await support.search(actor, { field: req.query.field, text: req.query.q, page: req.query.page ?? 1 }, context);
    return { body: { users: found.rows.map(userSummary), page: found.page, more: found.more } };
  });

  route('get', '/users/:id', 'users:read', async (req, actor, context) => {
    const card = await support.statusCard(actor, id(req), context);
    return { body: { ...card, orgs: card.orgs.map((m) => ({ id: m.id, code: m.code, iisId: m.iis_id, name: m.name, role: m.role, coordinator: m.coordinator ?? null })) } };
  });

  route('post', '/users/:id/verify-caller', 'users:verify_caller', async (req, actor, context) => {
    const body = parse(verifyBody, req.body);
    return { body: await support.verifyCaller(actor, id(req), body, context) };
  });

  const actions: Record<string, { capability: Capability; run: (actor: Actor, userId: string, reason: unknown, context: AuditContext) => Promise<unknown> }> = {
    unlock: { capability: 'users:unlock', run: (a, u, r, c) => support.unlock(a, u, r, c) },
    'reset-code': { capability: 'users:reset', run: (a, u, r, c) => support.sendResetCode(a, u, r, c) },
    'temporary-password': { capability: 'users:reset', run: (a, u, r, c) => support.setTemporaryPassword(a, u, r, c) },
    'clear-reset-limit': { capability: 'users:reset', run: (a, u, r, c) => support.clearResetLimit(a, u, r, c) },
    'remove-second-factor': { capability: 'users:reset', run: (a, u, r, c) => support.removeSecondFactor(a, u, r, c) },
    'end-sessions': { capability: 'users:sessions', run: (a, u, r, c) => support.endSessions(a, u, r, c) },
    disable: { capability: 'users:disable', run: (a, u, r, c) => support.disable(a, u, r, c) },
    enable: { capability: 'users:disable', run: (a, u, r, c) => support.enable(a, u, r, c) },
  };
  for (const [name, action] of Object.entries(actions)) {
    route('post', `/users/:id/${name}`, action.capability, async (req, actor, context) => {
      const { reason } = parse(reasonOnly, req.body);
      return { body: await action.run(actor, id(req), reason, context) };
    });
  }

  // --- Users: administration (admin.ts) ----------------------------------------------------------

  route('post', '/users', 'users:write', async (req, actor, context) => {
    const { reason, orgs, ...input } = parse(createUserBody, req.body);
    // The directory takes memberships as CODE:ROLE[:coordinator]; the parts are checked not to hold a colon.
    const memberships = orgs?.map((m) => [m.code, m.role, ...(m.coordinator ? [m.coordinator] : [])].join(':'));
    const created = await administration.createUser(actor, { ...input, role: input.role as 'helpdesk' | 'admin' | undefined, orgs: memberships }, reason, context);
    return { status: 201, location: `/users/${created.id}`, body: { id: created.id, username: created.username, temporaryPassword: created.temporary_password } };
  });

  route('patch', '/users/:id', 'users:write', async (req, actor, context) => {
    const { reason, ...details } = parse(updateUserBody, req.body);
    return { body: await administration.updateUser(actor, id(req), { ...details, phone: details.phone ?? '' }, reason, context) };
  });

  route('put', '/users/:id/role', 'users:write', async (req, actor, context) => {
    const { reason, role } = parse(roleBody, req.body);
    return { body: await administration.setRole(actor, id(req), role, reason, context) };
  });

  route('put', '/users/:id/memberships/:orgId', 'users:write', async (req, actor, context) => {
    const { reason, role, coordinator } = parse(membershipBody, req.body);
    return { body: await administration.setMembership(actor, id(req), { orgId: id(req, 'orgId'), role, coordinator: coordinator ?? null }, reason, context) };
  });

  route('delete', '/users/:id/memberships/:orgId', 'users:write', async (req, actor, context) => {
    const { reason } = parse(reasonOnly, req.body);
    return { body: await administration.removeMembership(actor, id(req), id(req, 'orgId'), reason, context) };
  });

  // --- Organizations -------------------------------------------------------------------------------

  route('get', '/orgs', 'orgs:read', async (req, actor) => {
    const query = parse(listOrgsQuery, req.query);
    const found = await administration.listOrgs(actor, query.q, query.page);
    return { body: { orgs: found.rows.map(orgView), page: query.page, more: found.more } };
  });

  route('post', '/orgs', 'orgs:write', async (req, actor, context) => {
    const { reason, ...input } = parse(createOrgBody, req.body);
    const created = await administration.createOrg(actor, input, reason, context);
    return { status: 201, location: `/orgs/${created.id}`, body: orgView(await administration.getOrg(actor, created.id)) };
  });

  route('get', '/orgs/:id', 'orgs:read', async (req, actor) => ({ body: orgView(await administration.getOrg(actor, id(req))) }));

  route('patch', '/orgs/:id', 'orgs:write', async (req, actor, context) => {
    const { reason, ...changes } = parse(updateOrgBody, req.body);
    // A field left out keeps its value (the library replaces name and type together).
    const current = await administration.getOrg(actor, id(req));
    const next = { name: changes.name ?? current.name, type: changes.type === undefined ? current.type : changes.type };
    return { body: orgView(await administration.updateOrg(actor, current.id, next, reason, context)) };
  });

  // --- An organization's users: its supervisors, state staff, administrators (org-members.ts) ------

  route('get', '/orgs/:orgId/members', 'members:manage', async (req, actor) => {
    const { members: found } = await members.listMembers(actor, id(req, 'orgId'));
    return { body: { members: found } };
  });

  route('post', '/orgs/:orgId/members', 'members:manage', async (req, actor, context) => {
    const input = parse(addMemberBody, req.body);
    return { status: 201, body: { member: await members.addMember(actor, id(req, 'orgId'), input, context) } };
  });

  route('put', '/orgs/:orgId/members/:userId', 'members:manage', async (req, actor, context) => {
    const { role } = parse(memberRoleBody, req.body);
    return { body: { member: await members.setMemberRole(actor, id(req, 'orgId'), id(req, 'userId'), role, context) } };
  });

  // 200 with a body, as DELETE /users/{id}/memberships/{orgId} answers.
  route('delete', '/orgs/:orgId/members/:userId', 'members:manage', async (req, actor, context) => {
    parse(emptyBody, req.body);
    return { body: await members.removeMember(actor, id(req, 'orgId'), id(req, 'userId'), context) };
  });

  // --- Applications (OIDC clients) -------------------------------------------------------------------

  route('get', '/clients', 'clients:read', async (_req, actor) => ({ body: { clients: await administration.listClients(actor) } }));

  route('post', '/clients', 'clients:write', async (req, actor, context) => {
    const { reason, ...input } = parse(createClientBody, req.body);
    // Shapes only here; the directory checks every value (grants, methods, app names, URIs, scopes).
    const created = await administration.createClient(actor, input as Parameters<Administration['createClient']>[1], reason, context);
    return { status: 201, location: `/clients/${encodeURIComponent(created.client_id)}`, body: { clientId: created.client_id, clientSecret: created.client_secret ?? null, grantTypes: created.grant_types } };
  });

  route('get', '/clients/:id', 'clients:read', async (req, actor) => ({ body: await administration.getClient(actor, id(req)) }));

  route('patch', '/clients/:id', 'clients:write', async (req, actor, context) => {
    const { reason, ...changes } = parse(updateClientBody, req.body);
    // A field left out keeps its value (the library replaces the three together).
    const current: ClientView = await administration.getClient(actor, id(req));
    const next = {
      redirectUris: changes.redirectUris ?? current.redirectUris,
      postLogoutRedirectUris: changes.postLogoutRedirectUris ?? current.postLogoutRedirectUris,
      backchannelLogoutUri: changes.backchannelLogoutUri === undefined ? current.backchannelLogoutUri : changes.backchannelLogoutUri,
    };
    return { body: await administration.updateClientUris(actor, current.clientId, next, reason, context) };
  });

  route('post', '/clients/:id/rotate-secret', 'clients:write', async (req, actor, context) => {
    const { reason, previousSecretExpiresIn } = parse(rotateBody, req.body);
    return { body: await administration.rotateSecret(actor, id(req), previousSecretExpiresIn * 1000, reason, context) };
  });

  // --- HL7 exchange credentials of an organization (hl7-credentials.ts) ------------------------------

  route('post', '/hl7-credentials', 'credentials:hl7', async (req, actor, context) => {
    const input = parse(hl7CredentialBody, req.body);
    const created = await hl7Credentials.create(actor, input, context);
    return { status: 201, location: `/hl7-credentials?iisId=${created.iisId}`, body: created };
  });

  route('get', '/hl7-credentials', 'credentials:hl7', async (req, actor) => {
    const { iisId } = parse(hl7CredentialsQuery, req.query);
    return { body: { credentials: await hl7Credentials.list(actor, iisId) } };
  });

  route('post', '/hl7-credentials/:clientId/rotate-secret', 'credentials:hl7', async (req, actor, context) => {
    const { previousSecretExpiresIn } = parse(hl7RotateBody, req.body);
    return { body: await hl7Credentials.rotate(actor, id(req, 'clientId'), previousSecretExpiresIn === undefined ? undefined : previousSecretExpiresIn * 1000, context) };
  });

  route('delete', '/hl7-credentials/:clientId', 'credentials:hl7', async (req, actor, context) => {
    parse(emptyBody, req.body);
    return { body: await hl7Credentials.revoke(actor, id(req, 'clientId'), context) };
  });

  // --- Acceptable Use Agreement ------------------------------------------------------------------------

  // Up to 100,000 characters of text, so a larger body than elsewhere.
  route(
    'post',
    '/aua-versions',
    'aua:publish',
    async (req, actor, context) => {
      const { reason, ...aua } = parse(auaBody, req.body);
      return { status: 201, body: await administration.publishAua(actor, aua, reason, context) };
    },
    '512kb',
  );

  // --- Security-question catalogue ------------------------------------------------------------------

  route('get', '/security-questions', 'questions:write', async (_req, actor) => ({ body: { questions: questions.list(actor) } }));

  route('post', '/security-questions', 'questions:write', async (req, actor, context) => {
    const { reason, text: question } = parse(questionBody, req.body);
    const added = await questions.add(actor, question, reason, context);
    return { status: 201, body: { id: added.id, text: question.trim(), active: true } };
  });

  route('put', '/security-questions/:id/offered', 'questions:write', async (req, actor, context) => {
    const { reason, offered } = parse(offeredBody, req.body);
    return { body: { id: id(req), offered, ...(await questions.setOffered(actor, id(req), offered, reason, context)) } };
  });

  // --- Audit log (reads, themselves audited) -------------------------------------------------------

  route('get', '/audit-events', 'audit:read', async (req, actor, context) => {
    const query = parse(auditQuery, req.query);
    const { before, limit, ...filters } = query;
    const found = await auditLog.search(actor, filters, { before, limit }, context);
    return { body: { events: found.events, nextBefore: found.nextBefore ?? null } };
  });

  // Streamed: the filters are checked and the export recorded before the first byte.
  router.get('/audit-events/export', needs('audit:read'), async (req, res) => {
    const { format, ...filters } = parse(auditExportQuery, req.query);
    const rows = await auditLog.export(actorOf(res), filters, format, auditContext(req));
    res.status(200).type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    for await (const chunk of rows) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  });

  router.use((_req, _res, next) => next(new PortalError('page.not_found', 404)));
  router.use(apiErrors(deps));
  return router;
}

// --- Bearer errors (RFC 6750 §3) -------------------------------------------------------------------

class BearerError extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly error: 'invalid_token' | 'insufficient_scope' | undefined,
    readonly description: string,
    readonly scope?: string,
  ) {
    super(error ?? 'token_required');
  }
}

const invalidToken = (description: string) => new BearerError(401, 'invalid_token', description);

/** The scopes that give a capability, narrowest first (the help desk's before the administrators'). */
export function scopesGranting(capability: Capability): ApiScope[] {
  return apiScopeNames.filter((s) => (apiScopes[s] as readonly Capability[]).includes(capability));
}

function insufficientScope(capability: Capability): BearerError {
  const [needed, ...others] = scopesGranting(capability);
  const alternatives = others.length ? ` (${others.join(', ')} also allows it)` : capability === 'members:manage' ? ` (or a person's own token with ${memberScope})` : '';
  return new BearerError(403, 'insufficient_scope', `This needs the scope ${needed}${alternatives}.`, needed);
}

/** `scope` names one scope that suffices: RFC 6750 reads a list there as all of them required. */
function challenge(e: BearerError): string {
  const params = ['realm="admin"'];
  if (e.error) params.push(`error="${e.error}"`, `error_description="${e.description}"`);
  if (e.scope) params.push(`scope="${e.scope}"`);
  return `Bearer ${params.join(', ')}`;
}

const actorOf = (res: Response) => res.locals.actor as Actor;

// --- Bodies: JSON objects, their shapes checked here, their values by the libraries ----------------

const jsonTypes = ['application/json', 'application/*+json'];

function jsonBody(limit: string): RequestHandler {
  const parseJson = withoutNul(express.json({ limit, type: jsonTypes, strict: true }));
  return (req, res, next) => {
    const hasBody = req.get('transfer-encoding') !== undefined || (req.get('content-length') ?? '0') !== '0';
    if (!hasBody) {
      req.body = {};
      return next();
    }
    if (!req.is(jsonTypes)) return next(new PortalError('request.invalid', 400));
    parseJson(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) return next(new PortalError('request.invalid', 400));
      next();
    });
  };
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new PortalError('admin.invalid', 400, { problems: result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ') });
  return result.data;
}

// Generous bounds: the libraries' own rules (and messages) decide; these only keep out nonsense.
const text = (max: number) => z.string().max(max);
const uri = text(500);
/**
 * An object (its fields are for requireReason in reasons.ts to judge, with its own messages); a
 * missing one is an empty one, so it is refused as "choose a reason" like a form left blank.
 */
const reason = z.looseObject({}).optional().transform((r) => r ?? {});
const noColon = (max: number) => text(max).regex(/^[^:]*$/, 'no colon');

const reasonOnly = z.strictObject({ reason });
const verifyBody = z.strictObject({ method: text(20), questionId: text(100).optional(), answer: text(200).optional(), email: text(320).optional() });
const createUserBody = z.strictObject({
  username: text(200),
  email: text(320),
  name: text(400).optional(),
  phone: text(80).optional(),
  role: text(20).optional(),
  orgs: z.array(z.strictObject({ code: noColon(100), role: noColon(100), coordinator: z.enum(['primary', 'secondary']).nullable().optional() })).max(50).optional(),
  reason,
});
const updateUserBody = z.strictObject({ name: text(400), email: text(320), phone: text(80).nullable(), reason });
const roleBody = z.strictObject({ role: text(20), reason });
const membershipBody = z.strictObject({ role: text(100), coordinator: text(20).nullable().optional(), reason });
const listOrgsQuery = z.object({ q: text(100).default(''), page: z.coerce.number().int().min(1).max(1000).default(1) });
const addMemberBody = z.strictObject({ username: text(200), email: text(320), role: text(40) });
const memberRoleBody = z.strictObject({ role: text(40) });
const emptyBody = z.strictObject({});
const createOrgBody = z.strictObject({ code: text(100), iisId: text(20), name: text(400), type: text(40).nullable().optional(), reason });
const updateOrgBody = z.strictObject({ name: text(400).optional(), type: text(40).nullable().optional(), reason });
const createClientBody = z.strictObject({
  name: text(400),
  clientId: text(100).optional(),
  redirectUris: z.array(uri).max(20).optional(),
  postLogoutRedirectUris: z.array(uri).max(20).optional(),
  backchannelLogoutUri: uri.optional(),
  public: z.boolean().optional(),
  grants: z.array(text(40)).max(5).optional(),
  authMethod: text(40).optional(),
  app: text(40).optional(),
  scopes: z.array(text(60)).max(30).optional(),
  reason,
});
const updateClientBody = z.strictObject({ redirectUris: z.array(uri).max(20).optional(), postLogoutRedirectUris: z.array(uri).max(20).optional(), backchannelLogoutUri: uri.nullable().optional(), reason });
/** Seconds, as `expires_in` is everywhere in OAuth; at most 30 days (the library's limit). */
const rotateBody = z.strictObject({ previousSecretExpiresIn: z.number().int().min(0).max(30 * 24 * 3600), reason });
const hl7CredentialBody = z.strictObject({ iisId: text(20), name: text(400) });
const hl7CredentialsQuery = z.strictObject({ iisId: text(20) });
/** Seconds; left out, the old secret works for 24 hours (hl7-credentials.ts). */
const hl7RotateBody = z.strictObject({ previousSecretExpiresIn: z.number().int().min(0).max(30 * 24 * 3600).optional() });
const auaBody = z.strictObject({ version: text(100), text: text(200_000), reason });
const questionBody = z.strictObject({ text: text(400), reason });
const offeredBody = z.strictObject({ offered: z.boolean(), reason });
const auditFilters = { from: text(40).optional(), to: text(40).optional(), action: text(100).optional(), actor: text(100).optional(), subject: text(100).optional(), ip: text(100).optional() };
const auditQuery = z.strictObject({
  ...auditFilters,
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const auditExportQuery = z.strictObject({ ...auditFilters, format: z.enum(['csv', 'jsonl']).default('jsonl') });

// --- Views ---------------------------------------------------------------------------------------------

function userSummary(row: { id: string; username: string; name: string; email: string; system_role: 'helpdesk' | 'admin' | null; disabled_at: number | null }) {
  return { id: row.id, username: row.username, name: row.name, email: row.email, systemRole: row.system_role, disabledAt: row.disabled_at == null ? null : Number(row.disabled_at) };
}

/** The IIS ID stays the string it was typed as: `0000012345`, never 12345. */
function orgView(row: { id: string; code: string; iis_id: string; name: string; type: string | null; created_at?: number }) {
  return { id: row.id, code: row.code, iisId: row.iis_id, name: row.name, type: row.type ?? null, createdAt: row.created_at == null ? null : Number(row.created_at) };
}

// --- Errors: always `{ error, message }` as JSON ---------------------------------------------------------

function apiErrors(deps: { config: PortalConfig; logger: Logger }): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    res.set('cache-control', 'no-store');
    // The libraries refuse with admin.forbidden too (defence in depth): said as RFC 6750 here.
    if (err instanceof PortalError && err.code === 'admin.forbidden' && res.locals.capability) err = insufficientScope(res.locals.capability as Capability);
    if (err instanceof BearerError) {
      res.status(err.status).set('www-authenticate', challenge(err)).json({ error: err.error ?? 'token_required', message: err.description });
      return;
    }
    // Malformed JSON, an unsupported charset, a path that does not decode: all 400 here.
    const error = toPortalError(err, (fields) => deps.logger.error({ ...fields, path: req.path }, 'unhandled error in the admin API'), { clientStatus: 400 });
    res.status(error.status).json({ error: error.code, message: messageFor(error.code, { support: deps.config.supportContact, ...error.params }) });
  };
}
