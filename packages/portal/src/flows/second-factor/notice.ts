import type { Clock } from '../../libraries/clock.js';
import type { Logger } from '../../libraries/logger.js';
import { accountChangeNoticeMail, type Mailer } from '../../libraries/mailer.js';
import type { UserRow } from '../../queries/users.js';

/**
 * Tells the person by email that their two-step verification changed (set up, a passkey added or
 * removed, turned off): whoever did it, the owner hears of it. Sent after the change committed; a
 * mail failure is logged, never undoes the change.
 */
export function createFactorNotice(deps: { clock: Clock; mailer: Mailer | undefined; logger: Logger; config: { supportContact: string; mail: { timeZone: string } } }) {
  return (user: UserRow, what: string): void => {
    if (!deps.mailer || !user.email) return;
    const mail = accountChangeNoticeMail({ name: user.name, what, at: new Date(deps.clock.now()), supportContact: deps.config.supportContact, timeZone: deps.config.mail.timeZone });
    deps.mailer.send({ to: user.email, ...mail }).catch((err: Error) => deps.logger.error({ event: 'mail.error', err: err.message }, 'two-step notice not sent'));
  };
}
