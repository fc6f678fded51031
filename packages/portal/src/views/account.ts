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
    ? html`<h2>Your applications</h2>
  <ul class="apps">${v.apps.map((a) => html`<li><a href="${a.url}/login">${a.name}</a><span class="hint"> — ${a.what}</span></li>`)}</ul>`
    : v.staffRole
      ? ''
      : html`<p class="notice">Your account does not have access to any application yet. Ask your organization's Provider Supervisor to add you, or contact Customer Support.</p>`}
  ${v.staffRole
    ? html`<h2>Customer Support</h2>
  <ul class="apps"><li><a href="/helpdesk">Help Desk</a><span class="hint"> — find a user, see their status, unlock, reset, verify a caller</span></li>${
    v.staffRole === 'admin' ? html`<li><a href="/admin">Administration</a><span class="hint"> — users, organizations, applications, Acceptable Use Agreement, audit log</span></li>` : ''
  }</ul>`
    : ''}
</section>`
      : html`<section class="card" aria-labelledby="home-title">
  <h1 id="home-title">HHS Enterprise Portal</h1>
  <p>One sign-in for the immunization applications: ImmTrac2, Syntropi and VAOS.</p>
  <p><a class="button" href="/login">Sign In</a></p>
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
    <label for="current_password">Current Password</label>
    <input id="current_password" name="current_password" type="password" autocomplete="current-password" maxlength="256" required>
    <button type="submit">Submit</button>
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
  <p><a class="button" href="/profile">Close</a></p>
</section>`,
  });
}
