import { html } from '@portal/common';
import { questionText, t } from '../locales/sign-in.js';
import { auaTextIn } from '../flows/aua/aua-text.js';
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
    title: errorTitle(t('steps.changeTitle'), v.problems),
    supportContact: v.supportContact,
    body: html`<section class="card wide" aria-labelledby="step-title">
  <h1 id="step-title">${t('steps.changeTitle')}</h1>
  ${notice(v)}
  <p>${t(v.reason === 'temporary' ? 'steps.temporary' : 'steps.expired')}</p>
  ${errorSummary(v.problems)}
  <form method="post" action="${v.action}">
    ${hidden(v)}
    ${newPasswordFields(v.rules, v.problems)}
    <button class="usa-button" type="submit">${t('common.submit')}</button>
  </form>
</section>`,
  });
}

export function passwordExpiringStepPage(v: StepBase & { daysLeft: number }): string {
  return layout({
    title: t('steps.expiringTitle'),
    supportContact: v.supportContact,
    body: html`<section class="card" aria-labelledby="step-title">
  <h1 id="step-title">${t('steps.expiringTitle')}</h1>
  ${notice(v)}
  <p class="notice" role="status">${t('steps.expiring', { count: v.daysLeft })}</p>
  <form method="post" action="${v.action}">
    ${hidden(v)}
    <button class="usa-button" type="submit" name="choice" value="change">${t('steps.changePassword')}</button>
    <button class="usa-button usa-button--outline" type="submit" name="choice" value="later">${t('common.continue')}</button>
  </form>
</section>`,
  });
}

export function auaStepPage(v: StepBase & { version: string; text: string }): string {
  const { text, inEnglishOnly } = auaTextIn(v.version, v.text);
  const [heading, ...paragraphs] = text.split('\n\n');
  return layout({
    title: t('aua.title'),
    supportContact: v.supportContact,
    body: html`<section class="card wide" aria-labelledby="step-title">
  <h1 id="step-title">${heading}</h1>
  ${notice(v)}
  <div class="agreement" tabindex="0" ${inEnglishOnly ? html` lang="en"` : ''} aria-label="${t('aua.textLabel')}">${paragraphs.map((p) => html`<p>${p}</p>`)}</div>
  ${inEnglishOnly ? html`<p class="hint">${t('aua.englishOnly')}</p>` : ''}
  <p class="hint">${t('aua.version', { version: v.version })}</p>
  <form method="post" action="${v.action}">
    ${hidden(v)}
    <input type="hidden" name="version" value="${v.version}">
    <button class="usa-button" type="submit" name="choice" value="agree">${t('aua.agree')}</button>
    <button class="usa-button usa-button--outline" type="submit" name="choice" value="decline">${t('aua.decline')}</button>
  </form>
</section>`,
  });
}

/** Three question pickers with their answers; used at sign-in and in My Profile. */
export function securityQuestionFields(catalogue: readonly SecurityQuestion[], chosen: string[] = []) {
  return html`${[0, 1, 2].map(
    (i) => html`<fieldset class="question">
    <legend>${t('questions.legend', { number: i + 1 })}</legend>
    <label class="usa-label" for="question_${i}">${t('questions.question')}</label>
    <select class="usa-select" id="question_${i}" name="question_${i}" required>
      <option value="">${t('questions.choose')}</option>
      ${catalogue.map((q) => html`<option value="${q.id}"${chosen[i] === q.id ? html` selected` : ''}>${questionText(q)}</option>`)}
    </select>
    <label class="usa-label" for="answer_${i}">${t('questions.response')}</label>
    <input class="usa-input" id="answer_${i}" name="answer_${i}" type="text" autocomplete="off" maxlength="100" required>
  </fieldset>`,
  )}`;
}

export function securityQuestionsStepPage(v: StepBase & { catalogue: readonly SecurityQuestion[]; chosen?: string[] }): string {
  return layout({
    title: errorTitle(t('steps.questionsTitle'), v.problems),
    supportContact: v.supportContact,
    body: html`<section class="card wide" aria-labelledby="step-title">
  <h1 id="step-title">${t('steps.questionsTitle')}</h1>
  ${notice(v)}
  <p>${t('steps.questionsIntro')}</p>
  ${errorSummary(v.problems)}
  <form method="post" action="${v.action}">
    ${hidden(v)}
    ${securityQuestionFields(v.catalogue, v.chosen)}
    <button class="usa-button" type="submit">${t('common.submit')}</button>
  </form>
</section>`,
  });
}
