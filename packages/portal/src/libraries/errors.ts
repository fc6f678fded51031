import { addCatalogue, currentPageContext, translate } from '@portal/common';
import { messagesEs } from '../locales/messages-es.js';
/**
 * A coded error: `code` is also the key of the message a person reads (`messages` below).
 * The one error handler renders it as HTML or JSON; nothing else reaches the person.
 */
export class PortalError extends Error {
  constructor(
    readonly code: MessageKey,
    readonly status = 400,
    readonly params: Record<string, string> = {},
  ) {
    super(code);
    this.name = 'PortalError';
  }
}

export const messages = {
  'signin.invalid_credentials': 'The username or password you entered is incorrect. {support}',
  'signin.temporary_expired': 'Your temporary password has expired (it worked for 72 hours). Use Forgot Password, or {support}',
  'signin.missing_fields': 'Enter your username and password.',
  'signin.captcha_required': 'The username or password you entered is incorrect, or the security check was not completed. Type the characters you see in the picture and try again. {support}',
  'signin.captcha_wrong': 'The username or password you entered is incorrect, or the security check was not completed. Type the characters you see in the picture and try again. {support}',
  'signin.wrong_code': 'That code is not correct. Enter the 6-digit code your authenticator app shows now, or one of your recovery codes. {support}',
  'signin.code_captcha': 'That code is not correct, or the security check was not completed. Type the characters you see in the picture and try again. {support}',
  'captcha.audio_not_found': 'This security check recording is not available: each one works only on the sign-in page that showed it, until it is used or a new picture is asked for. Go back to the sign-in page and play the recording shown there, or choose "Get a new picture".',
  'captcha.audio_failed': 'The security check recording could not be made just now. Go back and type the characters in the picture, or choose "Get a new picture" and try the recording again. {support}',
  'signin.code_missing': 'Enter the 6-digit code from your authenticator app, or a recovery code.',
  'mfa.wrong_first_code': 'That code does not match. Check that the app shows the HHS Enterprise Portal entry, and enter the 6-digit code it shows now.',
  'mfa.remove_refused': 'Two-step verification was not turned off: the password or the code is not correct.',
  'mfa.staff_must_keep': 'Your role (help desk or administrator) requires two-step verification, so it cannot be turned off. You can set up a new authenticator app instead.',
  'mfa.staff_last_factor': 'Your role (help desk or administrator) requires two-step verification, and this passkey is your only way to do it. Add another passkey or an authenticator app first.',
  'mfa.passkey_name': 'Give the passkey a name of 1 to 60 characters on one line (for example "Work laptop"), then try again.',
  'mfa.passkey_expired': 'The passkey request expired or was already used, so no passkey was added. Try again.',
  'mfa.passkey_not_added': 'No passkey was added: your browser or device did not complete the request, or its answer could not be checked. Try again. {support}',
  'mfa.passkey_duplicate': 'No passkey was added: that passkey is already on an account here.',
  'mfa.passkey_unknown': 'There is no such passkey on your account. Reload the page and try again.',
  'mfa.passkey_remove_refused': 'The passkey was not removed: your password is not correct.',
  'signin.passkey_refused': 'That passkey was not accepted. Use a passkey you added to your account on the HHS Enterprise Portal, or sign in another way. {support}',
  'signin.passkey_expired': 'The passkey request expired or was already used. Try again.',
  'mfa.staff_required': 'Your role (help desk or administrator) requires two-step verification. Sign in again and set up an authenticator app. {support}',
  'signin.locked': 'Your account is locked because of too many unsuccessful sign-in attempts. Reset your password below. {support}',
  'request.csrf': 'Your form expired or came from another site. Please try again.',
  'request.too_large': 'What you sent is too large.',
  'request.invalid': 'The request was not understood.',
  'request.form_expected': 'invalid_request: send the parameters as an application/x-www-form-urlencoded form.',
  'request.rate_limited': 'Too many attempts from your network. Please wait a minute and try again.',
  'recovery.wrong_code': 'The code you entered is not correct or is no longer valid. Check the newest email we sent you, or request a new code.',
  'recovery.code_expired': 'This code has expired. Request a new code.',
  'recovery.wrong_answers': 'Your answers do not match our records. {support}',
  'recovery.too_many_attempts': 'Too many unsuccessful attempts: this code no longer works. Start again to get a new code, or {support}',
  'recovery.missing_username': 'Enter your username.',
  'recovery.missing_answer': 'Enter your answer.',
  'recovery.missing_code': 'Enter the security code from the email.',
  'recovery.choose_method': 'Choose how you want to reset your password.',
  'account.wrong_current_password': 'Your current password is not correct.',
  'account.password_changed_elsewhere': 'Your password was changed a moment ago in another window, so nothing was changed here.',
  'session.ended': 'You are no longer signed in. Sign in again to continue.',
  'profile.name_required': 'Enter your name.',
  'profile.name_too_long': 'Your name can have at most 200 characters.',
  'profile.name_invalid': 'Your name cannot contain line breaks or other control characters.',
  'profile.email_invalid': 'Enter a valid email address, such as name@example.org (at most 254 characters).',
  'profile.phone_invalid': 'Enter a phone number of 7 to 40 characters using only digits, spaces and + ( ) . -, or leave it empty.',
  'profile.mail_failed': 'We could not send the code to your new email address, so nothing was changed. Please try again later. {support}',
  'profile.missing_code': 'Enter the code we emailed to your new address.',
  'profile.wrong_code': 'The code you entered is not correct. Check the newest email we sent to your new address.',
  'profile.code_expired': 'This code has expired or was replaced by a newer one. Your email address was not changed. Choose Edit Profile to send a new code.',
  'profile.too_many_attempts': 'Too many unsuccessful attempts. Your email address was not changed. Choose Edit Profile to send a new code, or {support}',
  'profile.missing_current_password': 'Enter your current password.',
  'flow.expired': 'This page has expired. Please start again. {support}',
  'flow.replayed': 'This step was already completed. Please continue from the current page.',
  'interaction.expired': 'Your sign-in took too long or was already completed. Return to the application and start again.',
  'page.not_found': 'There is no page at this address.',
  'admin.forbidden': 'Your role does not allow this. Ask an administrator if you need it.',
  'admin.not_on_self': 'You cannot do this to your own account here. Use My Profile or Forgot Password, or ask a colleague.',
  'admin.not_on_staff': 'The help desk cannot act on administrators or help-desk staff. Ask an administrator.',
  'admin.reason_code': 'Choose a reason from the list.',
  'admin.reason_text': 'Say why in at least 10 characters (at most 500, no line breaks).',
  'admin.reason_ticket': 'A ticket number has at most 40 letters, digits or # . _ -.',
  'admin.no_such_user': 'There is no such user.',
  'admin.no_such_org': 'There is no such organization.',
  'admin.no_such_client': 'There is no such application.',
  'hl7.no_such_org': 'No organization in the portal has this TX IIS ID.',
  'hl7.no_such_credential': 'There are no such HL7 exchange credentials.',
  'admin.no_email': 'This account has no email address on file.',
  'admin.verify_limited': 'Too many verification attempts for this account or by you. Wait 15 minutes, or ask the caller to use Forgot Password.',
  'admin.verify_input': 'Type what the caller says: choose the question and enter the answer, or enter the email address.',
  'admin.search_input': 'Enter at least 2 characters to search (at most 100).',
  'admin.invalid': 'Please correct this: {problems}',
  'members.not_manager': 'You do not manage the users of this organization: that needs the Provider Supervisor or Modified Access Sub-state role there, or Full Access State.',
  'members.role_above_yours': 'You can give a role only up to your own at this organization.',
  'members.member_above_yours': 'This person’s role at this organization is above yours, so you cannot change or remove it.',
  'members.not_on_self': 'You cannot change your own access. Ask another supervisor or the help desk.',
  'members.no_such_account': 'There is no portal account with this username and email address. Check both, or ask the person to create their account first.',
  'members.no_such_member': 'This person is not a user of this organization.',
  'members.already_member': 'This person is already a user of this organization. Change their role instead.',
  'server.error': 'Something went wrong on our side. Please try again. {support}',
} as const;

export type MessageKey = keyof typeof messages;

addCatalogue('messages', { en: messages, es: messagesEs });

/**
 * The message a person reads for `code`, in the current page's language (the request's page
 * context). `{support}` is SUPPORT_CONTACT in English; in another language the same sentence made
 * from the agency's phone and email, so a Spanish page does not end in English.
 */
export function messageFor(code: MessageKey, params: Record<string, string>): string {
  const values: Record<string, unknown> = { ...params, keySeparator: false };
  if (params.support !== undefined) values.support = supportSentence(params.support);
  return translate('messages', code, values);
}

/** SUPPORT_CONTACT on an English page; in another language, the same sentence from the agency's phone and email. */
export function supportSentence(supportContact: string): string {
  const { locale, agency } = currentPageContext();
  return locale === 'en' ? supportContact : translate('chrome', 'supportSentence', { phone: agency.supportPhone, email: agency.supportEmail });
}
