import { html } from '@portal/common';
import { t } from '../locales/account.js';
import type { SecurityQuestion } from '../libraries/security-questions.js';
import { layout, type SignedInHeader } from './layout.js';
import { errorSummary } from './form-problems.js';
import { securityQuestionFields } from './sign-in-steps.js';

export interface AppLink {
  /** The app's key (registry, enrollment, ordering): what it is for comes from the catalogue. */
  app: string;
  name: string;
  url: string;
}

/** One application on the portal home: its name, what it is for, and Open (a link named for the app). */
function appCard(name: string, what: string, href: string) {
  return html`<li class="usa-card app-card">
    <div class="usa-card__container">
      <div class="usa-card__header"><h3 class="usa-card__heading">${name}</h3></div>
      <div class="usa-card__body"><p>${what}</p></div>
      <div class="usa-card__footer"><a class="usa-button" href="${href}" aria-label="${t('home.openApp', { app: name })}">${t('home.open')}</a></div>
    </div>
  </li>`;
}

export function homePage(v: { header?: SignedInHeader | undefined; apps: AppLink[]; supportContact: string; staffRole?: 'helpdesk' | 'admin' | null | undefined }): string {
  return layout({
    title: 'HHS Enterprise Portal',
    supportContact: v.supportContact,
    signedInAs: v.header,
    body: v.header
      ? html`<section class="card wide" aria-labelledby="home-title">
  <h1 id="home-title">HHS Enterprise Portal</h1>
  <p>${t('home.welcome', { name: v.header.name })}</p>
  ${v.apps.length
    ? html`<h2 id="apps-title">${t('home.yourApps')}</h2>
  <ul class="usa-card-group app-cards" aria-labelledby="apps-title">${v.apps.map((a) => appCard(a.name, t(`home.apps.${a.app}`), `${a.url}/login`))}</ul>`
    : v.staffRole
      ? ''
      : html`<p class="notice">${t('home.noApps')}</p>`}
  ${v.staffRole
    ? html`<h2 id="support-title">${t('home.support')}</h2>
  <ul class="usa-card-group app-cards" aria-labelledby="support-title">${appCard(t('home.helpdesk'), t('home.helpdeskWhat'), '/helpdesk')}${
    v.staffRole === 'admin' ? appCard(t('home.admin'), t('home.adminWhat'), '/admin') : ''
  }</ul>`
    : ''}
</section>`
      : html`<section class="card" aria-labelledby="home-title">
  <h1 id="home-title">HHS Enterprise Portal</h1>
  <p>${t('home.intro')}</p>
  <p><a class="usa-button" href="/login">${t('common.signIn')}</a></p>
</section>`,
  });
}

export function changeSecurityQuestionsPage(v: {
  header: SignedInHeader;
  csrfToken: string;
  catalogue: readonly SecurityQuestion[];
  chosen: string[];
  problems?: string[] | undefined;
  supportContact: string;
}): string {
  return layout({
    title: t('questionsChange.title'),
    supportContact: v.supportContact,
    signedInAs: v.header,
    body: html`<section class="card wide" aria-labelledby="sq-title">
  <h1 id="sq-title">${t('questionsChange.title')}</h1>
  <p>${t('questionsChange.intro')}</p>
  ${errorSummary(v.problems)}
  <form method="post" action="/account/security-questions">
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    ${securityQuestionFields(v.catalogue, v.chosen)}
    <label class="usa-label" for="current_password">${t('questionsChange.currentPassword')}</label>
    <input class="usa-input" id="current_password" name="current_password" type="password" autocomplete="current-password" maxlength="256" required>
    <button class="usa-button" type="submit">${t('common.submit')}</button>
  </form>
</section>`,
  });
}

export function securityQuestionsUpdatedPage(v: { header: SignedInHeader; supportContact: string }): string {
  return layout({
    title: t('questionsChange.doneTitle'),
    supportContact: v.supportContact,
    signedInAs: v.header,
    body: html`<section class="card" aria-labelledby="sq-done">
  <h1 id="sq-done">${t('questionsChange.doneTitle')}</h1>
  <p class="success" role="status">${t('questionsChange.done')}</p>
  <p><a class="usa-button" href="/profile">${t('questionsChange.close')}</a></p>
</section>`,
  });
}
