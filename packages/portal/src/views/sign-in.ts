import { html } from '@portal/common';
import type { CaptchaChallenge } from '../libraries/captcha.js';
import { layout } from './layout.js';

export interface SignInView {
  action: string;
  csrfToken: string;
  username?: string;
  error?: string | undefined;
  clientName?: string | undefined;
  forgotPasswordUrl: string;
  supportContact: string;
  captcha?: CaptchaChallenge | undefined;
  /** Shown with the CAPTCHA: how many tries are left before the account locks. */
  attemptsLeft?: number | undefined;
}

export function signInPage(v: SignInView): string {
  return layout({
    title: 'Sign In',
    supportContact: v.supportContact,
    body: html`<section class="card" aria-labelledby="signin-title">
  <h1 id="signin-title">Sign In</h1>
  ${v.clientName ? html`<p class="hint">to continue to ${v.clientName}</p>` : ''}
  ${v.error ? html`<div class="error" role="alert" id="signin-error">${v.error}</div>` : ''}
  <form method="post" action="${v.action}" novalidate>
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    <label for="username">Username</label>
    <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false"
      maxlength="100" required value="${v.username ?? ''}" ${v.error ? html`aria-describedby="signin-error"` : ''} autofocus>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" maxlength="256" required>
    ${v.captcha
      ? html`<input type="hidden" name="captcha_id" value="${v.captcha.id}">
    <p class="notice" id="captcha-why">For your security, type the characters in the picture as well.${v.attemptsLeft !== undefined ? ` After ${v.attemptsLeft} more unsuccessful ${v.attemptsLeft === 1 ? 'attempt' : 'attempts'} the account will be locked.` : ''}</p>
    <img class="captcha" src="${v.captcha.imageUrl}" alt="Security check: a picture of distorted characters" width="150" height="50">
    <label for="captcha">Type the characters in the picture</label>
    <input id="captcha" name="captcha" type="text" autocomplete="off" autocapitalize="none" spellcheck="false" maxlength="20" required>`
      : ''}
    <button type="submit">Sign In</button>
  </form>
  <p class="aside"><a href="${v.forgotPasswordUrl}">Forgot Password</a></p>
</section>`,
  });
}
