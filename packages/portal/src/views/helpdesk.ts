import { html, type SafeHtml } from '@portal/common';
import type { StatusCard } from '../libraries/administration/support.js';
import { pageDateTime } from '../libraries/dates.js';
import { auditEventLabel, coordinatorName, roleName, t, tHtml } from '../locales/consoles.js';
import { questionText } from '../locales/sign-in.js';
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

/** A moment in the page's language and the programme's time zone; "Never" for none. */
const when = (at: number | null, timeZone: string) => (at === null ? t('consoles.never') : pageDateTime(at, timeZone));

/** The help desk's actions (the path segment); each one's button, question and effect are in the catalogue (`helpdesk.actions`). */
export const supportActions = ['unlock', 'reset-code', 'temporary-password', 'clear-reset-limit', 'remove-second-factor', 'end-sessions', 'disable', 'enable'] as const;

export type SupportActionName = (typeof supportActions)[number];

const actionText = (action: SupportActionName, part: 'button' | 'question' | 'effect') => t(`helpdesk.actions.${action}.${part}`);
const staffLabel = (role: 'helpdesk' | 'admin') => t(`consoles.staffRole.${role}`);

export function helpdeskSearchPage(v: Page & { field: UserSearchField; text: string; results?: { rows: UserSearchRow[]; page: number; more: boolean }; problems?: string[] }): string {
  const link = (p: number) => `/helpdesk?${new URLSearchParams({ field: v.field, q: v.text, page: String(p) })}`;
  return page(
    v,
    t('helpdesk.title'),
    html`<section class="card wide" aria-labelledby="helpdesk-title">
  <h1 id="helpdesk-title">${t('helpdesk.title')}</h1>
  ${errorSummary(v.problems)}
  ${userSearchForm('/helpdesk', v.field, v.text)}
  ${v.results
    ? userSearchResults({
        results: v.results,
        hrefOf: (r) => `/helpdesk/users/${r.id}`,
        pageHref: link,
        extra: { heads: [t('helpdesk.status')], cells: (r) => [r.disabled_at ? t('consoles.disabled') : r.system_role ? staffLabel(r.system_role) : t('consoles.active')] },
      })
    : ''}
</section>`,
  );
}

/** What is set up, in a sentence: the app with its dates, each passkey's name and dates; never a key. */
function secondFactorText(factor: StatusCard['secondFactor'], at: (at: number | null) => string): string {
  const parts: string[] = [];
  if (factor.totp) parts.push(t('helpdesk.twoStep.app', { since: at(factor.totp.since), last: at(factor.totp.lastUsedAt), left: factor.recoveryCodesLeft }));
  else if (factor.recoveryCodesLeft) parts.push(t('helpdesk.twoStep.codesLeft', { left: factor.recoveryCodesLeft }));
  const keys = factor.passkeys;
  if (keys.length) parts.push(`${t('helpdesk.twoStep.passkeys', { count: keys.length })}: ${keys.map((k) => t('helpdesk.twoStep.passkey', { name: k.name, added: at(k.createdAt), last: at(k.lastUsedAt) })).join('; ')}`);
  return parts.length ? parts.join('. ') : t('helpdesk.twoStep.off');
}

export function statusCardPage(v: Page & { card: StatusCard; csrfToken: string; verification?: { matches: boolean; method: string }; problems?: string[] | undefined; done?: string | undefined }): string {
  const { card } = v;
  const at = (moment: number | null) => when(moment, v.timeZone);
  const lockText = card.lock.locked
    ? t('helpdesk.lock.locked', { when: at(card.lock.lockedAt) })
    : card.lock.stage === 'captcha'
      ? t('helpdesk.lock.captcha', { failures: card.lock.failures, left: card.lock.triesBeforeLock })
      : card.lock.failures
        ? t('helpdesk.lock.failures', { failures: card.lock.failures })
        : t('helpdesk.lock.none');
  const passwordText = [
    t('helpdesk.password.changed', { when: at(card.password.changedAt), count: card.password.ageDays }),
    ...(card.password.expiresAt ? [t(card.password.expired ? 'helpdesk.password.expired' : 'helpdesk.password.expires', { when: at(card.password.expiresAt) })] : []),
  ].join('; ');
  const temporaryText = card.password.temporary
    ? [t('helpdesk.temporary.yes'), ...(card.password.temporaryExpiresAt ? [t('helpdesk.temporary.stops', { when: at(card.password.temporaryExpiresAt) })] : [])].join('; ')
    : t('helpdesk.temporary.no');
  const auaText = card.aua.acceptedVersion
    ? [t('helpdesk.aua.accepted', { version: card.aua.acceptedVersion, when: at(card.aua.acceptedAt) }), ...(card.aua.upToDate ? [] : [t('helpdesk.aua.again')])].join(' — ')
    : t('helpdesk.aua.notYet');
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
    `${card.user.username} · ${t('helpdesk.title')}`,
    html`<section class="card wide" aria-labelledby="card-title">
  <p><a href="/helpdesk">← ${t('helpdesk.backToSearch')}</a></p>
  <h1 id="card-title">${card.user.name} <span class="hint">(${card.user.username})</span></h1>
  ${v.done ? html`<p class="success" role="status">${v.done}</p>` : ''}
  ${errorSummary(v.problems)}
  ${card.user.systemRole ? html`<p class="notice">${t(`helpdesk.staffAccount.${card.user.systemRole}`)}${card.actionable ? '' : ` ${t('helpdesk.cannotAct')}`}</p>` : ''}
  ${!card.actionable && !card.user.systemRole ? html`<p class="notice">${t('helpdesk.ownAccount')}</p>` : ''}
  <dl class="profile status">
    <dt>${t('helpdesk.account')}</dt><dd>${card.user.disabledAt ? html`<strong>${t('consoles.disabled')}</strong> ${t('consoles.since', { when: at(card.user.disabledAt) })}` : t('consoles.active')}</dd>
    <dt>${t('helpdesk.lock.title')}</dt><dd>${lockText}</dd>
    <dt>${t('helpdesk.password.title')}</dt><dd>${passwordText}</dd>
    <dt>${t('helpdesk.temporary.title')}</dt><dd>${temporaryText}</dd>
    <dt>${t('helpdesk.lastSignIn')}</dt><dd>${at(card.lastSignInAt)}</dd>
    <dt>${t('helpdesk.aua.title')}</dt><dd>${auaText}</dd>
    <dt>${t('helpdesk.questions.title')}</dt><dd>${card.securityQuestions.set ? t('helpdesk.questions.set') : t('helpdesk.questions.notSet')}</dd>
    <dt>${t('helpdesk.twoStep.title')}</dt><dd>${secondFactorText(card.secondFactor, at)}</dd>
    <dt>${t('helpdesk.reset.title')}</dt><dd>${card.selfServiceReset.usedToday ? t('helpdesk.reset.used', { at: at(card.selfServiceReset.lastAt), next: at(card.selfServiceReset.nextAllowedAt) }) : t('helpdesk.reset.notUsed')}</dd>
    <dt>${t('helpdesk.sessions.title')}</dt><dd>${card.sessions.count ? t('helpdesk.sessions.open', { count: card.sessions.count, apps: card.sessions.apps.join(', ') || t('helpdesk.sessions.portalOnly') }) : t('helpdesk.sessions.none')}</dd>
    <dt>${t('consoles.email')}</dt><dd>${card.user.email}</dd>
    <dt>${t('consoles.phone')}</dt><dd>${card.user.phone ?? '—'}</dd>
  </dl>
  <h2>${t('helpdesk.organizations')}</h2>
  ${card.orgs.length
    ? html`<table class="usa-table usa-table--stacked orgs"><thead><tr><th scope="col">${t('consoles.heads.organization')}</th><th scope="col">${t('consoles.heads.code')}</th><th scope="col">${t('consoles.heads.iisId')}</th><th scope="col">${t('consoles.heads.role')}</th><th scope="col">${t('consoles.heads.coordinator')}</th></tr></thead>
  <tbody>${card.orgs.map((o) => html`<tr><td>${o.name}</td><td>${o.code}</td><td>${o.iis_id}</td><td>${roleName(o.role)}</td><td>${o.coordinator ? coordinatorName(o.coordinator) : '—'}</td></tr>`)}</tbody></table>`
    : html`<p>${t('consoles.none')}</p>`}
  ${card.actionable
    ? html`<h2 id="verify-title">${t('helpdesk.verify.title')}</h2>
  <p class="hint">${t('helpdesk.verify.hint')}</p>
  ${v.verification ? html`<p class="${v.verification.matches ? 'success' : 'error'}" role="status">${v.verification.matches ? t('helpdesk.verify.matches') : t('helpdesk.verify.noMatch')}</p>` : ''}
  <form method="post" action="/helpdesk/users/${card.user.id}/verify" aria-labelledby="verify-title" autocomplete="off">
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    <fieldset class="question"><legend>${t('helpdesk.verify.question')}</legend>
      ${card.securityQuestions.set
        ? html`<label class="usa-label" for="question">${t('helpdesk.verify.questionLabel')}</label>
      <select class="usa-select" id="question" name="question">${card.securityQuestions.questions.map((q) => html`<option value="${q.id}">${questionText(q)}</option>`)}</select>
      <label class="usa-label" for="answer">${t('helpdesk.verify.answer')}</label>
      <input class="usa-input" id="answer" name="answer" type="text" maxlength="100" autocomplete="off">
      <button class="usa-button" type="submit" name="method" value="question">${t('helpdesk.verify.checkAnswer')}</button>`
        : html`<p>${t('helpdesk.verify.noQuestions')}</p>`}
    </fieldset>
    <fieldset class="question"><legend>${t('helpdesk.verify.email')}</legend>
      <label class="usa-label" for="email">${t('helpdesk.verify.emailLabel')}</label>
      <input class="usa-input" id="email" name="email" type="text" maxlength="254" autocomplete="off">
      <button class="usa-button" type="submit" name="method" value="email">${t('helpdesk.verify.checkEmail')}</button>
    </fieldset>
  </form>
  <h2>${t('helpdesk.actionsTitle')}</h2>
  <p class="actions">${available.map((a) => html`<a class="usa-button" href="/helpdesk/users/${card.user.id}/${a}">${actionText(a, 'button')}</a>`)}</p>`
    : ''}
  <h2>${t('helpdesk.activity.title')}</h2>
  ${card.recentEvents.length
    ? html`<table class="usa-table usa-table--stacked orgs"><thead><tr><th scope="col">${t('helpdesk.activity.when')}</th><th scope="col">${t('helpdesk.activity.what')}</th><th scope="col">${t('helpdesk.activity.from')}</th></tr></thead>
  <tbody>${card.recentEvents.map((e) => html`<tr><td>${at(e.at)}</td><td>${auditEventLabel(e.action)}</td><td>${e.ip ?? '—'}</td></tr>`)}</tbody></table>`
    : html`<p>${t('consoles.none')}</p>`}
</section>`,
  );
}

/** The confirmation step: what will happen, and the reason every action needs. */
export function confirmActionPage(v: Page & { card: Pick<StatusCard, 'user'>; action: SupportActionName; csrfToken: string; problems?: string[] | undefined; values?: { reason_code?: string; reason?: string; ticket?: string } }): string {
  const question = actionText(v.action, 'question');
  const values = v.values ?? {};
  return page(
    v,
    question,
    html`<section class="card" aria-labelledby="confirm-title">
  <h1 id="confirm-title">${question}</h1>
  <p><strong>${v.card.user.name}</strong> (${v.card.user.username})</p>
  <p>${actionText(v.action, 'effect')} ${t('consoles.told')}</p>
  ${errorSummary(v.problems)}
  <form method="post" action="/helpdesk/users/${v.card.user.id}/${v.action}" novalidate>
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    ${reasonFields(values)}
    <button class="usa-button" type="submit">${actionText(v.action, 'button')}</button>
  </form>
  <p><a href="/helpdesk/users/${v.card.user.id}">${t('consoles.cancel')}</a></p>
</section>`,
  );
}

/** A temporary password, shown once (the page is not cached and is never shown again). */
export function temporaryPasswordPage(v: Page & { card: Pick<StatusCard, 'user'>; password: string; expiresAt: number }): string {
  return page(
    v,
    t('helpdesk.temporaryPage.title'),
    html`<section class="card" aria-labelledby="temp-title">
  <h1 id="temp-title">${t('helpdesk.temporaryPage.title')}</h1>
  <p>${tHtml('helpdesk.temporaryPage.readTo', { who: html`<strong>${v.card.user.name}</strong> (${v.card.user.username})` })}</p>
  <p class="temporary-password"><code>${v.password}</code></p>
  <p>${t('helpdesk.temporaryPage.mustChange', { when: when(v.expiresAt, v.timeZone) })}</p>
  <p><a class="usa-button" href="/helpdesk/users/${v.card.user.id}">${t('helpdesk.temporaryPage.back')}</a></p>
</section>`,
  );
}
