import { html, roleLabel, type SafeHtml } from '@portal/common';
import type { PasswordRule } from '../libraries/password-policy.js';
import type { MembershipView, Coordinator } from '../queries/orgs.js';
import { layout, type SignedInHeader } from './layout.js';
import { newPasswordFields } from './password-fields.js';
import { errorSummary, errorTitle, fieldState, type FormProblems } from './form-problems.js';

const coordinatorLabels: Record<Coordinator, string> = { primary: 'Primary', secondary: 'Secondary' };

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
    'My Profile',
    html`<section class="card wide" aria-labelledby="profile-title">
  <h1 id="profile-title">My Profile</h1>
  ${v.saved ? html`<p class="success" role="status">${v.saved}</p>` : ''}
  ${v.pendingEmail
    ? html`<p class="notice" role="status">Your email address will change to <strong>${v.pendingEmail}</strong> once you enter the code we sent there. <a href="/profile/email">Enter the code</a></p>`
    : ''}
  <dl class="profile">
    <dt>Name</dt><dd>${v.name}</dd>
    <dt>Username</dt><dd>${v.username}</dd>
    <dt>Email</dt><dd>${v.email}</dd>
    <dt>Phone</dt><dd>${v.phone ?? html`<span class="hint">Not given</span>`}</dd>
  </dl>
  <p class="actions">
    <a class="usa-button" href="/profile/edit">Edit Profile</a>
    <a class="usa-button" href="/profile/password">Change Password</a>
    <a class="usa-button" href="/account/security-questions">Change Security Questions</a>
    <a class="usa-button" href="/profile/two-step">Two-Step Verification</a>
  </p>
  <h2>My Organizations</h2>
  ${v.memberships.length
    ? html`<table class="usa-table usa-table--stacked orgs">
    <thead><tr><th scope="col">Organization</th><th scope="col">IIS ID</th><th scope="col">Role</th><th scope="col">Vaccine coordinator</th></tr></thead>
    <tbody>${v.memberships.map(
      (m) => html`<tr><td>${m.name}</td><td>${m.iis_id}</td><td>${roleLabel(m.role) ?? m.role}</td><td>${m.coordinator ? coordinatorLabels[m.coordinator] : '—'}</td></tr>`,
    )}</tbody>
  </table>`
    : html`<p>You are not a member of any organization yet. Your organization's supervisor or Customer Support can add you.</p>`}
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
    'Edit Profile',
    html`<section class="card" aria-labelledby="edit-title">
  <h1 id="edit-title">Edit Profile</h1>
  ${errorSummary(v.problems)}
  <form method="post" action="/profile" novalidate>
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    <p>Username: <strong>${v.username}</strong> <span class="hint">(cannot be changed)</span></p>
    <label class="usa-label" for="name">Name</label>
    <input class="usa-input" id="name" name="name" type="text" autocomplete="name" maxlength="200" required value="${v.values.name}">
    <label class="usa-label" for="email">Email</label>
    <input class="usa-input" id="email" name="email" type="email" autocomplete="email" maxlength="254" required value="${v.values.email}" aria-describedby="email-hint">
    <p id="email-hint" class="hint">A new address is used only after you enter the code we send to it.</p>
    <label class="usa-label" for="phone">Phone</label>
    <input class="usa-input" id="phone" name="phone" type="tel" autocomplete="tel" maxlength="40" value="${v.values.phone}">
    <button class="usa-button" type="submit">Save</button>
  </form>
  <p class="aside"><a href="/profile">Cancel</a></p>
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
    'Confirm your new email address',
    html`<section class="card" aria-labelledby="confirm-title">
  <h1 id="confirm-title">Confirm your new email address</h1>
  ${errorSummary(v.problems)}
  <p role="status">We emailed a security code to <strong>${v.newEmail}</strong>. Enter it within ${v.codeMinutes} minutes. Your email address does not change until you do.</p>
  <form method="post" action="/profile/email" novalidate>
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    <input type="hidden" name="flow" value="${v.flowId}">
    <label class="usa-label" for="code">Security code</label>
    <input class="usa-input" id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="20" required autofocus>
    <button class="usa-button" type="submit">Confirm</button>
  </form>
  <p class="aside"><a href="/profile">Back to My Profile</a> · <a href="/profile/edit">Send a new code</a></p>
</section>`,
  );
}

export function emailChangedPage(v: Page & { newEmail: string }): string {
  return page(
    v,
    'Your email address has been changed',
    html`<section class="card" aria-labelledby="changed-title">
  <h1 id="changed-title">Your email address has been changed</h1>
  <p class="success" role="status">Your email address is now <strong>${v.newEmail}</strong>. We sent a notice of the change to your previous address.</p>
  <p><a class="usa-button" href="/profile">Close</a></p>
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
    errorTitle('Change Password', v.problems),
    html`<section class="card wide" aria-labelledby="password-title">
  <h1 id="password-title">Change Password</h1>
  ${errorSummary(v.problems)}
  <form method="post" action="/profile/password" novalidate>
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    <label class="usa-label" for="current_password">Current Password</label>
    <input class="usa-input" id="current_password" name="current_password" type="password" autocomplete="current-password" maxlength="256" required${fieldState(v.problems, 'current_password')}>
    ${newPasswordFields(v.rules, v.problems)}
    <button class="usa-button" type="submit">Change Password</button>
  </form>
  <p class="aside"><a href="/profile">Cancel</a></p>
</section>`,
  );
}

export function passwordChangedPage(v: Page & { otherSessionsEnded: number }): string {
  return page(
    v,
    'Your password has been changed',
    html`<section class="card" aria-labelledby="password-done">
  <h1 id="password-done">Your password has been changed</h1>
  <p class="success" role="status">Use your new password the next time you sign in.${
    v.otherSessionsEnded > 0 ? ' You were signed out everywhere else you were signed in, including the applications opened there.' : ''
  }</p>
  <p><a class="usa-button" href="/profile">Close</a></p>
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
  <p><a class="usa-button" href="/profile">Back to My Profile</a></p>
</section>`,
  );
}
