import { AppError } from '@portal/rp-kit';

export { InvalidForm } from '@portal/rp-kit';

/** A coded refusal: the code is the key of what a person reads (messages below); rp-kit renders it. */
export class RegistryError extends AppError<keyof typeof messages> {
  constructor(code: keyof typeof messages, status: number, detail?: string) {
    super(code, status, messages[code][0], detail ?? messages[code][1]);
    this.name = 'RegistryError';
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

