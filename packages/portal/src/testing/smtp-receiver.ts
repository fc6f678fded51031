import { startMailCatcher, type MailCatcher } from '../dev/mail-catcher.js';

export type { CaughtMail, MailCatcher } from '../dev/mail-catcher.js';

/**
 * A real SMTP server for system tests (STYLE: real SMTP, not a mocked transport): the mail
 * catcher on free ports. Point the portal's SMTP_URL at `smtpUrl`; read mail with `waitFor`.
 */
export function startSmtpReceiver(): Promise<MailCatcher> {
  return startMailCatcher({ smtpPort: 0, webPort: 0 });
}
