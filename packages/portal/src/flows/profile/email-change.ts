import type { UserQueries, UserRow } from '../../queries/users.js';
import type { Flow, FlowStore } from '../../libraries/flow-store.js';
import type { OneTimeCodes } from '../../libraries/one-time-codes.js';
import { emailChangeCodeMail, emailChangedNoticeMail, type Mailer } from '../../libraries/mailer.js';
import type { Audit, AuditContext } from '../../libraries/audit.js';
import type { Clock } from '../../libraries/clock.js';
import type { Logger } from '../../libraries/logger.js';
import { PortalError } from '../../libraries/errors.js';

/**
 * My Profile → a new email address (SPEC §3.9), as a stored flow — drawn in docs/flows/email-change.md:
 *
 *   code_sent → done
 *
 * The new address is not used until the person types the code mailed to it: otherwise a typo, or
 * someone at an unattended session, would redirect every future reset code to an address the owner
 * does not read (account takeover). The old address hears of the change afterwards.
 */
export const emailChangeKind = 'email_change';
export type EmailChangeState = 'code_sent' | 'done';
export interface EmailChangeData {
  newEmail: string;
}
export type EmailChangeFlow = Flow<EmailChangeData>;

export interface EmailChangePolicy {
  /** How long the code and the flow live (RECOVERY_CODE_MINUTES, 30 by default). */
  codeMinutes: number;
  /** Wrong codes before the change is abandoned (RECOVERY_CODE_MAX_ATTEMPTS, 5 by default). */
  codeMaxAttempts: number;
}


export function createEmailChange(deps: {
  flows: FlowStore;
  users: UserQueries;
  oneTimeCodes: OneTimeCodes;
  mailer: Mailer | undefined;
  audit: Audit;
  clock: Clock;
  logger: Logger;
  policy: EmailChangePolicy;
  supportContact: string;
  timeZone: string;
}) {
  const { flows, users, oneTimeCodes, audit, clock, policy } = deps;
  const asActor = (context: AuditContext, user: UserRow): AuditContext => ({ ...context, actorUserId: context.actorUserId ?? user.id });

  return {
    /**
     * Starts a change: a fresh code (only the newest works) mailed to the NEW address. If the mail
     * cannot be sent the change is abandoned at once, so the person is told rather than left waiting.
     */
    async request(user: UserRow, newEmail: string, context: AuditContext): Promise<EmailChangeFlow> {
      const flow = await flows.start<EmailChangeData>({
        kind: emailChangeKind,
        state: 'code_sent' satisfies EmailChangeState,
        ttlMs: policy.codeMinutes * 60_000,
        userId: user.id,
        usernameKey: user.username_key,
        data: { newEmail },
      });
      const code = oneTimeCodes.generate();
      const now = clock.now();
      // Only the newest code works: an earlier request's code stops working now.
      await flows.setSecret(flow, user.username_key, oneTimeCodes.hash(code), flow.expiresAt);
      const mail = emailChangeCodeMail({ name: user.name, code, expiresAt: new Date(flow.expiresAt), now: new Date(now), supportContact: deps.supportContact, timeZone: deps.timeZone });
      try {
        if (!deps.mailer) throw new Error('no SMTP configured');
        await deps.mailer.send({ to: newEmail, ...mail });
      } catch (err) {
        deps.logger.error({ event: 'mail.error', err: (err as Error).message }, 'email change code not sent');
        await flows.end(flow);
        throw new PortalError('profile.mail_failed', 502);
      }
      await audit.record({ action: 'profile.email_change_requested', subjectUserId: user.id, details: { to: newEmail } }, asActor(context, user));
      return flow;
    },

    /** The person's own change waiting for its code; anything else (another person's, done, expired) reads as expired. */
    async pending(id: string | undefined, user: UserRow): Promise<EmailChangeFlow | undefined> {
      if (!id || id.length > 64) return undefined;
      try {
        const flow = await flows.load<EmailChangeData>(id, emailChangeKind);
        return flow.userId === user.id && flow.state === 'code_sent' ? flow : undefined;
      } catch (err) {
        if (err instanceof PortalError) return undefined;
        throw err;
      }
    },

    /**
     * The right code, within its time, once: the new address replaces the old one. The try is
     * reserved before the compare (at most `codeMaxAttempts` compares, whatever the burst), and the
     * flow's move to `done` and the new address commit together, so of two racing submissions one
     * applies and the other changes nothing.
     */
    async confirm(flow: EmailChangeFlow, user: UserRow, code: string, context: AuditContext): Promise<{ oldEmail: string; newEmail: string }> {
      const reserved = await flows.reserveTry(flow, policy.codeMaxAttempts);
      if (!reserved) throw new PortalError('profile.too_many_attempts', 429);
      const { attempt, secretHash, secretExpiresAt } = reserved;
      // A newer request replaced this code, or its tries are used up.
      if (!secretHash) throw new PortalError('profile.code_expired', 410);
      if (secretExpiresAt === null || secretExpiresAt <= clock.now()) {
        await flows.end(flow);
        throw new PortalError('profile.code_expired', 410);
      }
      if (!oneTimeCodes.verify(code, secretHash)) {
        await audit.record({ action: 'profile.email_change_failure', subjectUserId: user.id, details: { attempts: attempt } }, asActor(context, user));
        if (attempt >= policy.codeMaxAttempts) {
          await flows.clearSecret(flow);
          throw new PortalError('profile.too_many_attempts', 429);
        }
        throw new PortalError('profile.wrong_code', 400);
      }

      const oldEmail = user.email;
      const { newEmail } = flow.data;
      const now = clock.now();
      await flows.advance(flow, 'done' satisfies EmailChangeState, { clearSecret: true }, async () => {
        await users.setEmail(user.id, newEmail, now);
        await audit.record({ action: 'profile.email_change', subjectUserId: user.id, details: { from: oldEmail, to: newEmail } }, asActor(context, user));
      });

      const notice = emailChangedNoticeMail({ name: user.name, newEmail, changedAt: new Date(now), supportContact: deps.supportContact, timeZone: deps.timeZone });
      // The change is made; a slow or failed notice must not undo it or hold the page.
      void deps.mailer
        ?.send({ to: oldEmail, ...notice })
        .catch((err: Error) => deps.logger.error({ event: 'mail.error', err: err.message }, 'email change notice not sent'));
      return { oldEmail, newEmail };
    },
  };
}

export type EmailChange = ReturnType<typeof createEmailChange>;
