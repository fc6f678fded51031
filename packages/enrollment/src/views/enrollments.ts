import { html, orgTable, type OrgAccess, type SafeHtml } from '@portal/rp-kit';
import { t } from '../locales.js';
import { translate } from '@portal/common';

import { programmes, prescriberSlots, type EnrollmentDraft, type Programme } from '../libraries/input.js';
import type { EnrollmentRow, EventRow } from '../queries/enrollments.js';
import type { ExchangeRow } from '../queries/exchanges.js';
import { selectField, textField } from './forms.js';
import { dateTime, errorSummary } from './layout.js';

/** rp-kit's words for "(required)" and "(optional)", as its fields say them. */
const apps = (key: string) => translate('apps', key);

const statuses = new Set(['draft', 'submitted', 'approved', 'rejected', 'roi_submitted', 'widget_active', 'waiting', 'live']);
/** An enrollment's or exchange's state as the page's reader reads it; an unknown one as stored. */
export const statusLabel = (status: string): string => (statuses.has(status) ? t(`status.${status}`) : status);
const programmeLabel = (p: string) => programmes[p as Programme] ?? p;
const kindLabel = (k: string) => t(k === 'renewal' ? 'kind.renewal' : 'kind.registration');

export function homeBody(p: { name: string; orgs: readonly OrgAccess[]; enrollments: EnrollmentRow[]; reviewer: boolean }): SafeHtml {
  return html`<section class="card" aria-labelledby="home-title">
  <h1 id="home-title">Syntropi</h1>
  <p>${t('home.welcome', { name: p.name })}</p>
  <p>${t('home.intro')}</p>
  <p><a class="usa-button" href="/enrollments/new">${t('side.registerOrRenew')}</a>${p.reviewer ? html` <a class="usa-button usa-button--outline" href="/review">${t('side.stateReview')}</a>` : ''}</p>
  ${orgTable(p.orgs)}
</section>
<section class="card" aria-labelledby="sites-title">
  <h2 id="sites-title">${t('home.enrollments')}</h2>
  ${p.enrollments.length ? enrollmentTable(p.enrollments) : html`<p>${t('home.none')}</p>`}
  ${p.orgs.length ? html`<h3>${t('home.sites')}</h3><ul>${p.orgs.map((o) => html`<li><a href="/sites/${o.iis_id}">${t('home.siteLink', { site: o.name, iisId: o.iis_id })}</a></li>`)}</ul>` : ''}
</section>`;
}

export function enrollmentTable(rows: EnrollmentRow[]): SafeHtml {
  return html`<table class="usa-table usa-table--stacked">
  <thead><tr><th scope="col">${t('columns.number')}</th><th scope="col">${t('columns.organization')}</th><th scope="col">${t('columns.site')}</th><th scope="col">${t('columns.programme')}</th><th scope="col">${t('columns.type')}</th><th scope="col">${t('columns.status')}</th><th scope="col">${t('columns.updated')}</th></tr></thead>
  <tbody>${rows.map((r) => html`<tr><td><a href="/enrollments/${r.id}">${r.id}</a></td><td>${r.organization_name} (${r.organization_iis_id})</td><td>${r.site_name || '—'}</td><td>${programmeLabel(r.programme)}</td><td>${kindLabel(r.kind)}</td><td><span class="status">${statusLabel(r.status)}</span></td><td>${dateTime(r.updated_at)}</td></tr>`)}</tbody>
</table>`;
}

export function startBody(p: { orgs: readonly OrgAccess[]; csrf: SafeHtml; errors?: Record<string, string>; values?: Record<string, string> }): SafeHtml {
  const errors = p.errors ?? {};
  return html`<section class="card" aria-labelledby="start-title">
  <h1 id="start-title">${t('start.heading')}</h1>
  ${errorSummary(errors)}
  <form method="post" action="/enrollments" novalidate>
    ${p.csrf}
    ${selectField({ id: 'organization', label: t('start.organization'), required: true, error: errors.organization, value: p.values?.organization, options: p.orgs.map((o) => [o.iis_id, `${o.name} (${o.code}) — ${o.iis_id}`] as const) })}
    ${selectField({ id: 'programme', label: t('start.programme'), required: true, error: errors.programme, value: p.values?.programme, options: Object.entries(programmes) })}
    ${selectField({ id: 'kind', label: t('start.kind'), required: true, error: errors.kind, value: p.values?.kind, options: [['registration', t('start.register')], ['renewal', t('start.renew')]] })}
    <button class="usa-button" type="submit">${t('start.submit')}</button>
  </form>
</section>`;
}

export function editBody(p: { row: EnrollmentRow; draft: EnrollmentDraft; csrf: SafeHtml; contact: { name: string; email: string | null }; errors?: Record<string, string>; saved?: boolean }): SafeHtml {
  const d = p.draft;
  const e = p.errors ?? {};
  const field = (id: string, label: string, extra: Partial<Parameters<typeof textField>[0]> = {}) => textField({ id, label, value: d[id], error: e[id], ...extra });
  return html`<section class="card" aria-labelledby="edit-title">
  <h1 id="edit-title">${t('edit.heading', { kind: kindLabel(p.row.kind), programme: programmeLabel(p.row.programme) })}</h1>
  <p>${p.row.organization_name}, TX IIS ID <strong>${p.row.organization_iis_id}</strong> · ${t('edit.summary', { id: p.row.id })} · <span class="status">${statusLabel(p.row.status)}</span></p>
  ${p.saved ? html`<p class="notice" role="status">${t('edit.saved')}</p>` : ''}
  ${errorSummary(e)}
  <form method="post" action="/enrollments/${p.row.id}" novalidate>
    ${p.csrf}
    <fieldset><legend>${t('edit.site')}</legend>
      ${field('siteName', t('edit.siteName'), { required: true, maxlength: 200 })}
      ${field('line1', t('edit.street'), { required: true, autocomplete: 'address-line1' })}
      ${field('line2', t('edit.line2'), { autocomplete: 'address-line2' })}
      ${field('city', t('edit.city'), { required: true })}
      ${textField({ id: 'state', label: t('edit.state'), value: d.state ?? 'TX', error: e.state, required: true, maxlength: 2 })}
      ${field('zip', t('edit.zip'), { required: true, inputmode: 'numeric', maxlength: 10 })}
      ${field('phone', t('edit.phone'), { required: true, type: 'tel', hint: t('edit.phoneHint') })}
    </fieldset>
    <fieldset><legend>${t('edit.rmp')}</legend>
      <p class="hint">${t('edit.rmpHint')}</p>
      ${field('rmpName', t('edit.name'), { required: true })}
      ${field('rmpLicense', t('edit.license'), { required: true })}
      ${field('rmpNpi', t('edit.npi'), { required: true, inputmode: 'numeric', maxlength: 10, hint: t('edit.npiHint') })}
    </fieldset>
    ${Array.from({ length: prescriberSlots }, (_, i) => i + 1).map(
      (n) => html`<fieldset><legend>${t('edit.prescriber', { n })} ${apps(n === 1 ? 'form.required' : 'form.optional')}</legend>
      ${field(`prescriber${n}Name`, t('edit.name'), { required: n === 1 })}
      ${field(`prescriber${n}License`, t('edit.license'), { required: n === 1 })}
      ${field(`prescriber${n}Npi`, t('edit.npi'), { required: n === 1, inputmode: 'numeric', maxlength: 10 })}
    </fieldset>`,
    )}
    <fieldset><legend>${t('edit.contact')}</legend>
      <p>${p.contact.name}${p.contact.email ? html` · ${p.contact.email}` : ''} ${t('edit.contactYou')}</p>
    </fieldset>
    <button class="usa-button usa-button--outline" type="submit" name="action" value="save">${t('edit.saveDraft')}</button>
    <button class="usa-button" type="submit" name="action" value="submit">${t('edit.submit')}</button>
  </form>
</section>`;
}

export function historyTable(events: EventRow[]): SafeHtml {
  return html`<table class="usa-table usa-table--stacked">
  <caption class="hint">${t('view.history')}</caption>
  <thead><tr><th scope="col">${t('columns.when')}</th><th scope="col">${t('columns.who')}</th><th scope="col">${t('columns.change')}</th><th scope="col">${t('columns.comment')}</th></tr></thead>
  <tbody>${events.map((ev) => html`<tr><td>${dateTime(ev.at)}</td><td>${ev.actor_name}</td><td>${ev.from_state ? `${statusLabel(ev.from_state)} → ` : ''}${statusLabel(ev.to_state)}</td><td>${ev.comment ?? ''}</td></tr>`)}</tbody>
</table>`;
}

export function viewBody(p: { row: EnrollmentRow; draft: EnrollmentDraft; history: EventRow[]; canEdit: boolean; canDecide: boolean; csrf: SafeHtml; errors?: Record<string, string>; notice?: string }): SafeHtml {
  const d = p.draft;
  const e = p.errors ?? {};
  const prescribers = Array.from({ length: prescriberSlots }, (_, i) => i + 1).filter((n) => d[`prescriber${n}Name`]);
  return html`<section class="card" aria-labelledby="view-title">
  <h1 id="view-title">${t('view.heading', { id: p.row.id, site: p.row.site_name || p.row.organization_name })}</h1>
  ${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
  <p>${t('view.status')} <span class="status" id="status">${statusLabel(p.row.status)}</span></p>
  <dl>
    <dt>${t('view.organization')}</dt><dd>${t('view.orgValue', { org: p.row.organization_name, iisId: p.row.organization_iis_id })}</dd>
    <dt>${t('view.programme')}</dt><dd>${programmeLabel(p.row.programme)} (${kindLabel(p.row.kind)})</dd>
    <dt>${t('view.address')}</dt><dd>${[d.line1, d.line2, d.city, d.state, d.zip].filter(Boolean).join(', ') || '—'}</dd>
    <dt>${t('view.phone')}</dt><dd>${d.phone ?? '—'}</dd>
    <dt>${t('view.rmp')}</dt><dd>${t('view.providerValue', { name: d.rmpName ?? '—', license: d.rmpLicense ?? '—', npi: d.rmpNpi ?? '—' })}</dd>
    <dt>${t('view.prescribers')}</dt><dd>${prescribers.length ? html`<ul>${prescribers.map((n) => html`<li>${t('view.providerValue', { name: d[`prescriber${n}Name`], license: d[`prescriber${n}License`] ?? '—', npi: d[`prescriber${n}Npi`] ?? '—' })}</li>`)}</ul>` : '—'}</dd>
    <dt>${t('view.contact')}</dt><dd>${p.row.contact_name}${p.row.contact_email ? ` · ${p.row.contact_email}` : ''}</dd>
  </dl>
  ${p.canEdit ? html`<p><a class="usa-button" href="/enrollments/${p.row.id}/edit">${t(p.row.status === 'rejected' ? 'view.correct' : 'view.continue')}</a></p>` : ''}
  ${p.row.status === 'approved' ? html`<p><a class="usa-button" href="/sites/${p.row.organization_iis_id}">${t('view.roi')}</a></p>` : ''}
  ${historyTable(p.history)}
</section>
${p.canDecide
  ? html`<section class="card" aria-labelledby="decide-title">
  <h2 id="decide-title">${t('view.review')}</h2>
  ${errorSummary(e)}
  <form method="post" action="/enrollments/${p.row.id}/decision" novalidate>
    ${p.csrf}
    <div class="field${e.comment ? ' has-error' : ''}"><label class="usa-label" for="comment">${t('view.comment')}</label>
    ${e.comment ? html`<p class="field-error" id="comment-error">${e.comment}</p>` : ''}
    <textarea class="usa-textarea" id="comment" name="comment" rows="3" maxlength="2000"${e.comment ? html` aria-invalid="true" aria-describedby="comment-error"` : ''}></textarea></div>
    <button class="usa-button" type="submit" name="decision" value="approve">${t('view.approve')}</button>
    <button class="usa-button usa-button--outline" type="submit" name="decision" value="reject">${t('view.reject')}</button>
  </form>
</section>`
  : ''}`;
}

export function reviewBody(p: { submitted: EnrollmentRow[]; exchanges: Record<'roi_submitted' | 'widget_active' | 'waiting', ExchangeRow[]>; csrf: SafeHtml }): SafeHtml {
  const siteRows = (rows: ExchangeRow[], action?: { path: string; label: string }) =>
    rows.length
      ? html`<ol>${rows.map((x) => html`<li><a href="/sites/${x.organization_iis_id}">TX IIS ID ${x.organization_iis_id}</a> ${t('review.since', { at: dateTime(x.queued_at ?? x.updated_at) })}${action ? html` <form method="post" action="/sites/${x.organization_iis_id}/${action.path}" class="inline">${p.csrf}<button class="usa-button" type="submit">${action.label}</button></form>` : ''}</li>`)}</ol>`
      : html`<p>${t('review.none')}</p>`;
  return html`<section class="card" aria-labelledby="review-title">
  <h1 id="review-title">${t('review.title')}</h1>
  <h2>${t('review.submitted')}</h2>
  ${p.submitted.length ? enrollmentTable(p.submitted) : html`<p>${t('review.noneWaiting')}</p>`}
  <h2>${t('review.toActivate')}</h2>
  ${siteRows(p.exchanges.roi_submitted, { path: 'activate', label: t('review.activate') })}
  <h2>${t('review.activated')}</h2>
  ${siteRows(p.exchanges.widget_active)}
  <h2>${t('review.queue')}</h2>
  ${siteRows(p.exchanges.waiting, { path: 'go-live', label: t('review.goLive') })}
</section>`;
}
