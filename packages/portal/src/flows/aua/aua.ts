import type { AuaQueries } from '../../queries/aua.js';
import type { Audit, AuditContext } from '../../libraries/audit.js';
import type { Clock } from '../../libraries/clock.js';
import { currentAua } from './aua-text.js';

/**
 * The Acceptable Use Agreement (SPEC §3.3): asked for when the person has never accepted the
 * current version, or accepted it more than `maxAgeDays` ago. Acceptance records version, time and IP.
 */
export function createAua(deps: { queries: AuaQueries; audit: Audit; clock: Clock; maxAgeDays: number }) {
  const { queries, audit, clock, maxAgeDays } = deps;

  async function current() {
    const row = await queries.current();
    if (row) return row;
    // First start: publish the bundled text. A later bundled version is published the same way.
    await queries.publish({ version: currentAua.version, text: currentAua.text, published_at: clock.now() });
    return (await queries.current())!;
  }

  return {
    current,
    /** Publishes the bundled text if the database does not have that version yet. */
    async ensureBundledVersion(): Promise<void> {
      await queries.publish({ version: currentAua.version, text: currentAua.text, published_at: clock.now() });
    },
    /** A new text: it becomes the current version, and everyone accepts it at their next sign-in. */
    async publish(version: string, text: string, by: { context?: AuditContext; details?: Record<string, unknown> } = {}): Promise<void> {
      await queries.publish({ version, text, published_at: clock.now() });
      await audit.record({ action: 'aua.publish', subject: version, ...(by.details ? { details: by.details } : {}) }, by.context);
    },
    exists: async (version: string): Promise<boolean> => (await queries.find(version)) !== undefined,
    async needsAcceptance(userId: string): Promise<boolean> {
      const [version, last] = await Promise.all([current(), queries.lastAcceptance(userId)]);
      if (!last || last.version !== version.version) return true;
      return clock.now() - Number(last.accepted_at) >= maxAgeDays * 24 * 3600_000;
    },
    async accept(userId: string, version: string, context: AuditContext): Promise<void> {
      await queries.accept({ user_id: userId, version, accepted_at: clock.now(), ip: context.ip?.slice(0, 64) ?? null });
      await audit.record({ action: 'aua.accept', subjectUserId: userId, subject: version }, { ...context, actorUserId: userId });
    },
    async decline(userId: string, version: string, context: AuditContext): Promise<void> {
      await audit.record({ action: 'aua.decline', subjectUserId: userId, subject: version }, { ...context, actorUserId: userId });
    },
  };
}

export type Aua = ReturnType<typeof createAua>;
