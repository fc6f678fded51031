import { html } from '@portal/common';
import type { AuditQueryInput, AuditRowView } from '../libraries/administration/audit-log.js';
import { layout, type SignedInHeader } from './layout.js';
import { errorSummary } from './form-problems.js';

const when = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso)).replace(/[\u202f\u00a0]/g, ' ');

/** Details as short text: the reason first, then the rest (never a secret: callers pass none). */
function detailText(details: unknown): string {
  if (details === null || details === undefined) return '';
  if (typeof details !== 'object') return String(details);
  return Object.entries(details as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ')
    .slice(0, 400);
}

export function auditSearchPage(v: {
  header: SignedInHeader;
  supportContact: string;
  timeZone: string;
  filters: AuditQueryInput;
  events?: AuditRowView[];
  nextBefore?: number | undefined;
  problems?: string[];
}): string {
  const f = v.filters;
  const query = (extra: Record<string, string>) => new URLSearchParams({ ...Object.fromEntries(Object.entries(f).filter(([, x]) => x)), ...extra } as Record<string, string>).toString();
  const field = (name: keyof AuditQueryInput, label: string, hint: string) =>
    html`<div><label class="usa-label" for="${name}">${label}</label><input class="usa-input" id="${name}" name="${name}" type="text" maxlength="100" value="${f[name] ?? ''}" aria-describedby="${name}-hint"><span class="hint" id="${name}-hint">${hint}</span></div>`;
  return layout({
    title: 'Audit log',
    supportContact: v.supportContact,
    signedInAs: v.header,
    body: html`<section class="card wide" aria-labelledby="audit-title">
  <p><a href="/admin">← Administration</a></p>
  <h1 id="audit-title">Audit log</h1>
  <p class="hint">Append-only and hash-chained: <code>pnpm portal audit:verify</code> proves no row was changed, removed or moved. Searching and exporting are recorded too.</p>
  ${errorSummary(v.problems)}
  <form method="get" action="/admin/audit" class="filters">
    ${field('actor', 'Actor', 'username or id of who did it')}
    ${field('subject', 'Subject', 'username or id of whom it was about')}
    ${field('action', 'Action', 'e.g. support.unlock, signin.failure')}
    ${field('ip', 'IP address', 'exact')}
    ${field('from', 'From', '2026-12-01 or 2026-12-01T08:00:00Z')}
    ${field('to', 'To (not included)', 'same forms as From')}
    <button class="usa-button" type="submit">Search</button>
  </form>
  ${v.events
    ? html`<p><a class="usa-button" href="/admin/audit/export.csv?${query({})}">Export these as CSV</a></p>
  ${v.events.length
    ? html`<table class="usa-table usa-table--stacked orgs audit">
    <thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Actor</th><th scope="col">Subject</th><th scope="col">From</th><th scope="col">Details</th></tr></thead>
    <tbody>${v.events.map(
      (e) => html`<tr><td>${when(e.at, v.timeZone)}</td><td>${e.action}</td><td>${e.actorUsername ?? e.actorUserId ?? '—'}</td><td>${e.subjectUsername ?? e.subjectUserId ?? e.subject ?? '—'}</td><td>${e.ip ?? '—'}</td><td>${detailText(e.details)}</td></tr>`,
    )}</tbody>
  </table>
  ${v.nextBefore ? html`<nav aria-label="Result pages" class="pager"><a href="/admin/audit?${query({ before: String(v.nextBefore) })}">Older entries</a></nav>` : ''}`
    : html`<p role="status">Nothing matches these filters.</p>`}`
    : ''}
</section>`,
  });
}
