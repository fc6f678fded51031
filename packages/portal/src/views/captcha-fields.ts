import { html } from '@portal/common';
import { t } from '../locales/sign-in.js';
import type { CaptchaChallenge } from '../libraries/captcha.js';
import { fieldState, type FormProblems } from './form-problems.js';

/** The CAPTCHA on a page: the challenge and where its alternatives live. */
export interface CaptchaView {
  challenge: CaptchaChallenge;
  /** How many tries are left before the account locks, when known. */
  attemptsLeft?: number | undefined;
  /** The spoken version (offered only when `challenge.audio`). */
  audioUrl: string;
  /** "Get a new picture": its own small form (csrf, the sign-in flow if any, the name typed). */
  renew: { action: string; csrfToken: string; flowId?: string | undefined; username?: string | undefined };
}

const renewFormId = 'captcha-renew';

/**
 * The CAPTCHA asked after three failures (SPEC §3.2), on the password and the code forms alike,
 * with its text alternatives (WCAG 1.1.1): a recording of the same characters, to play or to
 * download, and a new picture. Goes inside the sign-in form; `captchaRenewForm` goes after it.
 * The recording is an <audio src> with no script and no inline style, so the CSP stays strict;
 * preload="none" so that only a person who presses Play makes the server speak.
 */
export function captchaFields(v: CaptchaView | undefined, problems?: FormProblems) {
  if (!v) return '';
  const { challenge, attemptsLeft } = v;
  const alternatives = challenge.audio
    ? t('captcha.withAudio')
    : t('captcha.pictureOnly');
  return html`<input type="hidden" name="captcha_id" value="${challenge.id}">
    <p class="notice" id="captcha-why">${t('captcha.why')}${attemptsLeft !== undefined ? ` ${t('captcha.left', { count: attemptsLeft })}` : ''}</p>
    <img class="captcha" src="${challenge.imageUrl}" alt="${t(challenge.audio ? 'captcha.altWithAudio' : 'captcha.alt')}" width="150" height="50">
    <p class="hint" id="captcha-alternatives">${alternatives}</p>
    ${challenge.audio
      ? html`<audio class="captcha-audio" controls preload="none" src="${v.audioUrl}" aria-label="${t('captcha.recording')}" aria-describedby="captcha-alternatives"></audio>
    <p class="captcha-links"><a href="${v.audioUrl}" download="security-check.wav">${t('captcha.download')}</a></p>`
      : ''}
    <p class="captcha-links"><button type="submit" form="${renewFormId}" class="inline-link">${t('captcha.newPicture')}</button></p>
    <label class="usa-label" for="captcha">${t('captcha.label')}</label>
    <input class="usa-input" id="captcha" name="captcha" type="text" autocomplete="off" autocapitalize="none" spellcheck="false" maxlength="20" required${fieldState(problems, 'captcha', 'captcha-why captcha-alternatives')}>`;
}

/**
 * The "Get a new picture" form. Outside the sign-in form (forms do not nest) and reached by its
 * button's form attribute, so Enter in the password field still signs in: the implicit submission
 * uses the first button of the form's own. A POST with the page's CSRF token, since it withdraws
 * the old CAPTCHA (a state change); no password goes with it.
 */
export function captchaRenewForm(v: CaptchaView | undefined) {
  if (!v) return '';
  return html`<form id="${renewFormId}" method="post" action="${v.renew.action}" hidden>
    <input type="hidden" name="csrf" value="${v.renew.csrfToken}">
    ${v.renew.flowId ? html`<input type="hidden" name="flow" value="${v.renew.flowId}">` : ''}
    ${v.renew.username ? html`<input type="hidden" name="username" value="${v.renew.username}">` : ''}
    <input type="hidden" name="captcha_id" value="${v.challenge.id}">
  </form>`;
}
