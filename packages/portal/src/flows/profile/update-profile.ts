import type { UserQueries, UserRow } from '../../queries/users.js';
import type { Audit, AuditContext } from '../../libraries/audit.js';
import type { Clock } from '../../libraries/clock.js';

export interface ProfileDetails {
  name: string;
  /** null when the person left it empty. */
  phone: string | null;
}

/**
 * My Profile → name and phone (SPEC §3.9): saved at once, audited with the names of the fields
 * that changed. The values are already validated at the edge (routes/profile.ts).
 */
export function createProfileUpdate(deps: { users: UserQueries; audit: Audit; clock: Clock }) {
  return {
    /** Returns the fields that changed; nothing is written when none did. */
    async update(user: UserRow, details: ProfileDetails, context: AuditContext): Promise<string[]> {
      const changed = [
        ...(details.name !== user.name ? ['name'] : []),
        ...(details.phone !== (user.phone ?? null) ? ['phone'] : []),
      ];
      if (changed.length === 0) return changed;
      await deps.users.updateProfile(user.id, details, deps.clock.now());
      await deps.audit.record({ action: 'profile.update', subjectUserId: user.id, details: { changed } }, { ...context, actorUserId: context.actorUserId ?? user.id });
      return changed;
    },
  };
}

export type ProfileUpdate = ReturnType<typeof createProfileUpdate>;
