import nodemailer from 'nodemailer';
import type { RpLogger } from '@portal/rp-kit';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

/**
 * Outgoing mail over real SMTP, as the portal sends it. Only the recipient's domain and the
 * message id are logged: no address, subject or body.
 */
export function createMailer({ smtpUrl, from, log }: { smtpUrl: string; from: string; log: RpLogger }): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({ from, ...mail });
        log('info', 'mail sent', { recipientDomain: domainOf(mail.to), messageId: info.messageId });
      } catch (error) {
        // The error's own message can quote the SMTP dialogue; its code is enough to act on.
        log('error', 'mail not sent', { recipientDomain: domainOf(mail.to), reason: (error as { code?: string }).code ?? (error as Error).name });
        throw error;
      }
    },
    close: () => transport.close(),
  };
}

const greetingFor = (name: string) => (name.trim() ? `Hello ${name.trim()},` : 'Hello,');

/** Seed 003, step 5: the point of contact hears of the decision on the site's enrollment. */
export function decisionMail(input: { name: string; siteName: string; programme: string; iisId: string; approved: boolean; comment: string | null; link: string }): Omit<Mail, 'to'> {
  const verdict = input.approved ? 'approved' : 'not approved';
  const lines = [
    greetingFor(input.name),
    '',
    `The enrollment of ${input.siteName} (TX IIS ID ${input.iisId}) as a ${input.programme} site was ${verdict} by the Texas Immunization Program.`,
    '',
    ...(input.comment ? ['Comment from the reviewer:', input.comment, ''] : []),
    input.approved
      ? 'Next: complete the Bidirectional Exchange ROI in Syntropi to start HL7 data exchange with TX-ImmTrac2.'
      : 'You can correct the enrollment in Syntropi and submit it again.',
    `Status and history: ${input.link}`,
    '',
    'For Syntropi questions, write to VacCallCenter@dshs.texas.gov.',
    '',
  ];
  return { subject: `Syntropi: enrollment ${verdict} for ${input.siteName}`, text: lines.join('\n') };
}

/** Seed 003, step 12: the site is approved to go live with HL7 reporting. */
export function goLiveMail(input: { name: string; siteName: string; iisId: string; link: string }): Omit<Mail, 'to'> {
  const lines = [
    greetingFor(input.name),
    '',
    `${input.siteName} (TX IIS ID ${input.iisId}) is approved to go live reporting to TX-ImmTrac2 over HL7.`,
    '',
    `Download the production credentials under Connectivity and Transport: ${input.link}`,
    'Keep them secret: send them only in an encrypted or secure email.',
    '',
  ];
  return { subject: `Syntropi: ${input.siteName} approved to go live`, text: lines.join('\n') };
}
