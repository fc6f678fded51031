import { html, type SafeHtml } from '@portal/common';
import { messageFor } from '../libraries/errors.js';
import type { PasswordRule } from '../libraries/password-policy.js';
import type { SecurityQuestion } from '../libraries/security-questions.js';
import type { RecoveryState } from '../flows/recovery/recovery.js';
import { layout } from './layout.js';
import { newPasswordFields } from './password-fields.js';
import { errorSummary, errorTitle, fieldState, type FormProblems } from './form-problems.js';

export interface RecoveryView {
  state: RecoveryState;
  flowId: string;
  csrfToken: string;
  supportContact: string;
  username?: string | undefined;
  notice?: 'locked' | undefined;
  questions: SecurityQuestion[];
  problems?: FormProblems;
  rules: PasswordRule[];
  codeMinutes: number;
  codeResent?: boolean;
}

function form(v: RecoveryView, fields: SafeHtml, button = 'Next'): SafeHtml {
  return html`<form method="post" action="/forgot-password" novalidate>
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    <input type="hidden" name="flow" value="${v.flowId}">
    <input type="hidden" name="step" value="${v.state}">
    ${fields}
    <button class="usa-button" type="submit">${button}</button>
  </form>`;
}

/** The step's one field takes the focus, unless the error summary has it. */
const firstFocus = (v: RecoveryView) => (v.problems?.length ? '' : html` autofocus`);

const startOver = html`<p class="aside"><a href="/forgot-password?restart=1">Start over</a></p>`;

function body(v: RecoveryView): { title: string; content: SafeHtml } {
  switch (v.state) {
    case 'identify':
      return {
        title: 'Forgot Password',
        content: html`${v.notice === 'locked' ? html`<div class="error" role="alert">${messageFor('signin.locked', { support: v.supportContact })}</div>` : ''}
  <p>Enter your username to reset your password.</p>
  ${form(v, html`<label class="usa-label" for="username">Username</label>
    <input class="usa-input" id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="100" required value="${v.username ?? ''}"${fieldState(v.problems, 'username')}${firstFocus(v)}>`)}`,
      };
    case 'question':
      return {
        title: 'Forgot Password',
        content: html`<p>Username: <strong>${v.username}</strong></p>
  ${form(v, html`<label class="usa-label" for="answer">${v.questions[0]?.text}</label>
    <input class="usa-input" id="answer" name="answer" type="text" autocomplete="off" maxlength="100" required${fieldState(v.problems, 'answer')}${firstFocus(v)}>`)}
  ${startOver}`,
      };
    case 'choose_method':
      return {
        title: 'How do you want to reset your password?',
        content: html`${form(
          v,
          html`<fieldset class="choice"><legend>Choose one</legend>
    <div><input type="radio" id="method_email" name="method" value="email" required checked${fieldState(v.problems, 'method_email')}>
    <label class="usa-label" for="method_email">Email me a one-time security code</label></div>
    <div><input type="radio" id="method_questions" name="method" value="questions">
    <label class="usa-label" for="method_questions">Answer my security questions</label></div>
    </fieldset>`,
        )}
  ${startOver}`,
      };
    case 'enter_code':
      return {
        title: 'Enter Your Security Code',
        content: html`<p role="status">${v.codeResent ? 'We sent a new code. Only the newest code works. ' : ''}If your username and answer match our records, we have emailed a security code to the address on your account. It is valid for ${v.codeMinutes} minutes and works once.</p>
  ${form(v, html`<label class="usa-label" for="code">Security code</label>
    <input class="usa-input" id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="20" required${fieldState(v.problems, 'code')}${firstFocus(v)}>`)}
  <form method="post" action="/forgot-password/resend" class="inline">
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    <input type="hidden" name="flow" value="${v.flowId}">
    <button class="usa-button usa-button--outline" type="submit">Send a new code</button>
  </form>
  ${startOver}`,
      };
    case 'answer_questions':
      return {
        title: 'Answer Your Security Questions',
        content: html`${form(
          v,
          html`${v.questions.slice(1).map(
            (q, i) => html`<label class="usa-label" for="answer_${i}">${q.text}</label>
    <input class="usa-input" id="answer_${i}" name="answer_${i}" type="text" autocomplete="off" maxlength="100" required${fieldState(v.problems, `answer_${i}`)}>`,
          )}`,
        )}
  ${startOver}`,
      };
    case 'set_password':
      return {
        title: 'Choose a New Password',
        content: html`${form(v, newPasswordFields(v.rules, v.problems), 'Submit')}`,
      };
    case 'refused':
      return {
        title: 'Password Not Reset',
        content: html`<div class="error" role="alert">Your password was already reset in the last 24 hours. A password can be reset once a day. ${v.supportContact}</div>
  <p>If you know your current password, you can still sign in with it.</p>
  <p><a class="usa-button" href="/login">Sign In</a></p>`,
      };
    case 'done':
      return {
        title: 'Your Password Has Been Reset',
        content: html`<p class="success" role="status">Your password has been reset and your account is unlocked. You have been signed out everywhere.</p>
  <p><a href="/">Go to the HHS Enterprise Portal</a> and sign in with your new password.</p>`,
      };
  }
}

export function recoveryPage(v: RecoveryView): string {
  const { title, content } = body(v);
  return layout({
    title: errorTitle(title, v.problems),
    supportContact: v.supportContact,
    body: html`<section class="card${v.state === 'set_password' ? ' wide' : ''}" aria-labelledby="recovery-title">
  <h1 id="recovery-title">${title}</h1>
  ${errorSummary(v.problems)}
  ${content}
</section>`,
  });
}
