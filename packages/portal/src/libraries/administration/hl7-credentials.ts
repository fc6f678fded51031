import { z } from 'zod';
import type { UnitOfWork } from '../../db/knex.js';
import type { OrgQueries, OrgRow } from '../../queries/orgs.js';
import type { ClientQueries, ClientRow } from '../../queries/clients.js';
import type { Audit, AuditContext } from '../audit.js';
import type { Clock } from '../clock.js';
import { PortalError } from '../errors.js';
import { DirectoryError, formatIssues, type Directory } from '../directory.js';
import { hl7SubmitScope, orgBindingProperty } from '../../oidc/claims.js';
import { actorForAudit, recordAs, requireCapability, type Actor } from './actors.js';
import { maxPreviousSecretLifetimeMs, rotateClientSecret } from './admin.js';

/** An HL7 exchange credential as the admin API lists it: never a secret or its hash. */
export interface Hl7CredentialView {
  clientId: string;
  iisId: string;
  name: string;
  createdAt: number;
  secretRotatedAt: number | null;
  /** While a rotation overlaps: when the previous secret stops working. */
  previousSecretExpiresAt: number | null;
}

/** After a rotation the old secret works this long unless the caller says otherwise (the CLI's default too). */
export const defaultPreviousSecretLifetimeMs = 24 * 3600_000;

const iisId = z.string().regex(/^\d{10}$/, 'iisId: exactly 10 digits (the TX IIS ID, leading zeros kept)');
const newCredential = z.object({
  iisId,
  name: z.string().trim().min(1, 'name: required').max(200, 'name: at most 200 characters').refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'name: no control characters'),
});

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new PortalError('admin.invalid', 400, { problems: formatIssues(result.error) });
  return result.data;
}

/** The organization an HL7 credential client is bound to, or undefined for any other client. */
function boundIisId(row: ClientRow): string | undefined {
  const metadata = JSON.parse(row.metadata) as Record<string, unknown>;
  const bound = metadata[orgBindingProperty];
  const scopes = typeof metadata.scope === 'string' ? metadata.scope.split(' ') : [];
  return typeof bound === 'string' && scopes.includes(hl7SubmitScope) ? bound : undefined;
}

function view(row: ClientRow, now: number): Hl7CredentialView {
  const previousLive = row.previous_secret_expires_at != null && Number(row.previous_secret_expires_at) > now;
  return {
    clientId: row.client_id,
    iisId: boundIisId(row)!,
    name: row.name,
    createdAt: Number(row.created_at),
    secretRotatedAt: row.secret_rotated_at == null ? null : Number(row.secret_rotated_at),
    previousSecretExpiresAt: previousLive ? Number(row.previous_secret_expires_at) : null,
  };
}

/**
 * An approved provider site's HL7 exchange credentials (issue 12, "Connectivity and Transport"):
 * `client_credentials` clients with the one scope `hl7:submit`, bound in their metadata to the
 * organization's TX IIS ID, whose JWT access tokens the registry's HL7 endpoint accepts (provider.ts
 * puts the organization in them). Syntropi creates and rotates them through the admin API with
 * `enrollment:credentials`; administrators may too. These functions touch HL7 credential clients
 * only, so that scope can neither read nor change any other application.
 */
export function createHl7Credentials(deps: {
  orgs: OrgQueries;
  clients: ClientQueries;
  audit: Audit;
  clock: Clock;
  unitOfWork: UnitOfWork;
  directory: Directory;
  config: { portalUrl: string; hl7Resource: string };
}) {
  const { orgs, clients, clock } = deps;
  const tokenEndpoint = `${deps.config.portalUrl.replace(/\/+$/, '')}/token`;

  async function targetOrg(iisIdInput: unknown): Promise<OrgRow> {
    const org = await orgs.findByIisId(parse(iisId, iisIdInput));
    if (!org) throw new PortalError('hl7.no_such_org', 404);
    return org;
  }

  /** Any other client id answers as an unknown one: this scope learns nothing about other applications. */
  async function targetCredential(clientId: unknown): Promise<ClientRow> {
    const row = typeof clientId === 'string' && clientId.length <= 64 ? await clients.find(clientId) : undefined;
    if (!row || !boundIisId(row)) throw new PortalError('hl7.no_such_credential', 404);
    return row;
  }

  return {
    /** A new credential each call (a site may hold several); the secret is returned once, stored hashed. */
    async create(actor: Actor, input: unknown, context: AuditContext) {
      requireCapability(actor, 'credentials:hl7');
      const asked = parse(newCredential, input);
      const org = await targetOrg(asked.iisId);
      const who = actorForAudit(actor);
      try {
        const created = await deps.directory.createClient(
          { name: asked.name, grants: ['client_credentials'], scopes: [hl7SubmitScope], orgIisId: org.iis_id, authMethod: 'client_secret_basic' },
          { via: who.via, actorUserId: who.actorUserId, details: { kind: 'hl7_credential', org: org.code }, context },
        );
        return { clientId: created.client_id, clientSecret: created.client_secret!, iisId: org.iis_id, scope: hl7SubmitScope, tokenEndpoint, resource: deps.config.hl7Resource };
      } catch (err) {
        if (err instanceof DirectoryError) throw new PortalError('admin.invalid', 400, { problems: err.message });
        throw err;
      }
    },

    async list(actor: Actor, iisIdInput: unknown): Promise<Hl7CredentialView[]> {
      requireCapability(actor, 'credentials:hl7');
      const org = await targetOrg(iisIdInput);
      const now = clock.now();
      // The clients table is small (the apps and the sites' credentials): read and filtered here.
      return (await clients.list()).filter((row) => boundIisId(row) === org.iis_id).map((row) => view(row, now));
    },

    /** Two live secrets while the site redeploys: the old one works for `previousSecretExpiresInMs` (default 24 h). */
    async rotate(actor: Actor, clientId: unknown, previousSecretExpiresInMs: unknown, context: AuditContext) {
      requireCapability(actor, 'credentials:hl7');
      const row = await targetCredential(clientId);
      const overlap = parse(z.number().int().min(0).max(maxPreviousSecretLifetimeMs).default(defaultPreviousSecretLifetimeMs), previousSecretExpiresInMs);
      const rotated = await rotateClientSecret(deps, actor, row, overlap, { kind: 'hl7_credential', iisId: boundIisId(row) }, context);
      return { clientSecret: rotated.clientSecret, previousSecretExpiresAt: rotated.previousSecretExpiresAt };
    },

    /**
     * Revokes a credential: the client is deleted, so neither secret gets another token. JWTs already
     * issued are self-contained and live out their lifetime (ACCESS_TOKEN_MINUTES).
     */
    async revoke(actor: Actor, clientId: unknown, context: AuditContext): Promise<{ revoked: true }> {
      requireCapability(actor, 'credentials:hl7');
      const row = await targetCredential(clientId);
      await deps.unitOfWork(async () => {
        if (!(await clients.remove(row.client_id))) throw new PortalError('hl7.no_such_credential', 404);
        await recordAs(deps.audit, actor, { action: 'client.delete', subject: row.client_id, details: { kind: 'hl7_credential', iisId: boundIisId(row) } }, context);
      });
      return { revoked: true };
    },
  };
}

export type Hl7Credentials = ReturnType<typeof createHl7Credentials>;
