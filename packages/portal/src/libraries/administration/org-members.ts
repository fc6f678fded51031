import { z } from 'zod';
import type { UnitOfWork } from '../../db/knex.js';
import type { UserQueries } from '../../queries/users.js';
import { registryRoles, type MemberRow, type OrgQueries, type OrgRow, type RegistryRole } from '../../queries/orgs.js';
import type { Audit, AuditContext } from '../audit.js';
import type { Clock } from '../clock.js';
import { PortalError } from '../errors.js';
import { formatIssues } from '../directory.js';
import { isAdminLevel, recordAs, requireCapability, type Actor } from './actors.js';
import { findOrg } from './admin.js';

/** A member as the admin API answers it. */
export interface MemberView {
  userId: string;
  username: string;
  name: string;
  email: string;
  role: RegistryRole;
  coordinator: 'primary' | 'secondary' | null;
}

/** The roles that manage their own organization's users (SPEC §5, "manage users at the organization"). */
const managingRoles: readonly RegistryRole[] = ['provider_supervisor', 'modified_access_substate'];
/** State staff manage every organization's users. */
const stateRole: RegistryRole = 'full_access_state';

const rank = (role: RegistryRole) => registryRoles.indexOf(role);
const role = z.enum(registryRoles as unknown as [RegistryRole, ...RegistryRole[]]);
const newMember = z.object({
  username: z.string().trim().min(1, 'username: required').max(100, 'username: at most 100 characters'),
  email: z.string().trim().min(3, 'email: required').max(254, 'email: at most 254 characters'),
  role,
});

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new PortalError('admin.invalid', 400, { problems: formatIssues(result.error) });
  return result.data;
}

const view = (row: MemberRow): MemberView => ({ userId: row.user_id, username: row.username, name: row.name, email: row.email, role: row.role, coordinator: row.coordinator ?? null });

/**
 * An organization's users, managed by its Provider Supervisor (or Modified Access Sub-state) and by
 * state staff (Full Access State anywhere) from the registry's "Manage Users", through the admin
 * API as themselves (a `member` actor), and by administrators for any organization. Who may manage
 * which organization, and up to which role, is decided here from the person's memberships as they
 * are in the database now — not from a token or the claims an app holds — so the pages, the API and
 * the CLI cannot differ, and a role taken away stops working at the next call.
 */
export function createOrgMembers(deps: { users: UserQueries; orgs: OrgQueries; audit: Audit; clock: Clock; unitOfWork: UnitOfWork }) {
  const { users, orgs, audit, clock } = deps;

  /**
   * The highest role the actor may give, see or take away at the organization, or a refusal. The
   * refusal comes before the organization is looked up, so a supervisor learns nothing about
   * organizations they do not manage (not even whether an id exists).
   */
  async function authority(actor: Actor, orgId: unknown): Promise<{ org: OrgRow; ceiling: RegistryRole }> {
    requireCapability(actor, 'members:manage');
    if (actor.kind !== 'member') {
      if (!isAdminLevel(actor)) throw new PortalError('admin.forbidden', 403);
      return { org: await findOrg(orgs, orgId), ceiling: stateRole };
    }
    const found = await users.findWithMemberships(actor.userId);
    if (!found || found.user.disabled_at) throw new PortalError('members.not_manager', 403);
    const { memberships } = found;
    if (memberships.some((m) => m.role === stateRole)) return { org: await findOrg(orgs, orgId), ceiling: stateRole };
    const here = memberships.find((m) => m.id === orgId);
    if (!here || !managingRoles.includes(here.role)) throw new PortalError('members.not_manager', 403);
    return { org: await findOrg(orgs, here.id), ceiling: here.role };
  }

  function notAboveCeiling(ceiling: RegistryRole, asked: RegistryRole) {
    if (rank(asked) > rank(ceiling)) throw new PortalError('members.role_above_yours', 403);
  }

  /** A member to change or remove: not the actor, not above the actor. */
  async function target(actor: Actor, org: OrgRow, ceiling: RegistryRole, userId: unknown): Promise<MemberRow> {
    if ((actor.kind === 'member' || actor.kind === 'person') && actor.userId === userId) throw new PortalError('members.not_on_self', 403);
    const member = typeof userId === 'string' && userId.length <= 36 ? await orgs.memberOf(org.id, userId) : undefined;
    if (!member) throw new PortalError('members.no_such_member', 404);
    if (rank(member.role) > rank(ceiling)) throw new PortalError('members.member_above_yours', 403);
    return member;
  }

  return {
    async listMembers(actor: Actor, orgId: unknown): Promise<{ org: OrgRow; members: MemberView[] }> {
      const { org } = await authority(actor, orgId);
      return { org, members: (await orgs.membersOf(org.id)).map(view) };
    },

    /**
     * Adds an existing portal account. Its username and email must both match: one answer for
     * either mismatch, so the form cannot be used to find out usernames (enumeration).
     */
    async addMember(actor: Actor, orgId: unknown, input: unknown, context: AuditContext): Promise<MemberView> {
      const { org, ceiling } = await authority(actor, orgId);
      const asked = parse(newMember, input);
      notAboveCeiling(ceiling, asked.role);
      const user = await users.findByUsername(asked.username);
      if (!user || user.email.trim().toLowerCase() !== asked.email.toLowerCase()) throw new PortalError('members.no_such_account', 404);
      if ((actor.kind === 'member' || actor.kind === 'person') && actor.userId === user.id) throw new PortalError('members.not_on_self', 403);
      await deps.unitOfWork(async () => {
        if (!(await orgs.addMembershipIfAbsent({ userId: user.id, orgId: org.id, role: asked.role, coordinator: null }, clock.now()))) {
          throw new PortalError('members.already_member', 409);
        }
        await recordAs(audit, actor, { action: 'members.add', subjectUserId: user.id, subject: org.code, details: { role: asked.role } }, context);
      });
      return { userId: user.id, username: user.username, name: user.name, email: user.email, role: asked.role, coordinator: null };
    },

    /** A new role at the organization; the vaccine-coordinator flag stays as it is. */
    async setMemberRole(actor: Actor, orgId: unknown, userId: unknown, roleInput: unknown, context: AuditContext): Promise<MemberView> {
      const { org, ceiling } = await authority(actor, orgId);
      const next = parse(role, roleInput);
      const member = await target(actor, org, ceiling, userId);
      notAboveCeiling(ceiling, next);
      if (next !== member.role) {
        await deps.unitOfWork(async () => {
          if (!(await orgs.setMembershipRole(member.user_id, org.id, next))) throw new PortalError('members.no_such_member', 404);
          await recordAs(audit, actor, { action: 'members.role_change', subjectUserId: member.user_id, subject: org.code, details: { from: member.role, to: next } }, context);
        });
      }
      return view({ ...member, role: next });
    },

    async removeMember(actor: Actor, orgId: unknown, userId: unknown, context: AuditContext): Promise<{ removed: true }> {
      const { org, ceiling } = await authority(actor, orgId);
      const member = await target(actor, org, ceiling, userId);
      await deps.unitOfWork(async () => {
        if (!(await orgs.removeMembership(member.user_id, org.id))) throw new PortalError('members.no_such_member', 404);
        await recordAs(audit, actor, { action: 'members.remove', subjectUserId: member.user_id, subject: org.code, details: { role: member.role, coordinator: member.coordinator ?? null } }, context);
      });
      return { removed: true };
    },
  };
}

export type OrgMembers = ReturnType<typeof createOrgMembers>;
