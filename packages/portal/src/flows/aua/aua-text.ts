/**
 * The HHS Acceptable Use Agreement shown before anything else (SPEC §3.3). Publishing a new text
 * means a new `version` here (or in the aua_versions table): everyone is asked again.
 */
export const currentAua = {
  version: '2026-01',
  text: `HHS Acceptable Use Agreement

You are accessing a State of Texas information system. Use of this system is limited to authorized users for purposes of the Texas Department of State Health Services immunization program.

By selecting "I Agree" you agree that:
1. You will use this system and the information in it only to perform your assigned duties, and only for the organizations you are authorized to act for.
2. You will protect confidential information, including immunization records and other protected health information, as required by Texas Health and Safety Code Chapter 161, HIPAA and agency policy. You will not disclose it to anyone who is not authorized to receive it.
3. You will keep your password and security answers secret, will not share your account, and will not let anyone else use your session. You will sign out or lock your screen when you leave your computer.
4. You will report any known or suspected security incident or misuse to Customer Support immediately.
5. Your use of this system is monitored and recorded. There is no expectation of privacy. Unauthorized use may result in the loss of access, disciplinary action, and civil or criminal penalties.

If you do not agree, select "Decline": you will be signed out.`,
} as const;
