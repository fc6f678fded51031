import { html, type SafeHtml } from '@portal/common';
import type { PasswordRule } from '../libraries/password-policy.js';
import type { MembershipView } from '../queries/orgs.js';
import { roleName, t } from '../locales/account.js';
import { layout, type SignedInHeader } from './layout.js';
import { newPasswordFields } from './password-fields.js';
import { errorSummary, errorTitle, fieldState, type FormProblems } from './form-problems.js';

interface Page {
  header: SignedInHeader;
  supportContact: string;
}

function page(v: Page, title: string, body: SafeHtml): string {
  return layout({ title, supportContact: v.supportContact, signedInAs: v.header, body });
}

export interface ProfileView extends Page {
  name: string;
  username: string;
  email: string;
  phone: string | null;
  memberships: MembershipView[];
  /** A new address waiting for its code. */
  pendingEmail?: string | undefined;
  /** What was just saved, shown once. */
  saved?: string | undefined;
}

export function profilePage(v: ProfileView): string {
  return page(
    v,
    t('profile.title'),
    html`<section class="card wide" aria-labelledby="profile-title">
  <h1 id="profile-title">${t('profile.title')}</h1>
  ${v.saved ? html`<p class="success" role="status">${v.saved}</p>` : ''}
  ${v.pendingEmail
    ? html`<p class="notice" role="status">${t('profile.pendingBefore')} <strong>${v.pendingEmail}</strong> ${t('profile.pendingAfter')} <a href="/profile/email">${t('profile.enterCode')}</a></p>`
    : ''}
  <dl class="profile">
    <dt>${t('profile.name')}</dt><dd>${v.name}</dd>
    <dt>${t('signIn.username')}</dt><dd>${v.username}</dd>
    <dt>${t('profile.email')}</dt><dd>${v.email}</dd>
    <dt>${t('profile.phone')}</dt><dd>${v.phone ?? html`<span class="hint">${t('profile.notGiven')}</span>`}</dd>
  </dl>
  <p class="actions">
    <a class="usa-button" href="/profile/edit">${t('profile.edit')}</a>
    <a class="usa-button" href="/profile/password">${t('steps.changePassword')}</a>
    <a class="usa-button" href="/account/security-questions">${t('questionsChange.title')}</a>
    <a class="usa-button" href="/profile/two-step">${t('profile.twoStep')}</a>
  </p>
  <h2>${t('profile.orgs')}</h2>
  ${v.memberships.length
    ? html`<table class="usa-table usa-table--stacked orgs">
    <thead><tr><th scope="col">${t('profile.org')}</th><th scope="col">IIS ID</th><th scope="col">${t('profile.role')}</th><th scope="col">${t('profile.coordinator')}</th></tr></thead>
    <tbody>${v.memberships.map(
      (m) => html`<tr><td>${m.name}</td><td>${m.iis_id}</td><td>${roleName(m.role)}</td><td>${m.coordinator ? t(`profile.coordinators.${m.coordinator}`) : '—'}</td></tr>`,
    )}</tbody>
  </table>`
    : html`<p>${t('profile.noOrgs')}</p>`}
</section>`,
  );
}

export interface EditProfileView extends Page {
  csrfToken: string;
  username: string;
  /** What the form shows: the stored values, or what the person typed when it was refused. */
  values: { name: string; email: string; phone: string };
  problems?: string[] | undefined;
}

export function editProfilePage(v: EditProfileView): string {
  return page(
    v,
    t('profile.edit'),
    html`<section class="card" aria-labelledby="edit-title">
  <h1 id="edit-title">${t('profile.edit')}</h1>
  ${errorSummary(v.problems)}
  <form method="post" action="/profile" novalidate>
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    <p>${t('recovery.username')} <strong>${v.username}</strong> <span class="hint">${t('profile.fixed')}</span></p>
    <label class="usa-label" for="name">${t('profile.name')}</label>
    <input class="usa-input" id="name" name="name" type="text" autocomplete="name" maxlength="200" required value="${v.values.name}">
    <label class="usa-label" for="email">${t('profile.email')}</label>
    <input class="usa-input" id="email" name="email" type="email" autocomplete="email" maxlength="254" required value="${v.values.email}" aria-describedby="email-hint">
    <p id="email-hint" class="hint">${t('profile.emailHint')}</p>
    <label class="usa-label" for="phone">${t('profile.phone')}</label>
    <input class="usa-input" id="phone" name="phone" type="tel" autocomplete="tel" maxlength="40" value="${v.values.phone}">
    <button class="usa-button" type="submit">${t('profile.save')}</button>
  </form>
  <p class="aside"><a href="/profile">${t('profile.cancel')}</a></p>
</section>`,
  );
}

export interface ConfirmEmailView extends Page {
  csrfToken: string;
  flowId: string;
  newEmail: string;
  codeMinutes: number;
  problems?: string[] | undefined;
}

export function confirmEmailPage(v: ConfirmEmailView): string {
  return page(
    v,
    t('profile.confirmTitle'),
    html`<section class="card" aria-labelledby="confirm-title">
  <h1 id="confirm-title">${t('profile.confirmTitle')}</h1>
  ${errorSummary(v.problems)}
  <p role="status">${t('profile.codeSentTo')} <strong>${v.newEmail}</strong>. ${t('profile.codeWithin', { minutes: v.codeMinutes })}</p>
  <form method="post" action="/profile/email" novalidate>
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    <input type="hidden" name="flow" value="${v.flowId}">
    <label class="usa-label" for="code">${t('recovery.codeLabel')}</label>
    <input class="usa-input" id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="20" required autofocus>
    <button class="usa-button" type="submit">${t('profile.confirm')}</button>
  </form>
  <p class="aside"><a href="/profile">${t('profile.back')}</a> · <a href="/profile/edit">${t('recovery.resend')}</a></p>
</section>`,
  );
}

export function emailChangedPage(v: Page & { newEmail: string }): string {
  return page(
    v,
    t('profile.changedTitle'),
    html`<section class="card" aria-labelledby="changed-title">
  <h1 id="changed-title">${t('profile.changedTitle')}</h1>
  <p class="success" role="status">${t('profile.nowIs')} <strong>${v.newEmail}</strong>. ${t('profile.noticeSent')}</p>
  <p><a class="usa-button" href="/profile">${t('questionsChange.close')}</a></p>
</section>`,
  );
}

export interface ChangePasswordView extends Page {
  csrfToken: string;
  rules: PasswordRule[];
  problems?: FormProblems;
}

export function changePasswordPage(v: ChangePasswordView): string {
  return page(
    v,
    errorTitle(t('steps.changePassword'), v.problems),
    html`<section class="card wide" aria-labelledby="password-title">
  <h1 id="password-title">${t('steps.changePassword')}</h1>
  ${errorSummary(v.problems)}
  <form method="post" action="/profile/password" novalidate>
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    <label class="usa-label" for="current_password">${t('questionsChange.currentPassword')}</label>
    <input class="usa-input" id="current_password" name="current_password" type="password" autocomplete="current-password" maxlength="256" required${fieldState(v.problems, 'current_password')}>
    ${newPasswordFields(v.rules, v.problems)}
    <button class="usa-button" type="submit">${t('steps.changePassword')}</button>
  </form>
  <p class="aside"><a href="/profile">${t('profile.cancel')}</a></p>
</section>`,
  );
}

export function passwordChangedPage(v: Page & { otherSessionsEnded: number }): string {
  return page(
    v,
    t('profile.passwordChanged'),
    html`<section class="card" aria-labelledby="password-done">
  <h1 id="password-done">${t('profile.passwordChanged')}</h1>
  <p class="success" role="status">${t('profile.useNew')}${v.otherSessionsEnded > 0 ? ` ${t('profile.signedOutElsewhere')}` : ''}</p>
  <p><a class="usa-button" href="/profile">${t('questionsChange.close')}</a></p>
</section>`,
  );
}

/** A dead end inside My Profile (an expired code, too many tries): say so, offer the way back. */
export function profileMessagePage(v: Page & { title: string; message: string }): string {
  return page(
    v,
    v.title,
    html`<section class="card" aria-labelledby="msg-title">
  <h1 id="msg-title">${v.title}</h1>
  <div class="error" role="alert">${v.message}</div>
  <p><a class="usa-button" href="/profile">${t('profile.back')}</a></p>
</section>`,
  );
}
