import { AppError } from '@portal/rp-kit';
import { t } from '../locales.js';

export { InvalidForm } from '@portal/rp-kit';

/** Syntropi's coded refusals: each code is the key of what a person reads (`errors.<code>` in locales.ts). */
export const enrollmentErrorCodes = [
  'access.organization', 'access.state',
  'enrollment.not_found', 'enrollment.not_editable', 'enrollment.no_approved', 'enrollment.already_decided',
  'exchange.not_found', 'exchange.not_approved', 'exchange.wrong_step',
  'credentials.not_live', 'credentials.exist', 'credentials.none', 'credentials.unavailable',
  'form.invalid',
] as const;
export type EnrollmentErrorCode = (typeof enrollmentErrorCodes)[number];

/** A coded refusal, in the words of the page it is refused on; rp-kit renders it. */
export class EnrollmentError extends AppError<EnrollmentErrorCode> {
  constructor(code: EnrollmentErrorCode, status: number, detail?: string) {
    super(code, status, t(`errors.${code}.title`), detail ?? t(`errors.${code}.text`));
    this.name = 'EnrollmentError';
  }
}
