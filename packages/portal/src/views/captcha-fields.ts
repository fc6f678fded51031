import { html } from '@portal/common';
import type { CaptchaChallenge } from '../libraries/captcha.js';

/** The CAPTCHA asked after three failures (SPEC §3.2), on the password and the code forms alike. */
export function captchaFields(captcha: CaptchaChallenge | undefined, attemptsLeft: number | undefined) {
  if (!captcha) return '';
  return html`<input type="hidden" name="captcha_id" value="${captcha.id}">
    <p class="notice" id="captcha-why">For your security, type the characters in the picture as well.${attemptsLeft !== undefined ? ` After ${attemptsLeft} more unsuccessful ${attemptsLeft === 1 ? 'attempt' : 'attempts'} the account will be locked.` : ''}</p>
    <img class="captcha" src="${captcha.imageUrl}" alt="Security check: a picture of distorted characters" width="150" height="50">
    <label for="captcha">Type the characters in the picture</label>
    <input id="captcha" name="captcha" type="text" autocomplete="off" autocapitalize="none" spellcheck="false" maxlength="20" required>`;
}
