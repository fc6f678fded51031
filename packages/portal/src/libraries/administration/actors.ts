import { PortalError } from '../errors.js';
import { aal2 } from '../assurance.js';
import type { Audit, AuditContext, AuditEvent } from '../audit.js';

/**
 * Who is acting in the help desk and administration, and what each may do (SPEC §3.10). Every
 * function of `administration/` takes an actor and checks here — the pages, the admin API and the
 * CLI call the same functions, so they cannot differ.
 */
export type Capability =
  | 'users:read'
  | 'users:verify_caller'
  | 'users:unlock'
  | 'users:reset'
  | 'users:sessions'
  | 'users:disable'
  | 'users:write'
  | 'orgs:read'
  | 'orgs:write'
  | 'clients:read'
  | 'clients:write'
  | 'aua:publish'
  | 'questions:write'
  | 'audit:read'
  /** An organization's members (org-members.ts): the organization and the roles are checked there. */
  | 'members:manage'
  /** HL7 exchange credentials of an organization (hl7-credentials.ts): create, list, rotate, revoke — nothing else. */
  | 'credentials:hl7';

const helpDesk: readonly Capability[] = ['users:read', 'users:verify_caller', 'users:unlock', 'users:reset', 'users:sessions', 'users:disable', 'orgs:read'];
const everything: readonly Capability[] = [...helpDesk, 'users:write', 'orgs:write', 'clients:read', 'clients:write', 'aua:publish', 'questions:write', 'audit:read', 'members:manage', 'credentials:hl7'];

/** The admin API's scopes (client_credentials tokens) and what each allows. */
export const apiScopes = {
  'helpdesk:read': ['users:read', 'orgs:read'],
  'helpdesk:verify': ['users:verify_caller'],
  'helpdesk:unlock': ['users:unlock'],
  'helpdesk:reset': ['users:reset'],
  'helpdesk:sessions': ['users:sessions', 'users:disable'],
  /** Syntropi (enrollment): an approved site's HL7 exchange credentials, and no other admin route. */
  'enrollment:credentials': ['credentials:hl7'],
  'admin:users': ['users:read', 'users:verify_caller', 'users:unlock', 'users:reset', 'users:sessions', 'users:disable', 'users:write', 'members:manage'],
  'admin:orgs': ['orgs:read', 'orgs:write'],
  'admin:clients': ['clients:read', 'clients:write', 'credentials:hl7'],
  'admin:aua': ['aua:publish'],
  'admin:questions': ['questions:write'],
  'admin:audit:read': ['audit:read'],
} as const satisfies Record<string, readonly Capability[]>;

export type ApiScope = keyof typeof apiScopes;
export const apiScopeNames = Object.keys(apiScopes) as ApiScope[];

/**
 * The one admin API scope a person's own access token carries (authorization code flow with
 * `resource` = the API, provider.ts): never in a client_credentials token, so not in `apiScopes`.
 */
export const memberScope = 'org:members';

export type Actor =
  /** A portal user signed in to the console. */
  | { kind: 'person'; userId: string; username: string; role: 'helpdesk' | 'admin' }
  /** A machine client of the admin API, with the scopes its token carries. */
  | { kind: 'client'; clientId: string; scopes: readonly string[] }
  /** Someone with the server's own access, at its shell (`pnpm portal …`). */
  | { kind: 'operator' }
  /**
   * A person through an app, with their own `org:members` token: whose organizations they may
   * manage is read from their memberships at each call (org-members.ts), never from the token.
   */
  | { kind: 'member'; userId: string; username: string; clientId: string };

/**
 * A staff member at the console as an actor, or a refusal: no staff role, or (when the policy says
 * staff must use a second factor, the default) a session signed in with a password alone. Checked
 * here, where every console action starts, so no page can forget it (issue #10).
 */
export function consoleActor(
  user: { id: string; username: string; system_role: 'helpdesk' | 'admin' | null },
  session: { acr?: string | undefined },
  policy: { requiredForStaff: boolean },
  roles: readonly ('helpdesk' | 'admin')[],
): Extract<Actor, { kind: 'person' }> {
  const role = user.system_role;
  if (!role || !roles.includes(role)) throw new PortalError('admin.forbidden', 403);
  if (policy.requiredForStaff && session.acr !== aal2) throw new PortalError('mfa.staff_required', 403);
  return { kind: 'person', userId: user.id, username: user.username, role };
}

export function capabilitiesOf(actor: Actor): ReadonlySet<Capability> {
  switch (actor.kind) {
    case 'person':
      return new Set(actor.role === 'admin' ? everything : helpDesk);
    case 'client':
      return new Set(actor.scopes.flatMap((s) => (s in apiScopes ? [...apiScopes[s as ApiScope]] : [])));
    case 'operator':
      return new Set(everything);
    case 'member':
      return new Set(['members:manage']);
  }
}

/** Refuses with 403 unless the actor has the capability. */
export function requireCapability(actor: Actor, capability: Capability): void {
  if (!capabilitiesOf(actor).has(capability)) throw new PortalError('admin.forbidden', 403);
}

/** Administrators (a person, or a client holding `admin:users`) may manage staff accounts; the help desk may not. */
export function isAdminLevel(actor: Actor): boolean {
  return actor.kind === 'operator' || capabilitiesOf(actor).has('users:write');
}

/**
 * The hard rule (not configuration): the help desk never acts on administrators, on other help-desk
 * staff or on itself, and nobody acts on their own account from the console or the API — whatever
 * target id arrives in the request. Operators at the server's shell are the break-glass path (an
 * administrator locked out with nobody else to help).
 */
export function requireMayActOn(actor: Actor, target: { id: string; system_role: 'helpdesk' | 'admin' | null }): void {
  if ((actor.kind === 'person' || actor.kind === 'member') && actor.userId === target.id) throw new PortalError('admin.not_on_self', 403);
  if (target.system_role !== null && !isAdminLevel(actor)) throw new PortalError('admin.not_on_staff', 403);
}

/** What goes into an audit row as the actor: ids, never a token. */
export function actorForAudit(actor: Actor): { actorUserId: string | null; via: string } {
  switch (actor.kind) {
    case 'person':
      return { actorUserId: actor.userId, via: actor.role === 'admin' ? 'admin_console' : 'helpdesk_console' };
    case 'client':
      return { actorUserId: null, via: `api:${actor.clientId}` };
    case 'operator':
      return { actorUserId: null, via: 'cli' };
    case 'member':
      return { actorUserId: actor.userId, via: `api:${actor.clientId}` };
  }
}

/** An audit row of the actor's change: `details.via` and `actor_user_id` as actorForAudit says. */
export async function recordAs(audit: Audit, actor: Actor, event: AuditEvent, context: AuditContext): Promise<void> {
  const who = actorForAudit(actor);
  await audit.record({ ...event, details: { via: who.via, ...event.details } }, { ...context, actorUserId: who.actorUserId });
}
