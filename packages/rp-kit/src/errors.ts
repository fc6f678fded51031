import { addCatalogue, hasKey, translate } from '@portal/common';
import { messagesEs, t } from './locales.js';

/**
 * A coded error: `code` is also the key of the message a person reads. The one error handler
 * renders it; nothing else (no stack trace, no library message) reaches the person. The English
 * words of each code; locales.ts has them in Spanish.
 */
export const messages = {
  'login.expired': 'Your sign-in took too long, was already completed, or was started in another browser window. Please sign in again.',
  'login.denied': 'The Enterprise Portal did not allow you to open this application.',
  'login.failed': 'The Enterprise Portal could not complete your sign-in. Please sign in again.',
  'portal.unreachable': 'The Enterprise Portal cannot be reached right now. Please try again in a minute.',
  'request.csrf': 'Your form expired or came from another site. Please try again.',
  'request.invalid': 'The request was not understood.',
  'access.denied': 'You do not have access to this page.',
  'page.not_found': 'There is no page at this address.',
  'server.error': 'Something went wrong on our side. Please try again.',
} as const;

export type MessageKey = keyof typeof messages;

// Keyed by code, dots and all, as the portal's coded messages are (keySeparator: false below).
addCatalogue('apps-messages', { en: messages, es: messagesEs });

export class RpError extends Error {
  constructor(
    readonly code: MessageKey,
    readonly status = 400,
    /** Replaces the standard wording when an app has a more precise one (e.g. VAOS's audience). */
    readonly override?: { title?: string; message?: string },
  ) {
    super(code);
    this.name = 'RpError';
  }

  get title(): string {
    // A code whose page has a title of its own has it in the catalogue; the rest share one.
    return this.override?.title ?? t(hasKey('apps', `titles.${this.code}`) ? `titles.${this.code}` : 'titles.other');
  }

  get text(): string {
    return this.override?.message ?? translate('apps-messages', this.code, { keySeparator: false });
  }
}

/**
 * An app's own coded refusal (the registry's "client.not_found", VAOS's "order.transition"): its
 * code, status and the words a person reads. rp-kit's error handler renders it as the error page of
 * the same kind — not found, access denied (with the way back to the portal), or a bad request.
 */
export class AppError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    readonly status: number,
    readonly title: string,
    readonly text: string,
  ) {
    super(code);
    this.name = 'AppError';
  }

  toRpError(): RpError {
    const code = this.status === 404 ? 'page.not_found' : this.status === 403 ? 'access.denied' : 'request.invalid';
    return new RpError(code, this.status, { title: this.title, message: this.text });
  }
}

/** A form an app's library refused field by field (a date in the future, not enough doses). */
export class InvalidForm extends Error {
  constructor(readonly fields: Record<string, string>) {
    super('form.invalid');
    this.name = 'InvalidForm';
  }
}
