import { html, orgTable, type OrgAccess, type SafeHtml } from '@portal/rp-kit';
import { programmes, prescriberSlots, type EnrollmentDraft, type Programme } from '../libraries/input.js';
import type { EnrollmentRow, EventRow } from '../queries/enrollments.js';
import type { ExchangeRow } from '../queries/exchanges.js';
import { selectField, textField } from './forms.js';
import { dateTime, errorSummary } from './layout.js';

export const statusLabels: Record<string, string> = {
  draft: 'Draft', submitted: 'Submitted for review', approved: 'Approved', rejected: 'Rejected',
  roi_submitted: 'ROI submitted', widget_active: 'Bidirectional widget activated', waiting: 'In the TX-ImmTrac2 waiting queue', live: 'Approved to go live',
};
const programmeLabel = (p: string) => programmes[p as Programme] ?? p;
const kindLabel = (k: string) => (k === 'renewal' ? 'Renewal' : 'Registration');

export function homeBody(p: { name: string; orgs: readonly OrgAccess[]; enrollments: EnrollmentRow[]; reviewer: boolean }): SafeHtml {
  return html`<section class="card" aria-labelledby="home-title">
  <h1 id="home-title">Syntropi</h1>
  <p>Welcome, ${p.name}.</p>
  <p>Register a provider site or renew its enrollment for the COVID-19 provider, Texas Vaccines for Children or Adult Safety Net programme.</p>
  <p><a class="usa-button" href="/enrollments/new">Register or renew a site</a>${p.reviewer ? html` <a class="usa-button usa-button--outline" href="/review">State review</a>` : ''}</p>
  ${orgTable(p.orgs)}
</section>
<section class="card" aria-labelledby="sites-title">
  <h2 id="sites-title">Enrollments of your organizations</h2>
  ${p.enrollments.length ? enrollmentTable(p.enrollments) : html`<p>No enrollments yet.</p>`}
  ${p.orgs.length ? html`<h3>Provider sites</h3><ul>${p.orgs.map((o) => html`<li><a href="/sites/${o.iis_id}">${o.name} (${o.iis_id}): Bidirectional Exchange ROI, Connectivity and Transport</a></li>`)}</ul>` : ''}
</section>`;
}

export function enrollmentTable(rows: EnrollmentRow[]): SafeHtml {
  return html`<table class="usa-table usa-table--stacked">
  <thead><tr><th scope="col">Number</th><th scope="col">Organization</th><th scope="col">Site</th><th scope="col">Programme</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Updated</th></tr></thead>
  <tbody>${rows.map((r) => html`<tr><td><a href="/enrollments/${r.id}">${r.id}</a></td><td>${r.organization_name} (${r.organization_iis_id})</td><td>${r.site_name || '—'}</td><td>${programmeLabel(r.programme)}</td><td>${kindLabel(r.kind)}</td><td><span class="status">${statusLabels[r.status] ?? r.status}</span></td><td>${dateTime(r.updated_at)}</td></tr>`)}</tbody>
</table>`;
}

export function startBody(p: { orgs: readonly OrgAccess[]; csrf: SafeHtml; errors?: Record<string, string>; values?: Record<string, string> }): SafeHtml {
  const errors = p.errors ?? {};
  return html`<section class="card" aria-labelledby="start-title">
  <h1 id="start-title">Register or renew a provider site</h1>
  ${errorSummary(errors)}
  <form method="post" action="/enrollments" novalidate>
    ${p.csrf}
    ${selectField({ id: 'organization', label: 'Organization (TX IIS ID)', required: true, error: errors.organization, value: p.values?.organization, options: p.orgs.map((o) => [o.iis_id, `${o.name} (${o.code}) — ${o.iis_id}`] as const) })}
    ${selectField({ id: 'programme', label: 'Programme', required: true, error: errors.programme, value: p.values?.programme, options: Object.entries(programmes) })}
    ${selectField({ id: 'kind', label: 'Registration or renewal', required: true, error: errors.kind, value: p.values?.kind, options: [['registration', 'Register a new site'], ['renewal', 'Renew (starts from the last approved enrollment)']] })}
    <button class="usa-button" type="submit">Start</button>
  </form>
</section>`;
}

export function editBody(p: { row: EnrollmentRow; draft: EnrollmentDraft; csrf: SafeHtml; contact: { name: string; email: string | null }; errors?: Record<string, string>; saved?: boolean }): SafeHtml {
  const d = p.draft;
  const e = p.errors ?? {};
  const field = (id: string, label: string, extra: Partial<Parameters<typeof textField>[0]> = {}) => textField({ id, label, value: d[id], error: e[id], ...extra });
  return html`<section class="card" aria-labelledby="edit-title">
  <h1 id="edit-title">${kindLabel(p.row.kind)}: ${programmeLabel(p.row.programme)}</h1>
  <p>${p.row.organization_name}, TX IIS ID <strong>${p.row.organization_iis_id}</strong> · Enrollment ${p.row.id} · <span class="status">${statusLabels[p.row.status]}</span></p>
  ${p.saved ? html`<p class="notice" role="status">Draft saved. You can continue later from the home page.</p>` : ''}
  ${errorSummary(e)}
  <form method="post" action="/enrollments/${p.row.id}" novalidate>
    ${p.csrf}
    <fieldset><legend>Site</legend>
      ${field('siteName', 'Site name', { required: true, maxlength: 200 })}
      ${field('line1', 'Street address', { required: true, autocomplete: 'address-line1' })}
      ${field('line2', 'Address line 2', { autocomplete: 'address-line2' })}
      ${field('city', 'City', { required: true })}
      ${textField({ id: 'state', label: 'State', value: d.state ?? 'TX', error: e.state, required: true, maxlength: 2 })}
      ${field('zip', 'ZIP code', { required: true, inputmode: 'numeric', maxlength: 10 })}
      ${field('phone', 'Site phone', { required: true, type: 'tel', hint: 'e.g. (512) 555-0100' })}
    </fieldset>
    <fieldset><legend>Responsible Medical Provider</legend>
      <p class="hint">For a pharmacy, the Pharmacist in Charge.</p>
      ${field('rmpName', 'Name', { required: true })}
      ${field('rmpLicense', 'License number', { required: true })}
      ${field('rmpNpi', 'NPI', { required: true, inputmode: 'numeric', maxlength: 10, hint: '10 digits' })}
    </fieldset>
    ${Array.from({ length: prescriberSlots }, (_, i) => i + 1).map(
      (n) => html`<fieldset><legend>Practicing provider with prescribing authority ${n}${n === 1 ? ' (required)' : ' (optional)'}</legend>
      ${field(`prescriber${n}Name`, 'Name', { required: n === 1 })}
      ${field(`prescriber${n}License`, 'License number', { required: n === 1 })}
      ${field(`prescriber${n}Npi`, 'NPI', { required: n === 1, inputmode: 'numeric', maxlength: 10 })}
    </fieldset>`,
    )}
    <fieldset><legend>Point of contact</legend>
      <p>${p.contact.name}${p.contact.email ? html` · ${p.contact.email}` : ''} (you: decisions are emailed to this address)</p>
    </fieldset>
    <button class="usa-button usa-button--outline" type="submit" name="action" value="save">Save draft</button>
    <button class="usa-button" type="submit" name="action" value="submit">Submit for review</button>
  </form>
</section>`;
}

export function historyTable(events: EventRow[]): SafeHtml {
  return html`<table class="usa-table usa-table--stacked">
  <caption class="hint">History</caption>
  <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Change</th><th scope="col">Comment</th></tr></thead>
  <tbody>${events.map((ev) => html`<tr><td>${dateTime(ev.at)}</td><td>${ev.actor_name}</td><td>${ev.from_state ? `${statusLabels[ev.from_state] ?? ev.from_state} → ` : ''}${statusLabels[ev.to_state] ?? ev.to_state}</td><td>${ev.comment ?? ''}</td></tr>`)}</tbody>
</table>`;
}

export function viewBody(p: { row: EnrollmentRow; draft: EnrollmentDraft; history: EventRow[]; canEdit: boolean; canDecide: boolean; csrf: SafeHtml; errors?: Record<string, string>; notice?: string }): SafeHtml {
  const d = p.draft;
  const e = p.errors ?? {};
  const prescribers = Array.from({ length: prescriberSlots }, (_, i) => i + 1).filter((n) => d[`prescriber${n}Name`]);
  return html`<section class="card" aria-labelledby="view-title">
  <h1 id="view-title">Enrollment ${p.row.id}: ${p.row.site_name || p.row.organization_name}</h1>
  ${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
  <p>Status: <span class="status" id="status">${statusLabels[p.row.status]}</span></p>
  <dl>
    <dt>Organization</dt><dd>${p.row.organization_name}, TX IIS ID ${p.row.organization_iis_id}</dd>
    <dt>Programme</dt><dd>${programmeLabel(p.row.programme)} (${kindLabel(p.row.kind)})</dd>
    <dt>Site address</dt><dd>${[d.line1, d.line2, d.city, d.state, d.zip].filter(Boolean).join(', ') || '—'}</dd>
    <dt>Site phone</dt><dd>${d.phone ?? '—'}</dd>
    <dt>Responsible medical provider</dt><dd>${d.rmpName ?? '—'} · license ${d.rmpLicense ?? '—'} · NPI ${d.rmpNpi ?? '—'}</dd>
    <dt>Prescribing providers</dt><dd>${prescribers.length ? html`<ul>${prescribers.map((n) => html`<li>${d[`prescriber${n}Name`]} · license ${d[`prescriber${n}License`] ?? '—'} · NPI ${d[`prescriber${n}Npi`] ?? '—'}</li>`)}</ul>` : '—'}</dd>
    <dt>Point of contact</dt><dd>${p.row.contact_name}${p.row.contact_email ? ` · ${p.row.contact_email}` : ''}</dd>
  </dl>
  ${p.canEdit ? html`<p><a class="usa-button" href="/enrollments/${p.row.id}/edit">${p.row.status === 'rejected' ? 'Correct and submit again' : 'Continue the draft'}</a></p>` : ''}
  ${p.row.status === 'approved' ? html`<p><a class="usa-button" href="/sites/${p.row.organization_iis_id}">Bidirectional Exchange ROI</a></p>` : ''}
  ${historyTable(p.history)}
</section>
${p.canDecide
  ? html`<section class="card" aria-labelledby="decide-title">
  <h2 id="decide-title">State review</h2>
  ${errorSummary(e)}
  <form method="post" action="/enrollments/${p.row.id}/decision" novalidate>
    ${p.csrf}
    <div class="field${e.comment ? ' has-error' : ''}"><label class="usa-label" for="comment">Comment (the applicant reads it; required to reject)</label>
    ${e.comment ? html`<p class="field-error" id="comment-error">${e.comment}</p>` : ''}
    <textarea class="usa-textarea" id="comment" name="comment" rows="3" maxlength="2000"${e.comment ? html` aria-invalid="true" aria-describedby="comment-error"` : ''}></textarea></div>
    <button class="usa-button" type="submit" name="decision" value="approve">Approve</button>
    <button class="usa-button usa-button--outline" type="submit" name="decision" value="reject">Reject</button>
  </form>
</section>`
  : ''}`;
}

export function reviewBody(p: { submitted: EnrollmentRow[]; exchanges: Record<'roi_submitted' | 'widget_active' | 'waiting', ExchangeRow[]>; csrf: SafeHtml }): SafeHtml {
  const siteRows = (rows: ExchangeRow[], action?: { path: string; label: string }) =>
    rows.length
      ? html`<ol>${rows.map((x) => html`<li><a href="/sites/${x.organization_iis_id}">TX IIS ID ${x.organization_iis_id}</a> since ${dateTime(x.queued_at ?? x.updated_at)}${action ? html` <form method="post" action="/sites/${x.organization_iis_id}/${action.path}" class="inline">${p.csrf}<button class="usa-button" type="submit">${action.label}</button></form>` : ''}</li>`)}</ol>`
      : html`<p>None.</p>`;
  return html`<section class="card" aria-labelledby="review-title">
  <h1 id="review-title">State review</h1>
  <h2>Submitted enrollments</h2>
  ${p.submitted.length ? enrollmentTable(p.submitted) : html`<p>No enrollments wait for review.</p>`}
  <h2>Bidirectional Exchange ROI to activate</h2>
  ${siteRows(p.exchanges.roi_submitted, { path: 'activate', label: 'Activate the bidirectional widget' })}
  <h2>Widget activated, not yet in the waiting queue</h2>
  ${siteRows(p.exchanges.widget_active)}
  <h2>TX-ImmTrac2 waiting queue</h2>
  ${siteRows(p.exchanges.waiting, { path: 'go-live', label: 'Approve go-live' })}
</section>`;
}
