import { AppError } from '@portal/rp-kit';
import { t } from '../locales.js';

export { InvalidForm } from '@portal/rp-kit';

/** VAOS's coded refusals: each code is the key of what a person reads (`errors.<code>` in locales.ts). */
export const orderingErrorCodes = ['access.coordinator', 'access.state', 'access.organization', 'order.not_found', 'order.transition', 'lot.not_found', 'form.invalid'] as const;
export type OrderingErrorCode = (typeof orderingErrorCodes)[number];

/** A coded refusal, in the words of the page it is refused on; rp-kit renders it. */
export class OrderingError extends AppError<OrderingErrorCode> {
  constructor(code: OrderingErrorCode, status: number, detail?: string) {
    super(code, status, t(`errors.${code}.title`), detail ?? t(`errors.${code}.text`));
    this.name = 'OrderingError';
  }
}
