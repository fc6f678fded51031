import { AppError } from '@portal/rp-kit';

export { InvalidForm } from '@portal/rp-kit';

/** A coded refusal: the code is the key of what a person reads (messages below); rp-kit renders it. */
export class EnrollmentError extends AppError<keyof typeof messages> {
  constructor(code: keyof typeof messages, status: number, detail?: string) {
    super(code, status, messages[code][0], detail ?? messages[code][1]);
    this.name = 'EnrollmentError';
  }
}

export const messages = {
  'access.organization': ['Not your organization', 'You can only enroll and manage sites of the organizations on your Enterprise Portal account.'],
  'access.state': ['For state staff only', 'Reviewing enrollments and exchanges is for Full Access State users.'],
  'enrollment.not_found': ['Enrollment not found', 'There is no enrollment with that number, or it is not available to you.'],
  'enrollment.not_editable': ['Enrollment already submitted', 'This enrollment was submitted and can no longer be changed.'],
  'enrollment.no_approved': ['Nothing to renew', 'This organization has no approved enrollment for that programme yet. Register the site instead.'],
  'enrollment.already_decided': ['Already decided', 'This enrollment is not waiting for a decision any more: someone has already approved or rejected it.'],
  'exchange.not_found': ['No Bidirectional Exchange yet', 'This site has not completed the Bidirectional Exchange ROI.'],
  'exchange.not_approved': ['Enrollment approval needed', 'The Bidirectional Exchange ROI opens once the site\u2019s enrollment is approved.'],
  'exchange.wrong_step': ['Not at this step', 'The Bidirectional Exchange is not at the step this action belongs to (it may have been done already).'],
  'credentials.not_live': ['Not approved to go live', 'Production credentials are available once the state approves the site to go live.'],
  'credentials.exist': ['Credentials already issued', 'This site already has production credentials. Rotate the secret to get a new one.'],
  'credentials.none': ['No credentials yet', 'Download the production credentials first.'],
  'credentials.unavailable': ['Credentials are unavailable', 'The Enterprise Portal could not issue the credentials. Try again in a few minutes.'],
  'form.invalid': ['Please check the form', 'Some of the information entered is not valid.'],
} as const satisfies Record<string, readonly [string, string]>;

