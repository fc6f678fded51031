import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Services } from '../portal.js';
import { coordinatorKinds, registryRoles, type Coordinator, type RegistryRole } from '../queries/orgs.js';
import { randomToken, sha256Hex } from './secrets.js';
import type { AuditContext } from './audit.js';
import { temporaryPasswordLifetimeMs } from './password-policy.js';
import { memberScope } from './administration/actors.js';
import { hl7SubmitScope, orgBindingProperty, peopleScopes } from '../oidc/claims.js';

/**
 * Creating organizations, users and OIDC clients: shared by the operator CLI, the demo data and
 * (later) the admin console, so the rules live in one place. Errors are `DirectoryError`s whose
 * message an operator can act on.
 */
export class DirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DirectoryError';
  }
}

export const orgInput = z.object({
  code: z.string().trim().regex(/^[A-Za-z0-9_-]{1,40}$/, 'code: letters, digits, - and _ only (at most 40)'),
  iisId: z.string().regex(/^\d{10}$/, 'iis-id: exactly 10 digits (the TX IIS ID)'),
  name: z.string().trim().min(1, 'name: required').max(200, 'name: at most 200 characters'),
});

const membershipSpec = z.string().transform((spec, ctx) => {
  const [code, role, coordinator, ...rest] = spec.split(':');
  if (!code || !role || rest.length) {
    ctx.addIssue({ code: 'custom', message: `org "${spec}": expected CODE:ROLE[:primary|secondary]` });
    return z.NEVER;
  }
  if (!(registryRoles as readonly string[]).includes(role)) {
    ctx.addIssue({ code: 'custom', message: `org "${spec}": role must be one of ${registryRoles.join(', ')}` });
    return z.NEVER;
  }
  if (coordinator !== undefined && !(coordinatorKinds as readonly string[]).includes(coordinator)) {
    ctx.addIssue({ code: 'custom', message: `org "${spec}": coordinator must be primary or secondary` });
    return z.NEVER;
  }
  return { code, role: role as RegistryRole, coordinator: (coordinator ?? null) as Coordinator | null };
});

export const userInput = z
  .object({
    // Usernames are strings: leading zeros matter (11-digit employee numbers, SPEC §3.1).
    username: z.string().regex(/^[A-Za-z0-9._@-]{3,100}$/, 'username: 3–100 letters, digits, or . _ @ -'),
    email: z.string().trim().email('email: not a valid address').max(254),
    name: z.string().trim().min(1).max(200).optional(),
    phone: z.string().trim().regex(/^[0-9 +().-]{7,40}$/, 'phone: digits, spaces and + ( ) . - only').optional(),
    password: z.string().min(8, 'password: at least 8 characters').max(256).optional(),
    temporary: z.boolean().default(false),
    role: z.enum(['helpdesk', 'admin']).optional(),
    orgs: z.array(membershipSpec).default([]),
  })
  .refine((u) => !(u.password && u.temporary), { message: 'give either --password or --temporary, not both' })
  .refine((u) => u.password || u.temporary, { message: 'give --password P or --temporary' });

const redirectUri = z
  .string()
  .url('not a valid absolute URL')
  .refine((v) => /^https?:\/\//.test(v), 'must be http or https')
  .refine((v) => !v.includes('#'), 'must not contain a fragment');

export const clientInput = z
  .object({
    name: z.string().trim().min(1, 'name: required').max(200),
    clientId: z.string().regex(/^[A-Za-z0-9._-]{3,64}$/).optional(),
    clientSecret: z.string().min(32).optional(),
    redirectUris: z.array(redirectUri).default([]),
    postLogoutRedirectUris: z.array(redirectUri).default([]),
    backchannelLogoutUri: redirectUri.optional(),
    public: z.boolean().default(false),
    grants: z.array(z.enum(['authorization_code', 'client_credentials'])).default([]),
    authMethod: z.enum(['client_secret_basic', 'client_secret_post']).default('client_secret_basic'),
    app: z.enum(['registry', 'enrollment', 'ordering']).optional(),
    /**
     * What a client_credentials client may ask for (e.g. the admin API's `admin:users`), and
     * `org:members` for an app whose signed-in supervisors manage their organizations' users.
     */
    scopes: z.array(z.string().regex(/^[a-z0-9:._-]{1,60}$/, 'scope: lower-case letters, digits and : . _ -')).max(30).default([]),
    /** The organization (TX IIS ID, leading zeros kept) an HL7 exchange credential submits for. */
    orgIisId: z.string().regex(/^\d{10}$/, 'org: exactly 10 digits (the TX IIS ID)').optional(),
  })
  .refine((c) => !(c.public && c.grants.includes('client_credentials')), {
    message: 'a public client cannot use client_credentials (it has no secret)',
  });

/** Who made a change, for its audit row: a CLI/demo label, or an actor with a reason and a context. */
export interface AuditBy {
  via: string;
  actorUserId?: string | null;
  details?: Record<string, unknown>;
  context?: AuditContext;
}
const byOf = (by: string | AuditBy): AuditBy => (typeof by === 'string' ? { via: by } : by);
const contextOf = (by: AuditBy): AuditContext => ({ ...by.context, actorUserId: by.actorUserId ?? null });

export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length && !i.message.includes(':') ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new DirectoryError(formatIssues(result.error));
  return result.data;
}

export function createDirectory(services: Services, validateClient?: (metadata: Record<string, unknown>) => Promise<void>) {
  const { db, users, orgs, clients, passwords, audit, clock } = services;

  return {
    async createOrg(input: z.input<typeof orgInput> & { type?: string | null }, actor: string | AuditBy = 'cli') {
      const by = byOf(actor);
      const org = parse(orgInput, input);
      if (await orgs.findByCode(org.code)) throw new DirectoryError(`organization ${org.code} already exists`);
      if (await orgs.findByIisId(org.iisId)) throw new DirectoryError(`IIS ID ${org.iisId} is already used`);
      const id = randomUUID();
      await orgs.insert({ id, code: org.code, iis_id: org.iisId, name: org.name, type: input.type ?? null }, clock.now());
      await audit.record({ action: 'org.create', subject: org.code, details: { via: by.via, ...by.details } }, contextOf(by));
      return { id, code: org.code, iis_id: org.iisId, name: org.name };
    },

    /** Returns the temporary password when one was generated (shown once, never stored plainly). */
    async createUser(input: z.input<typeof userInput>, actor: string | AuditBy = 'cli') {
      const by = byOf(actor);
      const u = parse(userInput, input);
      if (await users.findByUsername(u.username)) throw new DirectoryError(`username ${u.username} is already taken`);
      const memberships: { orgId: string; role: RegistryRole; coordinator: Coordinator | null }[] = [];
      for (const m of u.orgs) {
        const org = await orgs.findByCode(m.code);
        if (!org) throw new DirectoryError(`unknown organization ${m.code}`);
        memberships.push({ orgId: org.id, role: m.role, coordinator: m.coordinator });
      }
      const temporaryPassword = u.temporary ? temporaryPasswordValue() : undefined;
      const passwordHash = await passwords.hash(u.password ?? temporaryPassword!);
      const id = randomUUID();
      const now = clock.now();
      // One transaction: a user is created with all their memberships or not at all.
      await db.transaction(async (trx) => {
        await users.insert(
          {
            id,
            username: u.username,
            name: u.name ?? u.username,
            email: u.email,
            phone: u.phone ?? null,
            password_hash: passwordHash,
            password_temporary: u.temporary,
            system_role: u.role ?? null,
          },
          now,
          trx,
          // Unused, a temporary password stops working after 72 hours, like the help desk's.
          { temporaryPasswordExpiresAt: u.temporary ? now + temporaryPasswordLifetimeMs : null },
        );
        for (const m of memberships) await orgs.addMembership({ userId: id, ...m }, now, trx);
        await services.passwordHistory.add(id, passwordHash, now, trx);
      });
      await audit.record({ action: 'user.create', subjectUserId: id, details: { via: by.via, orgs: u.orgs.map((o) => o.code), ...(u.role ? { role: u.role } : {}), ...by.details } }, contextOf(by));
      return { id, username: u.username, temporary_password: temporaryPassword };
    },

    /** Registers an OIDC client; the secret is returned once and stored only as a hash. */
    async createClient(input: z.input<typeof clientInput>, actor: string | AuditBy = 'cli') {
      const by = byOf(actor);
      const c = parse(clientInput, input);
      // No grant named: a client that signs people in, the default since before grants could be named.
      const grants = new Set(c.grants.length ? c.grants : ['authorization_code']);
      const machineOnly = !grants.has('authorization_code');
      // Refused rather than created: without authorization_code every sign-in fails with invalid_request.
      if (machineOnly && c.redirectUris.length) {
        throw new DirectoryError('a client with --redirect-uri needs --grant authorization_code (without it no one can sign in to it); leave out --redirect-uri for a machine client');
      }
      if (machineOnly && (c.postLogoutRedirectUris.length || c.backchannelLogoutUri)) {
        throw new DirectoryError('--post-logout-redirect-uri and --backchannel-logout-uri need --grant authorization_code (a machine client has no one signed in)');
      }
      if (!machineOnly && c.redirectUris.length === 0) {
        throw new DirectoryError(c.grants.length ? 'give at least one --redirect-uri for --grant authorization_code' : 'give at least one --redirect-uri (or --grant client_credentials)');
      }
      if (machineOnly && c.scopes.includes(memberScope)) {
        throw new DirectoryError(`--scope ${memberScope} is for an app that signs people in (a person's own token): it needs --grant authorization_code`);
      }
      // The HL7 endpoint takes the submitting organization from the token (issue 12), so its scope
      // and the binding go together, on a machine client only: no person's token ever carries it.
      const hl7 = c.scopes.includes(hl7SubmitScope);
      if (hl7 && (!machineOnly || !c.orgIisId)) {
        throw new DirectoryError(`--scope ${hl7SubmitScope} is for an organization's HL7 exchange credentials: it needs --grant client_credentials alone and --org IIS_ID`);
      }
      if (c.orgIisId && !hl7) throw new DirectoryError(`--org binds HL7 exchange credentials to an organization: it needs --scope ${hl7SubmitScope}`);
      if (c.orgIisId && !(await orgs.findByIisId(c.orgIisId))) throw new DirectoryError(`no organization has the IIS ID ${c.orgIisId}`);
      // A registered scope list is all a client may ask for: an app that signs people in keeps theirs.
      const scopes = c.scopes.length && !machineOnly ? [...new Set([...peopleScopes, ...c.scopes])] : c.scopes;
      const grantTypes = machineOnly ? ['client_credentials'] : ['authorization_code', 'refresh_token', ...(grants.has('client_credentials') ? ['client_credentials'] : [])];
      const clientId = c.clientId ?? `${slug(c.name)}-${randomToken(6)}`;
      if (await clients.find(clientId)) throw new DirectoryError(`client ${clientId} already exists`);
      const clientSecret = c.public ? undefined : (c.clientSecret ?? randomToken(32));

      const metadata: Record<string, unknown> = {
        client_id: clientId,
        client_name: c.name,
        grant_types: grantTypes,
        response_types: machineOnly ? [] : ['code'],
        redirect_uris: c.redirectUris,
        post_logout_redirect_uris: c.postLogoutRedirectUris,
        token_endpoint_auth_method: c.public ? 'none' : c.authMethod,
        ...(c.app ? { app: c.app } : {}),
        ...(c.orgIisId ? { [orgBindingProperty]: c.orgIisId } : {}),
        ...(scopes.length ? { scope: scopes.join(' ') } : {}),
        ...(clientSecret ? { client_secret: sha256Hex(clientSecret) } : {}),
        ...(c.backchannelLogoutUri ? { backchannel_logout_uri: c.backchannelLogoutUri, backchannel_logout_session_required: true } : {}),
      };
      try {
        await validateClient?.(metadata);
      } catch (err) {
        const e = err as { error_description?: string; message?: string };
        throw new DirectoryError(`invalid client: ${e.error_description ?? e.message}`);
      }
      await clients.insert({
        client_id: clientId,
        name: c.name,
        app: c.app ?? null,
        secret_hash: clientSecret ? sha256Hex(clientSecret) : null,
        metadata: JSON.stringify(metadata),
        created_at: clock.now(),
      });
      await audit.record({ action: 'client.create', subject: clientId, details: { via: by.via, grants: grantTypes, public: c.public, ...(c.scopes.length ? { scopes: c.scopes } : {}), ...(c.orgIisId ? { iisId: c.orgIisId } : {}), ...by.details } }, contextOf(by));
      return { client_id: clientId, client_secret: clientSecret, grant_types: grantTypes };
    },
  };
}

export type Directory = ReturnType<typeof createDirectory>;

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'client';
}

/** 16 characters across all four classes, so it satisfies the password rules it must then replace. */
function temporaryPasswordValue(): string {
  return `Tp${randomToken(9)}7!`;
}
