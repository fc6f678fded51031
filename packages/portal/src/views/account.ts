import { html } from '@portal/common';
import type { SecurityQuestion } from '../libraries/security-questions.js';
import { layout, type SignedInHeader } from './layout.js';
import { errorSummary } from './form-problems.js';
import { securityQuestionFields } from './sign-in-steps.js';

export interface AppLink {
  name: string;
  what: string;
  url: string;
}

/** One application on the portal home: its name, what it is for, and Open (a link named for the app). */
function appCard(name: string, what: string, href: string) {
  return html`<li class="usa-card app-card">
    <div class="usa-card__container">
      <div class="usa-card__header"><h3 class="usa-card__heading">${name}</h3></div>
      <div class="usa-card__body"><p>${what}</p></div>
      <div class="usa-card__footer"><a class="usa-button" href="${href}" aria-label="Open ${name}">Open</a></div>
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
  <p>Welcome, ${v.header.name}.</p>
  ${v.apps.length
    ? html`<h2 id="apps-title">Your applications</h2>
  <ul class="usa-card-group app-cards" aria-labelledby="apps-title">${v.apps.map((a) => appCard(a.name, a.what, `${a.url}/login`))}</ul>`
    : v.staffRole
      ? ''
      : html`<p class="notice">Your account does not have access to any application yet. Ask your organization's Provider Supervisor to add you, or contact Customer Support.</p>`}
  ${v.staffRole
    ? html`<h2 id="support-title">Customer Support</h2>
  <ul class="usa-card-group app-cards" aria-labelledby="support-title">${appCard('Help Desk', 'Find a user, see their status, unlock, reset, verify a caller.', '/helpdesk')}${
    v.staffRole === 'admin' ? appCard('Administration', 'Users, organizations, applications, the Acceptable Use Agreement, the audit log.', '/admin') : ''
  }</ul>`
    : ''}
</section>`
      : html`<section class="card" aria-labelledby="home-title">
  <h1 id="home-title">HHS Enterprise Portal</h1>
  <p>One sign-in for the immunization applications: ImmTrac2, Syntropi and VAOS.</p>
  <p><a class="usa-button" href="/login">Sign In</a></p>
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
    title: 'Change Security Questions',
    supportContact: v.supportContact,
    signedInAs: v.header,
    body: html`<section class="card wide" aria-labelledby="sq-title">
  <h1 id="sq-title">Change Security Questions</h1>
  <p>Choose three different questions and enter your responses. Enter your current password to confirm it is you.</p>
  ${errorSummary(v.problems)}
  <form method="post" action="/account/security-questions">
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    ${securityQuestionFields(v.catalogue, v.chosen)}
    <label class="usa-label" for="current_password">Current Password</label>
    <input class="usa-input" id="current_password" name="current_password" type="password" autocomplete="current-password" maxlength="256" required>
    <button class="usa-button" type="submit">Submit</button>
  </form>
</section>`,
  });
}

export function securityQuestionsUpdatedPage(v: { header: SignedInHeader; supportContact: string }): string {
  return layout({
    title: 'Your Security Questions Have Been Updated',
    supportContact: v.supportContact,
    signedInAs: v.header,
    body: html`<section class="card" aria-labelledby="sq-done">
  <h1 id="sq-done">Your Security Questions Have Been Updated</h1>
  <p class="success" role="status">Use your new answers the next time you reset your password.</p>
  <p><a class="usa-button" href="/profile">Close</a></p>
</section>`,
  });
}
