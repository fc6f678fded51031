import { z } from 'zod';
import type { UnitOfWork } from '../../db/knex.js';
import type { UserQueries, UserRow } from '../../queries/users.js';
import type { OrgQueries, OrgRow } from '../../queries/orgs.js';
import { coordinatorKinds, registryRoles, type Coordinator, type RegistryRole } from '../../queries/orgs.js';
import type { ClientQueries, ClientRow } from '../../queries/clients.js';
import type { Aua } from '../../flows/aua/aua.js';
import type { Audit, AuditContext, AuditEvent } from '../audit.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { supportNoticeMail, type Mailer, type SupportChange } from '../mailer.js';
import { PortalError } from '../errors.js';
import { randomToken, sha256Hex } from '../secrets.js';
import { DirectoryError, formatIssues, orgInput, type createDirectory } from '../directory.js';
import { actorForAudit, recordAs, requireCapability, requireMayActOn, type Actor } from './actors.js';
import { reasonForAudit, requireReason } from './reasons.js';

export const orgTypes = ['clinic', 'hospital', 'pharmacy', 'school', 'public_health', 'long_term_care', 'other'] as const;
export type OrgType = (typeof orgTypes)[number];

const userDetails = z.object({
  name: z.string().trim().min(1, 'name: required').max(200, 'name: at most 200 characters').refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'name: no control characters'),
  email: z.string().trim().email('email: not a valid address').max(254),
  phone: z
    .string()
    .trim()
    .max(40)
    .refine((v) => v === '' || /^[0-9 +().-]{7,40}$/.test(v), 'phone: digits, spaces and + ( ) . - only')
    .transform((v) => (v === '' ? null : v)),
});

const membershipInput = z.object({
  orgId: z.string().min(1).max(36),
  role: z.enum(registryRoles as unknown as [RegistryRole, ...RegistryRole[]]),
  coordinator: z.enum(coordinatorKinds as unknown as [Coordinator, ...Coordinator[]]).nullable().default(null),
});

const orgUpdate = z.object({
  name: z.string().trim().min(1, 'name: required').max(200, 'name: at most 200 characters'),
  type: z.enum(orgTypes).nullable().default(null),
});

const auaInput = z.object({
  version: z.string().trim().regex(/^[A-Za-z0-9._-]{1,40}$/, 'version: 1–40 letters, digits, . _ -'),
  text: z.string().trim().min(50, 'text: at least 50 characters').max(100_000, 'text: at most 100,000 characters'),
});

/** Durations an old secret may keep working after a rotation: from none to 30 days. */
const maxOverlapMs = 30 * 24 * 3600_000;

/** A client as an administrator sees it: never a secret or its hash. */
export interface ClientView {
  clientId: string;
  name: string;
  app: string | null;
  grantTypes: string[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  scope: string | null;
  public: boolean;
  createdAt: number;
  secretRotatedAt: number | null;
  /** While a rotation overlaps: when the previous secret stops working. */
  previousSecretExpiresAt: number | null;
}

/** The organization an id from a request names, or 404 (also for the organization members library). */
export async function findOrg(orgs: OrgQueries, orgId: unknown): Promise<OrgRow> {
  const org = typeof orgId === 'string' && orgId.length <= 36 ? await orgs.findById(orgId) : undefined;
  if (!org) throw new PortalError('admin.no_such_org', 404);
  return org;
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new PortalError('admin.invalid', 400, { problems: formatIssues(result.error) });
  return result.data;
}

/** Directory errors (duplicate username, unknown org) become a 400 the person can act on. */
async function directoryCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof DirectoryError) throw new PortalError('admin.invalid', 400, { problems: err.message });
    throw err;
  }
}

export function toClientView(row: ClientRow, now: number): ClientView {
  const m = JSON.parse(row.metadata) as Record<string, unknown>;
  const previousLive = row.previous_secret_expires_at != null && Number(row.previous_secret_expires_at) > now;
  return {
    clientId: row.client_id,
    name: row.name,
    app: row.app,
    grantTypes: (m.grant_types as string[] | undefined) ?? [],
    redirectUris: (m.redirect_uris as string[] | undefined) ?? [],
    postLogoutRedirectUris: (m.post_logout_redirect_uris as string[] | undefined) ?? [],
    backchannelLogoutUri: (m.backchannel_logout_uri as string | undefined) ?? null,
    scope: (m.scope as string | undefined) ?? null,
    public: m.token_endpoint_auth_method === 'none',
    createdAt: Number(row.created_at),
    secretRotatedAt: row.secret_rotated_at == null ? null : Number(row.secret_rotated_at),
    previousSecretExpiresAt: previousLive ? Number(row.previous_secret_expires_at) : null,
  };
}

/**
 * A new secret for a client, returned once; the old one keeps working for `overlapMs` (0 = at once),
 * then fails at the token endpoint. Only the hashes are stored; the audit row names neither. The
 * caller has checked the actor and the client (administration here, HL7 credentials in hl7-credentials.ts).
 */
export async function rotateClientSecret(
  deps: { clients: ClientQueries; audit: Audit; clock: Clock; unitOfWork: UnitOfWork },
  actor: Actor,
  client: ClientRow,
  overlapMs: number,
  details: Record<string, unknown>,
  context: AuditContext,
): Promise<{ clientId: string; clientSecret: string; previousSecretExpiresAt: number }> {
  if (!client.secret_hash) throw new PortalError('admin.invalid', 400, { problems: 'this application is public (it has no secret)' });
  const secret = randomToken(32);
  const now = deps.clock.now();
  const previousSecretExpiresAt = now + overlapMs;
  const metadata = { ...(JSON.parse(client.metadata) as Record<string, unknown>), client_secret: sha256Hex(secret) };
  await deps.unitOfWork(async () => {
    // Compare-and-set on the current hash: two rotations at once cannot leave a secret nobody was shown.
    if (!(await deps.clients.rotateSecret(client.client_id, client.secret_hash!, { secretHash: sha256Hex(secret), metadata: JSON.stringify(metadata), previousExpiresAt: previousSecretExpiresAt }, now))) {
      throw new PortalError('flow.replayed', 409);
    }
    await recordAs(deps.audit, actor, { action: 'client.rotate_secret', subject: client.client_id, details: { ...details, previousSecretExpiresAt } }, context);
  });
  return { clientId: client.client_id, clientSecret: secret, previousSecretExpiresAt };
}

/** Durations an old secret may keep working after a rotation, for the API's callers to check against. */
export const maxPreviousSecretLifetimeMs = maxOverlapMs;

/**
 * Administration (SPEC §3.10, issue #8, role `admin`): users, roles, organizations, memberships,
 * applications and their secrets, the Acceptable Use Agreement. Like the help desk's library,
 * every function takes the actor and checks it here, needs a reason for a change, and audits it.
 */
export function createAdministration(deps: {
  users: UserQueries;
  orgs: OrgQueries;
  clients: ClientQueries;
  aua: Aua;
  audit: Audit;
  clock: Clock;
  logger: Logger;
  mailer: Mailer | undefined;
  supportContact: string;
  timeZone: string;
  unitOfWork: UnitOfWork;
  directory: ReturnType<typeof createDirectory>;
  /** oidc-provider's own check of client metadata. */
  validateClient: (metadata: Record<string, unknown>) => Promise<void>;
}) {
  const { users, orgs, clients, audit, clock } = deps;

  function by(actor: Actor, reason: ReturnType<typeof requireReason>, context: AuditContext) {
    const who = actorForAudit(actor);
    return { via: who.via, actorUserId: who.actorUserId, details: reasonForAudit(reason), context };
  }

  const record = (actor: Actor, event: AuditEvent, context: AuditContext) => recordAs(audit, actor, event, context);

  function notify(user: UserRow, what: SupportChange) {
    const mailer = deps.mailer;
    if (!mailer) return;
    const mail = supportNoticeMail({ name: user.name, what, at: new Date(clock.now()), supportContact: deps.supportContact, timeZone: deps.timeZone });
    mailer.send({ to: user.email, ...mail }).catch((err: Error) => deps.logger.error({ event: 'mail.error', err: err.message }, 'admin notice not sent'));
  }

  async function targetUser(actor: Actor, userId: unknown): Promise<UserRow> {
    requireCapability(actor, 'users:write');
    const user = typeof userId === 'string' && userId.length <= 36 ? await users.findById(userId) : undefined;
    if (!user) throw new PortalError('admin.no_such_user', 404);
    requireMayActOn(actor, user);
    return user;
  }

  const targetOrg = (orgId: unknown) => findOrg(orgs, orgId);

  async function targetClient(clientId: unknown): Promise<ClientRow> {
    const client = typeof clientId === 'string' && clientId.length <= 64 ? await clients.find(clientId) : undefined;
    if (!client) throw new PortalError('admin.no_such_client', 404);
    return client;
  }

  return {
    /** A new account with a generated temporary password, shown once to the administrator. */
    async createUser(actor: Actor, input: { username: string; email: string; name?: string; phone?: string; role?: 'helpdesk' | 'admin'; orgs?: string[] }, reasonInput: unknown, context: AuditContext) {
      requireCapability(actor, 'users:write');
      const reason = requireReason(reasonInput);
      return directoryCall(() => deps.directory.createUser({ ...input, temporary: true, orgs: input.orgs ?? [] }, by(actor, reason, context)));
    },

    /** Name, email and phone as an administrator corrects them; the old address is told of a new one. */
    async updateUser(actor: Actor, userId: unknown, input: unknown, reasonInput: unknown, context: AuditContext): Promise<{ changed: string[] }> {
      const user = await targetUser(actor, userId);
      const details = parse(userDetails, input);
      const reason = requireReason(reasonInput);
      const changed = [
        ...(details.name !== user.name ? (['name'] as const) : []),
        ...(details.email !== user.email ? (['email'] as const) : []),
        ...(details.phone !== (user.phone ?? null) ? (['phone'] as const) : []),
      ];
      if (!changed.length) return { changed };
      const now = clock.now();
      await deps.unitOfWork(async () => {
        await users.updateProfile(user.id, { name: details.name, phone: details.phone }, now);
        if (changed.includes('email')) await users.setEmail(user.id, details.email, now);
        await record(actor, { action: 'admin.user_update', subjectUserId: user.id, details: { ...reasonForAudit(reason), changed, ...(changed.includes('email') ? { from: user.email, to: details.email } : {}) } }, context);
      });
      notify(user, { kind: 'detailsChanged', fields: changed });
      return { changed };
    },

    /** Grants or removes a staff role. Administrators cannot change their own role (requireMayActOn). */
    async setRole(actor: Actor, userId: unknown, role: unknown, reasonInput: unknown, context: AuditContext): Promise<{ role: 'helpdesk' | 'admin' | null }> {
      const user = await targetUser(actor, userId);
      const next = parse(z.enum(['helpdesk', 'admin', 'none']), role);
      const reason = requireReason(reasonInput);
      const value = next === 'none' ? null : next;
      await deps.unitOfWork(async () => {
        await users.setSystemRole(user.id, value, clock.now());
        await record(actor, { action: 'admin.role_change', subjectUserId: user.id, details: { ...reasonForAudit(reason), from: user.system_role, to: value } }, context);
      });
      notify(user, value ? { kind: 'roleGiven', role: value } : { kind: 'roleRemoved' });
      return { role: value };
    },

    /** Adds or changes a membership: the registry role, and primary/secondary vaccine coordinator. */
    async setMembership(actor: Actor, userId: unknown, input: unknown, reasonInput: unknown, context: AuditContext) {
      const user = await targetUser(actor, userId);
      const m = parse(membershipInput, input);
      const org = await targetOrg(m.orgId);
      const reason = requireReason(reasonInput);
      await deps.unitOfWork(async () => {
        await orgs.setMembership({ userId: user.id, orgId: org.id, role: m.role, coordinator: m.coordinator }, clock.now());
        await record(actor, { action: 'admin.membership_set', subjectUserId: user.id, subject: org.code, details: { ...reasonForAudit(reason), role: m.role, coordinator: m.coordinator } }, context);
      });
      notify(user, { kind: 'accessChanged', org: org.name });
      return { org: org.code, role: m.role, coordinator: m.coordinator };
    },

    async removeMembership(actor: Actor, userId: unknown, orgId: unknown, reasonInput: unknown, context: AuditContext) {
      const user = await targetUser(actor, userId);
      const org = await targetOrg(orgId);
      const reason = requireReason(reasonInput);
      let removed = false;
      await deps.unitOfWork(async () => {
        removed = await orgs.removeMembership(user.id, org.id);
        await record(actor, { action: 'admin.membership_remove', subjectUserId: user.id, subject: org.code, details: { ...reasonForAudit(reason), removed } }, context);
      });
      if (removed) notify(user, { kind: 'accessRemoved', org: org.name });
      return { removed };
    },

    async listOrgs(actor: Actor, prefix: string, page: number) {
      requireCapability(actor, 'orgs:read');
      const size = 50;
      const rows = await orgs.list(prefix.slice(0, 40), { limit: size + 1, offset: (Math.max(1, page) - 1) * size });
      return { rows: rows.slice(0, size), more: rows.length > size };
    },

    async getOrg(actor: Actor, orgId: unknown): Promise<OrgRow> {
      requireCapability(actor, 'orgs:read');
      return targetOrg(orgId);
    },

    /** An organization as people name it in a form: by its code (case as stored). */
    async getOrgByCode(actor: Actor, code: unknown): Promise<OrgRow> {
      requireCapability(actor, 'orgs:read');
      const org = typeof code === 'string' && code.trim() && code.length <= 40 ? await orgs.findByCode(code.trim()) : undefined;
      if (!org) throw new PortalError('admin.no_such_org', 404);
      return org;
    },

    /** Organizations keep their 10-digit TX IIS ID as typed, leading zeros included. */
    async createOrg(actor: Actor, input: { code: string; iisId: string; name: string; type?: string | null }, reasonInput: unknown, context: AuditContext) {
      requireCapability(actor, 'orgs:write');
      const type = parse(z.enum(orgTypes).nullable().default(null), input.type ?? null);
      parse(orgInput, { code: input.code, iisId: input.iisId, name: input.name });
      const reason = requireReason(reasonInput);
      return directoryCall(() => deps.directory.createOrg({ code: input.code, iisId: input.iisId, name: input.name, type }, by(actor, reason, context)));
    },

    async updateOrg(actor: Actor, orgId: unknown, input: unknown, reasonInput: unknown, context: AuditContext) {
      requireCapability(actor, 'orgs:write');
      const org = await targetOrg(orgId);
      const changes = parse(orgUpdate, input);
      const reason = requireReason(reasonInput);
      await deps.unitOfWork(async () => {
        await orgs.update(org.id, changes);
        await record(actor, { action: 'admin.org_update', subject: org.code, details: { ...reasonForAudit(reason), ...changes } }, context);
      });
      return { ...org, ...changes };
    },

    async listClients(actor: Actor): Promise<ClientView[]> {
      requireCapability(actor, 'clients:read');
      const now = clock.now();
      return (await clients.list()).map((row) => toClientView(row, now));
    },

    async getClient(actor: Actor, clientId: unknown): Promise<ClientView> {
      requireCapability(actor, 'clients:read');
      return toClientView(await targetClient(clientId), clock.now());
    },

    /** Registers an application; its secret is returned once and stored only as a hash. */
    async createClient(actor: Actor, input: Parameters<ReturnType<typeof createDirectory>['createClient']>[0], reasonInput: unknown, context: AuditContext) {
      requireCapability(actor, 'clients:write');
      const reason = requireReason(reasonInput);
      return directoryCall(() => deps.directory.createClient(input, by(actor, reason, context)));
    },

    /** Redirect, post-logout and back-channel URIs of an application that signs people in. */
    async updateClientUris(actor: Actor, clientId: unknown, input: unknown, reasonInput: unknown, context: AuditContext): Promise<ClientView> {
      requireCapability(actor, 'clients:write');
      const client = await targetClient(clientId);
      const uri = z.string().url().max(500).refine((v) => /^https?:\/\//.test(v) && !v.includes('#'), 'http(s), no fragment');
      const changes = parse(z.object({ redirectUris: z.array(uri).min(1).max(20), postLogoutRedirectUris: z.array(uri).max(20).default([]), backchannelLogoutUri: uri.nullable().default(null) }), input);
      const reason = requireReason(reasonInput);
      const metadata = JSON.parse(client.metadata) as Record<string, unknown>;
      if (!(metadata.grant_types as string[] | undefined)?.includes('authorization_code')) {
        throw new PortalError('admin.invalid', 400, { problems: 'a machine client (client_credentials only) has no redirect URIs' });
      }
      const next: Record<string, unknown> = { ...metadata, redirect_uris: changes.redirectUris, post_logout_redirect_uris: changes.postLogoutRedirectUris };
      delete next.backchannel_logout_uri;
      delete next.backchannel_logout_session_required;
      if (changes.backchannelLogoutUri) Object.assign(next, { backchannel_logout_uri: changes.backchannelLogoutUri, backchannel_logout_session_required: true });
      try {
        await deps.validateClient(next);
      } catch (err) {
        const e = err as { error_description?: string; message?: string };
        throw new PortalError('admin.invalid', 400, { problems: `invalid client: ${e.error_description ?? e.message}` });
      }
      await deps.unitOfWork(async () => {
        await clients.updateMetadata(client.client_id, client.name, JSON.stringify(next));
        await record(actor, { action: 'client.update', subject: client.client_id, details: { ...reasonForAudit(reason), ...changes } }, context);
      });
      return toClientView({ ...client, metadata: JSON.stringify(next) }, clock.now());
    },

    /**
     * A new secret, returned once; the old one keeps working for `oldExpiresInMs` (0 = at once),
     * then fails at the token endpoint. Only the hashes are stored; the audit row names neither.
     */
    async rotateSecret(actor: Actor, clientId: unknown, oldExpiresInMs: unknown, reasonInput: unknown, context: AuditContext): Promise<{ clientId: string; clientSecret: string; previousSecretExpiresAt: number }> {
      requireCapability(actor, 'clients:write');
      const client = await targetClient(clientId);
      const overlap = parse(z.number().int().min(0).max(maxOverlapMs), oldExpiresInMs);
      const reason = requireReason(reasonInput);
      return rotateClientSecret(deps, actor, client, overlap, reasonForAudit(reason), context);
    },

    /** The version everyone accepts now, with its text. */
    async currentAua(actor: Actor): Promise<{ version: string; text: string; publishedAt: number }> {
      requireCapability(actor, 'aua:publish');
      const current = await deps.aua.current();
      return { version: current.version, text: current.text, publishedAt: Number(current.published_at) };
    },

    /** A new AUA text: everyone is asked to accept it at their next sign-in. */
    async publishAua(actor: Actor, input: unknown, reasonInput: unknown, context: AuditContext): Promise<{ version: string }> {
      requireCapability(actor, 'aua:publish');
      const aua = parse(auaInput, input);
      const reason = requireReason(reasonInput);
      const current = await deps.aua.current();
      if (current.version === aua.version || (await deps.aua.exists(aua.version))) throw new PortalError('admin.invalid', 400, { problems: `version ${aua.version} is already published` });
      await deps.unitOfWork(async () => {
        await deps.aua.publish(aua.version, aua.text, { context: { ...context, actorUserId: actorForAudit(actor).actorUserId }, details: { via: actorForAudit(actor).via, ...reasonForAudit(reason) } });
      });
      return { version: aua.version };
    },
  };
}

export type Administration = ReturnType<typeof createAdministration>;
