import { html, roleLabel, coordinatorLabel, type SafeHtml } from '@portal/common';
import type { StatusCard } from '../libraries/administration/support.js';
import { reasonFields } from './reason-fields.js';
import type { UserSearchField, UserSearchRow } from '../queries/users.js';
import { layout, type SignedInHeader } from './layout.js';
import { errorSummary } from './form-problems.js';
import { userSearchForm, userSearchResults } from './user-search-form.js';

interface Page {
  header: SignedInHeader;
  supportContact: string;
  timeZone: string;
}

function page(v: Page, title: string, body: SafeHtml): string {
  return layout({ title, supportContact: v.supportContact, signedInAs: v.header, body });
}

const when = (at: number | null, timeZone: string) =>
  at === null ? 'Never' : new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at)).replace(/[\u202f\u00a0]/g, ' ');


/** The help desk's actions: the path segment, the button, what the confirmation asks, and what is done. */
export const supportActions = {
  unlock: { button: 'Unlock', question: 'Unlock this account?', effect: 'The failed sign-ins are cleared; the person can sign in with their password.' },
  'reset-code': { button: 'Send a reset code', question: 'Email a reset code to this account?', effect: 'A security code goes to the email on file only; you never see it. The person follows the link in the mail to choose a new password.' },
  'temporary-password': {
    button: 'Set a temporary password',
    question: 'Set a temporary password?',
    effect: 'A new password is generated and shown to you once. The person must change it at their next sign-in; unused, it stops working after 72 hours. The account is unlocked and signed out everywhere.',
  },
  'clear-reset-limit': { button: 'Allow another reset today', question: 'Allow another self-service reset today?', effect: 'The once-a-day limit on Forgot Password is lifted for this account.' },
  'remove-second-factor': {
    button: 'Remove two-step verification',
    question: 'Remove two-step verification from this account?',
    effect: 'The authenticator app, the recovery codes and every passkey stop working and the person is signed out everywhere. They sign in with their password and set up two-step verification again (staff must, at once).',
  },
  'end-sessions': { button: 'Sign out everywhere', question: 'End every session of this account?', effect: 'The person is signed out of the portal and every application (each is told by back-channel logout).' },
  disable: { button: 'Disable account', question: 'Disable this account?', effect: 'The person cannot sign in, every session ends everywhere and their applications lose access.' },
  enable: { button: 'Re-enable account', question: 'Re-enable this account?', effect: 'The person can sign in again with their password.' },
} as const;

export type SupportActionName = keyof typeof supportActions;

/** Audit actions in words for the card's recent activity; anything else shows its code. */
const eventLabels: Record<string, string> = {
  'signin.success': 'Signed in',
  'signin.failure': 'Failed sign-in',
  'signin.locked': 'Sign-in refused: locked',
  'signin.captcha_renewed': 'Asked for a new CAPTCHA picture',
  signout: 'Signed out',
  'password.change': 'Password changed',
  'password.reset': 'Password reset (Forgot Password)',
  'recovery.code_sent': 'Reset code emailed',
  'recovery.failure': 'Wrong reset code or answers',
  'aua.accept': 'Accepted the AUA',
  'security_questions.set': 'Security questions set',
  'user.create': 'Account created',
  'support.unlock': 'Unlocked by support',
  'support.view': 'Status card opened by support',
  'support.verify_caller': 'Caller verification',
  'support.temporary_password': 'Temporary password set by support',
  'support.reset_code_sent': 'Reset code sent by support',
  'support.disable': 'Disabled by support',
  'support.enable': 'Re-enabled by support',
  'support.sessions_ended': 'Signed out everywhere by support',
  'sessions.ended': 'Sessions ended',
  'signin.password_verified': 'Password right; code asked',
  'mfa.totp_enrolled': 'Two-step verification set up',
  'mfa.recovery_codes_renewed': 'New recovery codes made',
  'mfa.removed': 'Two-step verification turned off',
  'support.second_factor_removed': 'Two-step verification removed by support',
};

export function helpdeskSearchPage(v: Page & { field: UserSearchField; text: string; results?: { rows: UserSearchRow[]; page: number; more: boolean }; problems?: string[] }): string {
  const link = (p: number) => `/helpdesk?${new URLSearchParams({ field: v.field, q: v.text, page: String(p) })}`;
  return page(
    v,
    'Help Desk',
    html`<section class="card wide" aria-labelledby="helpdesk-title">
  <h1 id="helpdesk-title">Help Desk</h1>
  ${errorSummary(v.problems)}
  ${userSearchForm('/helpdesk', v.field, v.text)}
  ${v.results
    ? userSearchResults({
        results: v.results,
        hrefOf: (r) => `/helpdesk/users/${r.id}`,
        pageHref: link,
        extra: { heads: ['Status'], cells: (r) => [r.disabled_at ? 'Disabled' : r.system_role ? (r.system_role === 'admin' ? 'Administrator' : 'Help desk staff') : 'Active'] },
      })
    : ''}
</section>`,
  );
}

/** What is set up, in a sentence: the app with its dates, each passkey's name and dates; never a key. */
function secondFactorText(factor: StatusCard['secondFactor'], t: (at: number | null) => string): string {
  const parts: string[] = [];
  if (factor.totp) parts.push(`Authenticator app since ${t(factor.totp.since)}; last code ${t(factor.totp.lastUsedAt)}; ${factor.recoveryCodesLeft} of 10 recovery codes left`);
  else if (factor.recoveryCodesLeft) parts.push(`${factor.recoveryCodesLeft} of 10 recovery codes left`);
  const keys = factor.passkeys;
  if (keys.length) parts.push(`${keys.length === 1 ? '1 passkey' : `${keys.length} passkeys`}: ${keys.map((k) => `"${k.name}" added ${t(k.createdAt)}, last used ${t(k.lastUsedAt)}`).join('; ')}`);
  return parts.length ? parts.join('. ') : 'Off';
}

function yesNo(value: boolean): string {
  return value ? 'Yes' : 'No';
}

export function statusCardPage(v: Page & { card: StatusCard; csrfToken: string; verification?: { matches: boolean; method: string }; problems?: string[] | undefined; done?: string | undefined }): string {
  const { card } = v;
  const t = (at: number | null) => when(at, v.timeZone);
  const lockText = card.lock.locked ? `Locked since ${t(card.lock.lockedAt)}` : card.lock.stage === 'captcha' ? `Not locked — CAPTCHA required (${card.lock.failures} failed, ${card.lock.triesBeforeLock} before lock)` : card.lock.failures ? `Not locked (${card.lock.failures} failed)` : 'Not locked';
  const available: SupportActionName[] = card.actionable
    ? [
        ...(card.lock.locked || card.lock.failures ? (['unlock'] as const) : []),
        'reset-code',
        'temporary-password',
        ...(card.selfServiceReset.usedToday ? (['clear-reset-limit'] as const) : []),
        ...(card.secondFactor.totp || card.secondFactor.recoveryCodesLeft || card.secondFactor.passkeys.length ? (['remove-second-factor'] as const) : []),
        ...(card.sessions.count ? (['end-sessions'] as const) : []),
        card.user.disabledAt ? 'enable' : 'disable',
      ]
    : [];
  return page(
    v,
    `${card.user.username} · Help Desk`,
    html`<section class="card wide" aria-labelledby="card-title">
  <p><a href="/helpdesk">← Back to search</a></p>
  <h1 id="card-title">${card.user.name} <span class="hint">(${card.user.username})</span></h1>
  ${v.done ? html`<p class="success" role="status">${v.done}</p>` : ''}
  ${errorSummary(v.problems)}
  ${card.user.systemRole ? html`<p class="notice">${card.user.systemRole === 'admin' ? 'Administrator' : 'Help desk staff'} account.${card.actionable ? '' : ' The help desk cannot act on it.'}</p>` : ''}
  ${!card.actionable && !card.user.systemRole ? html`<p class="notice">This is your own account: use My Profile or Forgot Password.</p>` : ''}
  <dl class="profile status">
    <dt>Account</dt><dd>${card.user.disabledAt ? html`<strong>Disabled</strong> since ${t(card.user.disabledAt)}` : 'Active'}</dd>
    <dt>Sign-in lock</dt><dd>${lockText}</dd>
    <dt>Password</dt><dd>Changed ${t(card.password.changedAt)} (${card.password.ageDays} days ago)${card.password.expiresAt ? html`; ${card.password.expired ? 'expired' : 'expires'} ${t(card.password.expiresAt)}` : ''}</dd>
    <dt>Temporary password</dt><dd>${card.password.temporary ? `Yes — must be changed at next sign-in${card.password.temporaryExpiresAt ? `; stops working ${t(card.password.temporaryExpiresAt)}` : ''}` : 'No'}</dd>
    <dt>Last sign-in</dt><dd>${t(card.lastSignInAt)}</dd>
    <dt>Acceptable Use Agreement</dt><dd>${card.aua.acceptedVersion ? `Version ${card.aua.acceptedVersion}, accepted ${t(card.aua.acceptedAt)}${card.aua.upToDate ? '' : ' — must accept again'}` : 'Not accepted yet'}</dd>
    <dt>Security questions</dt><dd>${card.securityQuestions.set ? 'Set' : 'Not set'}</dd>
    <dt>Two-step verification</dt><dd>${secondFactorText(card.secondFactor, t)}</dd>
    <dt>Self-service reset today</dt><dd>${card.selfServiceReset.usedToday ? `Used (${t(card.selfServiceReset.lastAt)}); next allowed ${t(card.selfServiceReset.nextAllowedAt)}` : 'Not used'}</dd>
    <dt>Open sessions</dt><dd>${card.sessions.count ? `${card.sessions.count} — ${card.sessions.apps.join(', ') || 'portal only'}` : 'None'}</dd>
    <dt>Email</dt><dd>${card.user.email}</dd>
    <dt>Phone</dt><dd>${card.user.phone ?? '—'}</dd>
  </dl>
  <h2>Organizations</h2>
  ${card.orgs.length
    ? html`<table class="usa-table usa-table--stacked orgs"><thead><tr><th scope="col">Organization</th><th scope="col">Code</th><th scope="col">IIS ID</th><th scope="col">Role</th><th scope="col">Coordinator</th></tr></thead>
  <tbody>${card.orgs.map((o) => html`<tr><td>${o.name}</td><td>${o.code}</td><td>${o.iis_id}</td><td>${roleLabel(o.role)}</td><td>${o.coordinator ? coordinatorLabel(o.coordinator) : '—'}</td></tr>`)}</tbody></table>`
    : html`<p>None.</p>`}
  ${card.actionable
    ? html`<h2 id="verify-title">Verify the caller</h2>
  <p class="hint">Type what the caller tells you. You will only see whether it matches.</p>
  ${v.verification ? html`<p class="${v.verification.matches ? 'success' : 'error'}" role="status">${v.verification.matches ? 'Matches.' : 'Does not match.'}</p>` : ''}
  <form method="post" action="/helpdesk/users/${card.user.id}/verify" aria-labelledby="verify-title" autocomplete="off">
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    <fieldset class="question"><legend>A security question</legend>
      ${card.securityQuestions.set
        ? html`<label class="usa-label" for="question">Question</label>
      <select class="usa-select" id="question" name="question">${card.securityQuestions.questions.map((q) => html`<option value="${q.id}">${q.text}</option>`)}</select>
      <label class="usa-label" for="answer">Caller's answer</label>
      <input class="usa-input" id="answer" name="answer" type="text" maxlength="100" autocomplete="off">
      <button class="usa-button" type="submit" name="method" value="question">Check answer</button>`
        : html`<p>This person has not set up security questions.</p>`}
    </fieldset>
    <fieldset class="question"><legend>The email address on file</legend>
      <label class="usa-label" for="email">Email the caller gives</label>
      <input class="usa-input" id="email" name="email" type="text" maxlength="254" autocomplete="off">
      <button class="usa-button" type="submit" name="method" value="email">Check email</button>
    </fieldset>
  </form>
  <h2>Actions</h2>
  <p class="actions">${available.map((a) => html`<a class="usa-button" href="/helpdesk/users/${card.user.id}/${a}">${supportActions[a].button}</a>`)}</p>`
    : ''}
  <h2>Recent activity</h2>
  ${card.recentEvents.length
    ? html`<table class="usa-table usa-table--stacked orgs"><thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">From</th></tr></thead>
  <tbody>${card.recentEvents.map((e) => html`<tr><td>${t(e.at)}</td><td>${eventLabels[e.action] ?? e.action}</td><td>${e.ip ?? '—'}</td></tr>`)}</tbody></table>`
    : html`<p>None.</p>`}
</section>`,
  );
}

/** The confirmation step: what will happen, and the reason every action needs. */
export function confirmActionPage(v: Page & { card: Pick<StatusCard, 'user'>; action: SupportActionName; csrfToken: string; problems?: string[] | undefined; values?: { reason_code?: string; reason?: string; ticket?: string } }): string {
  const a = supportActions[v.action];
  const values = v.values ?? {};
  return page(
    v,
    a.question,
    html`<section class="card" aria-labelledby="confirm-title">
  <h1 id="confirm-title">${a.question}</h1>
  <p><strong>${v.card.user.name}</strong> (${v.card.user.username})</p>
  <p>${a.effect} The person will be told by email.</p>
  ${errorSummary(v.problems)}
  <form method="post" action="/helpdesk/users/${v.card.user.id}/${v.action}" novalidate>
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    ${reasonFields(values)}
    <button class="usa-button" type="submit">${a.button}</button>
  </form>
  <p><a href="/helpdesk/users/${v.card.user.id}">Cancel</a></p>
</section>`,
  );
}

/** A temporary password, shown once (the page is not cached and is never shown again). */
export function temporaryPasswordPage(v: Page & { card: Pick<StatusCard, 'user'>; password: string; expiresAt: number }): string {
  return page(
    v,
    'Temporary password',
    html`<section class="card" aria-labelledby="temp-title">
  <h1 id="temp-title">Temporary password</h1>
  <p>Read this to <strong>${v.card.user.name}</strong> (${v.card.user.username}). It is shown only now.</p>
  <p class="temporary-password"><code>${v.password}</code></p>
  <p>They must change it when they sign in. Unused, it stops working ${when(v.expiresAt, v.timeZone)}.</p>
  <p><a class="usa-button" href="/helpdesk/users/${v.card.user.id}">Back to the account</a></p>
</section>`,
  );
}
