import { registryRoles, type RegistryRole } from '@portal/rp-kit';
import { requireCapability, type Actor } from './access.js';
import { RegistryError } from './errors.js';

/** A person's membership at an organization, as the portal's admin API returns it. */
export interface Member { userId: string; username: string; name: string; email: string; role: RegistryRole; coordinator: string | null }

/** What the portal said when it refused: its message is plain text for the person. */
export class MembersRefused extends Error {
  constructor(readonly status: number, readonly code: string, readonly portalMessage: string) {
    super(code);
    this.name = 'MembersRefused';
  }
}

/** The access token ran out (or there never was one): get a new one through the portal, then retry. */
export class TokenNeeded extends Error {}

/**
 * "Manage users at their organization" (seed 000, Provider Supervisor and above) through the
 * portal's admin API, with the person's own access token (scope org:members): the portal owns
 * who works where and checks, against its database, that this person may manage this organization.
 * ImmTrac2 checks the role first too, so a View Only user never reaches the API.
 */
export function createPortalMembers(deps: { apiBase: string; tokenOf: () => Promise<string | undefined>; fetch?: typeof fetch }) {
  const send = deps.fetch ?? fetch;

  async function call<T>(actor: Actor, method: string, path: string, body?: unknown): Promise<T> {
    requireCapability(actor, 'users:manage');
    const token = await deps.tokenOf();
    if (!token) throw new TokenNeeded();
    let answer: Response;
    try {
      answer = await send(`${deps.apiBase}/orgs/${encodeURIComponent(actor.org.id)}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw new RegistryError('members.unavailable', 503);
    }
    if (answer.status === 401) throw new TokenNeeded();
    const json = (await answer.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!answer.ok) {
      if (answer.status >= 500 || !json) throw new RegistryError('members.unavailable', 503);
      throw new MembersRefused(answer.status, String(json.error ?? 'refused'), String(json.message ?? 'The Enterprise Portal refused the change.'));
    }
    return json as T;
  }

  return {
    async list(actor: Actor): Promise<Member[]> {
      return (await call<{ members: Member[] }>(actor, 'GET', '/members')).members;
    },
    async add(actor: Actor, input: { username: string; email: string; role: RegistryRole }): Promise<Member> {
      return (await call<{ member: Member }>(actor, 'POST', '/members', input)).member;
    },
    async setRole(actor: Actor, userId: string, role: RegistryRole): Promise<Member> {
      return (await call<{ member: Member }>(actor, 'PUT', `/members/${encodeURIComponent(userId)}`, { role })).member;
    },
    async remove(actor: Actor, userId: string): Promise<void> {
      await call(actor, 'DELETE', `/members/${encodeURIComponent(userId)}`);
    },
  };
}

/** The roles a person may give at their organization: up to their own (the portal checks the same). */
export function assignableRoles(actor: Actor): RegistryRole[] {
  if (actor.org.role === 'full_access_state') return [...registryRoles];
  return registryRoles.slice(0, registryRoles.indexOf(actor.org.role) + 1);
}

export type PortalMembers = ReturnType<typeof createPortalMembers>;
