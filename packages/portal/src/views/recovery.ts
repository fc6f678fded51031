import { html, type SafeHtml } from '@portal/common';
import { messageFor, supportSentence } from '../libraries/errors.js';
import type { PasswordRule } from '../libraries/password-policy.js';
import type { SecurityQuestion } from '../libraries/security-questions.js';
import type { RecoveryState } from '../flows/recovery/recovery.js';
import { layout } from './layout.js';
import { questionText, t } from '../locales/sign-in.js';
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

function form(v: RecoveryView, fields: SafeHtml, button = t('recovery.next')): SafeHtml {
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

const startOver = () => html`<p class="aside"><a href="/forgot-password?restart=1">${t('recovery.startOver')}</a></p>`;

function body(v: RecoveryView): { title: string; content: SafeHtml } {
  switch (v.state) {
    case 'identify':
      return {
        title: t('recovery.title'),
        content: html`${v.notice === 'locked' ? html`<div class="error" role="alert">${messageFor('signin.locked', { support: v.supportContact })}</div>` : ''}
  <p>${t('recovery.enterUsername')}</p>
  ${form(v, html`<label class="usa-label" for="username">${t('signIn.username')}</label>
    <input class="usa-input" id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="100" required value="${v.username ?? ''}"${fieldState(v.problems, 'username')}${firstFocus(v)}>`)}`,
      };
    case 'question':
      return {
        title: t('recovery.title'),
        content: html`<p>${t('recovery.username')} <strong>${v.username}</strong></p>
  ${form(v, html`<label class="usa-label" for="answer">${v.questions[0] ? questionText(v.questions[0]) : ''}</label>
    <input class="usa-input" id="answer" name="answer" type="text" autocomplete="off" maxlength="100" required${fieldState(v.problems, 'answer')}${firstFocus(v)}>`)}
  ${startOver()}`,
      };
    case 'choose_method':
      return {
        title: t('recovery.chooseTitle'),
        content: html`${form(
          v,
          html`<fieldset class="choice"><legend>${t('recovery.chooseOne')}</legend>
    <div><input type="radio" id="method_email" name="method" value="email" required checked${fieldState(v.problems, 'method_email')}>
    <label class="usa-label" for="method_email">${t('recovery.byEmail')}</label></div>
    <div><input type="radio" id="method_questions" name="method" value="questions">
    <label class="usa-label" for="method_questions">${t('recovery.byQuestions')}</label></div>
    </fieldset>`,
        )}
  ${startOver()}`,
      };
    case 'enter_code':
      return {
        title: t('recovery.codeTitle'),
        content: html`<p role="status">${v.codeResent ? `${t('recovery.codeResent')} ` : ''}${t('recovery.codeSent', { minutes: v.codeMinutes })}</p>
  ${form(v, html`<label class="usa-label" for="code">${t('recovery.codeLabel')}</label>
    <input class="usa-input" id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="20" required${fieldState(v.problems, 'code')}${firstFocus(v)}>`)}
  <form method="post" action="/forgot-password/resend" class="inline">
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    <input type="hidden" name="flow" value="${v.flowId}">
    <button class="usa-button usa-button--outline" type="submit">${t('recovery.resend')}</button>
  </form>
  ${startOver()}`,
      };
    case 'answer_questions':
      return {
        title: t('recovery.answerTitle'),
        content: html`${form(
          v,
          html`${v.questions.slice(1).map(
            (q, i) => html`<label class="usa-label" for="answer_${i}">${questionText(q)}</label>
    <input class="usa-input" id="answer_${i}" name="answer_${i}" type="text" autocomplete="off" maxlength="100" required${fieldState(v.problems, `answer_${i}`)}>`,
          )}`,
        )}
  ${startOver()}`,
      };
    case 'set_password':
      return {
        title: t('recovery.newTitle'),
        content: html`${form(v, newPasswordFields(v.rules, v.problems), t('common.submit'))}`,
      };
    case 'refused':
      return {
        title: t('recovery.refusedTitle'),
        content: html`<div class="error" role="alert">${t('recovery.refused')} ${supportSentence(v.supportContact)}</div>
  <p>${t('recovery.knowCurrent')}</p>
  <p><a class="usa-button" href="/login">${t('common.signIn')}</a></p>`,
      };
    case 'done':
      return {
        title: t('recovery.doneTitle'),
        content: html`<p class="success" role="status">${t('recovery.done')}</p>
  <p><a href="/">${t('recovery.goPortal')}</a> ${t('recovery.andSignIn')}</p>`,
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
