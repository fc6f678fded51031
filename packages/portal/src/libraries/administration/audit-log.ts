import type { UserQueries } from '../../queries/users.js';
import { auditFilterInput, type Audit, type AuditContext, type AuditEntry, type AuditFilter, type ExportFormat } from '../audit.js';
import { formatIssues } from '../directory.js';
import { PortalError } from '../errors.js';
import { actorForAudit, requireCapability, type Actor } from './actors.js';

/** Filters as an administrator types them: actor and subject may be usernames (looked up) or ids. */
export interface AuditQueryInput {
  from?: string | undefined;
  to?: string | undefined;
  action?: string | undefined;
  actor?: string | undefined;
  subject?: string | undefined;
  ip?: string | undefined;
}

export interface AuditRowView extends AuditEntry {
  actorUsername: string | null;
  subjectUsername: string | null;
}

/**
 * Reading the audit log from the administration pages and the admin API (issue #8): search and
 * streaming export with the same filters, for actors holding `audit:read`. Every read is itself
 * audited by the audit library (`audit.search`, `audit.export`).
 */
export function createAuditLog(deps: { audit: Audit; users: UserQueries }) {
  const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

  /** A username becomes the account's id; an unknown one matches nothing rather than everything. */
  async function idOf(value: string | undefined): Promise<string | undefined> {
    if (!value) return undefined;
    const user = (await deps.users.findByUsername(value)) ?? (await deps.users.findById(value));
    return user?.id ?? 'no-such-user';
  }

  async function filterOf(input: AuditQueryInput): Promise<AuditFilter> {
    const parsed = auditFilterInput.safeParse({
      from: blank(input.from),
      to: blank(input.to),
      action: blank(input.action),
      actor: await idOf(blank(input.actor)?.slice(0, 100)),
      subject: await idOf(blank(input.subject)?.slice(0, 100)),
      ip: blank(input.ip),
    });
    if (!parsed.success) throw new PortalError('admin.invalid', 400, { problems: formatIssues(parsed.error) });
    return parsed.data;
  }

  return {
    filterOf,
    async search(actor: Actor, input: AuditQueryInput, page: { before?: number; limit?: number }, context: AuditContext): Promise<{ events: AuditRowView[]; nextBefore: number | undefined }> {
      requireCapability(actor, 'audit:read');
      const filter = await filterOf(input);
      const before = Number.isSafeInteger(page.before) && page.before! > 0 ? page.before : undefined;
      const { events, nextBefore } = await deps.audit.search(filter, { limit: page.limit ?? 50, before }, { ...context, actorUserId: actorForAudit(actor).actorUserId });
      const ids = [...new Set(events.flatMap((e) => [e.actorUserId, e.subjectUserId]).filter((id): id is string => !!id))];
      const names = new Map((await Promise.all(ids.map((id) => deps.users.findById(id)))).filter((u) => u !== undefined).map((u) => [u.id, u.username]));
      return {
        events: events.map((e) => ({ ...e, actorUsername: e.actorUserId ? (names.get(e.actorUserId) ?? null) : null, subjectUsername: e.subjectUserId ? (names.get(e.subjectUserId) ?? null) : null })),
        nextBefore,
      };
    },

    /** The matching rows, streamed (CSV or JSON lines); checked and filtered before the first byte. */
    async export(actor: Actor, input: AuditQueryInput, format: ExportFormat, context: AuditContext): Promise<AsyncGenerator<string>> {
      requireCapability(actor, 'audit:read');
      const filter = await filterOf(input);
      return deps.audit.export(filter, { format, via: actorForAudit(actor).via }, { ...context, actorUserId: actorForAudit(actor).actorUserId });
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
