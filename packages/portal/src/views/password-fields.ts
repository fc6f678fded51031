import { html, type SafeHtml } from '@portal/common';
import type { PasswordRule } from '../libraries/password-policy.js';

/** "New Password" and "Confirm Password", with the rules listed beside them (SPEC §3.4). */
export function newPasswordFields(rules: PasswordRule[]): SafeHtml {
  return html`<div class="password-fields">
  <div>
    <label class="usa-label" for="new_password">New Password</label>
    <input class="usa-input" id="new_password" name="new_password" type="password" autocomplete="new-password" maxlength="256" required aria-describedby="password-rules">
    <label class="usa-label" for="confirm_password">Confirm Password</label>
    <input class="usa-input" id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" maxlength="256" required>
  </div>
  <aside id="password-rules" class="rules" aria-label="Password rules">
    <p>Your password must have:</p>
    <ul>${rules.map((r) => html`<li>${r.text}</li>`)}</ul>
  </aside>
</div>`;
}

/** A list of problems, announced to screen readers. */
export function problemList(problems: string[] | undefined): SafeHtml | '' {
  if (!problems?.length) return '';
  return html`<div class="error" role="alert" id="form-errors"><ul>${problems.map((p) => html`<li>${p}</li>`)}</ul></div>`;
}
