/**
 * A coded refusal: the code is the key of what a person reads (messages below), the status the
 * HTTP answer. The app's error handler renders it; nothing else reaches a page.
 */
export class RegistryError extends Error {
  constructor(
    readonly code: keyof typeof messages,
    readonly status: number,
    readonly detail?: string,
  ) {
    super(code);
    this.name = 'RegistryError';
  }

  get title(): string {
    return messages[this.code][0];
  }

  get text(): string {
    return this.detail ?? messages[this.code][1];
  }
}

export const messages = {
  'access.role': ['Not available for your role', 'Your role at this organization does not include this function. Ask your organization\u2019s Provider Supervisor if you need it.'],
  'access.statement': ['Confidentiality Statement', 'Please read and agree to the Confidentiality Statement first.'],
  'access.organization': ['Choose an organization', 'Choose the organization you are working for first.'],
  'client.not_found': ['Client not found', 'There is no client with that ImmTrac2 ID, or the client is not available to you.'],
  'immunization.not_found': ['Immunization not found', 'That immunization is not on this client\u2019s record.'],
  'list.not_found': ['List not found', 'That student list does not exist at your organization.'],
  'form.invalid': ['Please check the form', 'Some of the information entered is not valid.'],
  'members.unavailable': ['Manage Users is unavailable', 'The Enterprise Portal could not be reached. Try again in a few minutes.'],
} as const satisfies Record<string, readonly [string, string]>;

/** A form the library refused field by field (a date in the future, a vaccine not in the table). */
export class InvalidForm extends Error {
  constructor(readonly fields: Record<string, string>) {
    super('form.invalid');
    this.name = 'InvalidForm';
  }
}
