import { html, type SafeHtml } from '@portal/common';
import { t } from '../locales/sign-in.js';
import type { PasswordRule } from '../libraries/password-policy.js';
import type { PasswordProblem } from '../flows/password-change/change-password.js';
import { fieldState, type FormProblem, type FormProblems } from './form-problems.js';

const fieldOfEntry = { newPassword: 'new_password', confirmPassword: 'confirm_password', currentPassword: 'current_password' } as const;

/** A password check's problems as the form's: each on the field of the entry it is about. */
export function passwordFormProblems(problems: readonly PasswordProblem[]): FormProblem[] {
  return problems.map((p) => ({ message: p.message, fields: p.entry ? [fieldOfEntry[p.entry]] : [] }));
}

/** "New Password" and "Confirm Password", with the rules listed beside them (SPEC §3.4). */
export function newPasswordFields(rules: PasswordRule[], problems?: FormProblems): SafeHtml {
  return html`<div class="password-fields">
  <div>
    <label class="usa-label" for="new_password">${t('passwordFields.newPassword')}</label>
    <input class="usa-input" id="new_password" name="new_password" type="password" autocomplete="new-password" maxlength="256" required${fieldState(problems, 'new_password', 'password-rules')}>
    <label class="usa-label" for="confirm_password">${t('passwordFields.confirmPassword')}</label>
    <input class="usa-input" id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" maxlength="256" required${fieldState(problems, 'confirm_password')}>
  </div>
  <aside id="password-rules" class="rules" aria-label="${t('passwordFields.rules')}">
    <p>${t('passwordFields.mustHave')}</p>
    <ul>${rules.map((r) => html`<li>${r.text}</li>`)}</ul>
  </aside>
</div>`;
}
