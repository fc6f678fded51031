import { html } from '@portal/common';
import { t } from '../locales/sign-in.js';
import { captchaFields, captchaRenewForm, type CaptchaView } from './captcha-fields.js';
import { layout } from './layout.js';
import { errorSummary, errorTitle, fieldState, type FormProblem } from './form-problems.js';
import { passkeyAuthenticateForm, passkeyScripts } from './passkeys.js';

export interface SignInView {
  action: string;
  csrfToken: string;
  username?: string;
  /** Why the last try was refused, and the fields it is about. */
  error?: FormProblem | undefined;
  clientName?: string | undefined;
  forgotPasswordUrl: string;
  supportContact: string;
  /** After three failures: the CAPTCHA, its alternatives and how many tries are left. */
  captcha?: CaptchaView | undefined;
  /** "Sign In with a Passkey": where the browser asks for the ceremony's options and posts its answer (absent where passkeys cannot work). */
  passkey?: { action: string; optionsUrl: string } | undefined;
}

export function signInPage(v: SignInView): string {
  const problems = v.error ? [v.error] : undefined;
  return layout({
    title: errorTitle(t('signIn.title'), problems),
    supportContact: v.supportContact,
    scripts: v.passkey ? passkeyScripts : undefined,
    body: html`<section class="card" aria-labelledby="signin-title">
  <h1 id="signin-title">${t('signIn.title')}</h1>
  ${v.clientName ? html`<p class="hint">${t('signIn.continueTo', { app: v.clientName })}</p>` : ''}
  ${errorSummary(problems)}
  <form method="post" action="${v.action}" novalidate>
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    <label class="usa-label" for="username">${t('signIn.username')}</label>
    <input class="usa-input" id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false"
      maxlength="100" required value="${v.username ?? ''}"${fieldState(problems, 'username')}${problems ? '' : html` autofocus`}>
    <label class="usa-label" for="password">${t('signIn.password')}</label>
    <input class="usa-input" id="password" name="password" type="password" autocomplete="current-password" maxlength="256" required${fieldState(problems, 'password')}>
    ${captchaFields(v.captcha, problems)}
    <button class="usa-button" type="submit">${t('common.signIn')}</button>
  </form>
  ${captchaRenewForm(v.captcha)}
  ${v.passkey
    ? html`<p class="or" data-passkey-or hidden>${t('signIn.or')}</p>
  ${passkeyAuthenticateForm({ action: v.passkey.action, optionsUrl: v.passkey.optionsUrl, csrfToken: v.csrfToken, label: t('signIn.passkey') })}`
    : ''}
  <p class="aside"><a href="${v.forgotPasswordUrl}">${t('signIn.forgot')}</a></p>
</section>`,
  });
}
