import type { AuditContext } from '../../libraries/audit.js';
import type { NewPasskey, PasskeySummary } from '../../libraries/factors/passkeys.js';
import type { UserRow } from '../../queries/users.js';
import { createFactorNotice, type FactorChangeDeps } from './notice.js';

export const passkeyNameMaxLength = 60;

/** The name a person gives a passkey, to know it again in the list ("Work laptop"): 1–60 characters, one line. */
export function passkeyName(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const name = text.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (!name || [...name].length > passkeyNameMaxLength || /\p{Cc}/u.test(name)) return undefined;
  return name;
}

/**
 * Adding and removing passkeys from My Profile (issue #10). The registration ceremony's challenge
 * is made here and kept by the caller (a stored challenge record); what the browser sends back is
 * checked against it, and only then stored, with an audit row, and the person told by email.
 * Removing one (the caller has checked the password) is audited and told the same way.
 */
export function createPasskeyEnrolment(deps: FactorChangeDeps) {
  const { passkeys } = deps.factors;
  const tell = createFactorNotice(deps);

  return {
    options: (user: UserRow) => passkeys.registrationOptions(user),
    prepare: (responseText: unknown, challenge: string) => passkeys.verifyRegistration(responseText, challenge),
    async apply(user: UserRow, passkey: NewPasskey, name: string, context: AuditContext): Promise<PasskeySummary> {
      const saved = await deps.unitOfWork(async () => {
        const stored = await passkeys.save(user.id, passkey, name);
        // Our id and the name only: no credential id, public key or challenge in the audit.
        await deps.audit.record({ action: 'mfa.passkey_added', subjectUserId: user.id, details: { passkeyId: stored.id, name, synced: stored.synced } }, context);
        return stored;
      });
      tell(user, { kind: 'passkeyAdded', name });
      return saved;
    },
    /** Removes one of this person's passkeys; undefined when the id is not one of theirs. */
    async remove(user: UserRow, passkeyId: string, context: AuditContext): Promise<PasskeySummary | undefined> {
      const removed = await deps.unitOfWork(async () => {
        const gone = await passkeys.remove(user.id, passkeyId);
        if (gone) await deps.audit.record({ action: 'mfa.passkey_removed', subjectUserId: user.id, details: { passkeyId: gone.id, name: gone.name, by: 'self' } }, context);
        return gone;
      });
      if (removed) tell(user, { kind: 'passkeyRemoved', name: removed.name });
      return removed;
    },
  };
}

export type PasskeyEnrolment = ReturnType<typeof createPasskeyEnrolment>;
