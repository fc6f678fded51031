import { html } from '@portal/common';
import type { PasswordRule } from '../libraries/password-policy.js';
import type { SecurityQuestion } from '../libraries/security-questions.js';
import { layout } from './layout.js';
import { newPasswordFields } from './password-fields.js';
import { errorSummary, errorTitle, type FormProblems } from './form-problems.js';

interface StepBase {
  action: string;
  csrfToken: string;
  flowId: string;
  supportContact: string;
  problems?: FormProblems;
  notice?: string | undefined;
}

const notice = (v: StepBase) => (v.notice ? html`<p class="success" role="status">${v.notice}</p>` : '');

const hidden = (v: StepBase) => html`<input type="hidden" name="csrf" value="${v.csrfToken}"><input type="hidden" name="flow" value="${v.flowId}">`;

export function changePasswordStepPage(v: StepBase & { reason: 'expired' | 'temporary'; rules: PasswordRule[] }): string {
  return layout({
    title: errorTitle('Change Your Password', v.problems),
    supportContact: v.supportContact,
    body: html`<section class="card wide" aria-labelledby="step-title">
  <h1 id="step-title">Change Your Password</h1>
  ${notice(v)}
  <p>${v.reason === 'temporary' ? 'You signed in with a temporary password. Choose your own password to continue.' : 'Your password has expired. Choose a new password to continue.'}</p>
  ${errorSummary(v.problems)}
  <form method="post" action="${v.action}">
    ${hidden(v)}
    ${newPasswordFields(v.rules, v.problems)}
    <button class="usa-button" type="submit">Submit</button>
  </form>
</section>`,
  });
}

export function passwordExpiringStepPage(v: StepBase & { daysLeft: number }): string {
  return layout({
    title: 'Your Password Expires Soon',
    supportContact: v.supportContact,
    body: html`<section class="card" aria-labelledby="step-title">
  <h1 id="step-title">Your Password Expires Soon</h1>
  ${notice(v)}
  <p class="notice" role="status">Your password expires in ${v.daysLeft} ${v.daysLeft === 1 ? 'day' : 'days'}. Change it now to avoid being locked out of your applications.</p>
  <form method="post" action="${v.action}">
    ${hidden(v)}
    <button class="usa-button" type="submit" name="choice" value="change">Change Password</button>
    <button class="usa-button usa-button--outline" type="submit" name="choice" value="later">Continue</button>
  </form>
</section>`,
  });
}

export function auaStepPage(v: StepBase & { version: string; text: string }): string {
  const [heading, ...paragraphs] = v.text.split('\n\n');
  return layout({
    title: 'HHS Acceptable Use Agreement',
    supportContact: v.supportContact,
    body: html`<section class="card wide" aria-labelledby="step-title">
  <h1 id="step-title">${heading}</h1>
  ${notice(v)}
  <div class="agreement" tabindex="0" aria-label="Agreement text">${paragraphs.map((p) => html`<p>${p}</p>`)}</div>
  <p class="hint">Version ${v.version}</p>
  <form method="post" action="${v.action}">
    ${hidden(v)}
    <input type="hidden" name="version" value="${v.version}">
    <button class="usa-button" type="submit" name="choice" value="agree">I Agree</button>
    <button class="usa-button usa-button--outline" type="submit" name="choice" value="decline">Decline</button>
  </form>
</section>`,
  });
}

/** Three question pickers with their answers; used at sign-in and in My Profile. */
export function securityQuestionFields(catalogue: readonly SecurityQuestion[], chosen: string[] = []) {
  return html`${[0, 1, 2].map(
    (i) => html`<fieldset class="question">
    <legend>Security question ${i + 1}</legend>
    <label class="usa-label" for="question_${i}">Question</label>
    <select class="usa-select" id="question_${i}" name="question_${i}" required>
      <option value="">Choose a question</option>
      ${catalogue.map((q) => html`<option value="${q.id}"${chosen[i] === q.id ? html` selected` : ''}>${q.text}</option>`)}
    </select>
    <label class="usa-label" for="answer_${i}">Response</label>
    <input class="usa-input" id="answer_${i}" name="answer_${i}" type="text" autocomplete="off" maxlength="100" required>
  </fieldset>`,
  )}`;
}

export function securityQuestionsStepPage(v: StepBase & { catalogue: readonly SecurityQuestion[]; chosen?: string[] }): string {
  return layout({
    title: errorTitle('Set Up Your Security Questions', v.problems),
    supportContact: v.supportContact,
    body: html`<section class="card wide" aria-labelledby="step-title">
  <h1 id="step-title">Set Up Your Security Questions</h1>
  ${notice(v)}
  <p>Choose three different questions and give answers only you know. You will answer them if you ever forget your password. Answers are not case-sensitive.</p>
  ${errorSummary(v.problems)}
  <form method="post" action="${v.action}">
    ${hidden(v)}
    ${securityQuestionFields(v.catalogue, v.chosen)}
    <button class="usa-button" type="submit">Submit</button>
  </form>
</section>`,
  });
}
