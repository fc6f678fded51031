import type { Audit } from '../../libraries/audit.js';
import type { Clock } from '../../libraries/clock.js';
import type { SecondFactors } from '../../libraries/factors/index.js';
import type { UnitOfWork } from '../../db/knex.js';
import type { Logger } from '../../libraries/logger.js';
import { accountChangeNoticeMail, type Mailer, type TwoStepChange } from '../../libraries/mailer.js';
import type { UserRow } from '../../queries/users.js';

/**
 * Tells the person by email that their two-step verification changed (set up, a passkey added or
 * removed, turned off): whoever did it, the owner hears of it. Sent after the change committed; a
 * mail failure is logged, never undoes the change.
 */
/** What setting up or removing a factor needs, from My Profile or at sign-in. */
export interface FactorChangeDeps {
  factors: SecondFactors;
  audit: Audit;
  clock: Clock;
  mailer: Mailer | undefined;
  logger: Logger;
  unitOfWork: UnitOfWork;
  config: { supportContact: string; mail: { timeZone: string } };
}

export function createFactorNotice(deps: Pick<FactorChangeDeps, 'clock' | 'mailer' | 'logger' | 'config'>) {
  return (user: UserRow, what: TwoStepChange): void => {
    if (!deps.mailer || !user.email) return;
    const mail = accountChangeNoticeMail({ name: user.name, what, at: new Date(deps.clock.now()), supportContact: deps.config.supportContact, timeZone: deps.config.mail.timeZone });
    deps.mailer.send({ to: user.email, ...mail }).catch((err: Error) => deps.logger.error({ event: 'mail.error', err: err.message }, 'two-step notice not sent'));
  };
}
