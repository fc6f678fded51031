import { AppError } from '@portal/rp-kit';

export { InvalidForm } from '@portal/rp-kit';

/** A coded refusal: the code is the key of what a person reads (messages below); rp-kit renders it. */
export class OrderingError extends AppError<keyof typeof messages> {
  constructor(code: keyof typeof messages, status: number, detail?: string) {
    super(code, status, messages[code][0], detail ?? messages[code][1]);
    this.name = 'OrderingError';
  }
}

export const messages = {
  'access.coordinator': ['Not a coordinator of this organization', 'You can only order, receive and report waste for organizations where you are the Primary or Secondary Vaccine Coordinator.'],
  'access.state': ['For DSHS staff only', 'Orders are approved, rejected and shipped by DSHS staff who coordinate VAOS for the DSHS organization.'],
  'access.organization': ['Choose an organization', 'Choose the organization you are working for first.'],
  'order.not_found': ['Order not found', 'There is no such order, or it is not one of your organizations\u2019 orders.'],
  'order.transition': ['This order cannot do that now', 'The order is no longer in a state that allows this step. Reload the order to see its status.'],
  'lot.not_found': ['Lot not found', 'There is no such lot in this organization\u2019s inventory.'],
  'form.invalid': ['Please check the form', 'Some of the information entered is not valid.'],
} as const satisfies Record<string, readonly [string, string]>;

