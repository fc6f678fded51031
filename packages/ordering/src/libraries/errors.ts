/**
 * A coded refusal: the code is the key of what a person reads (messages below), the status the
 * HTTP answer. The app's error handler turns it into rp-kit's error page.
 */
export class OrderingError extends Error {
  constructor(
    readonly code: keyof typeof messages,
    readonly status: number,
    readonly detail?: string,
  ) {
    super(code);
    this.name = 'OrderingError';
  }

  get title(): string {
    return messages[this.code][0];
  }

  get text(): string {
    return this.detail ?? messages[this.code][1];
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

/** A form the library refused field by field (not enough doses, an unknown NDC). */
export class InvalidForm extends Error {
  constructor(readonly fields: Record<string, string>) {
    super('form.invalid');
    this.name = 'InvalidForm';
  }
}
