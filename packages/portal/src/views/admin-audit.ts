import { html } from '@portal/common';
import type { AuditQueryInput, AuditRowView } from '../libraries/administration/audit-log.js';
import { pageDateTime } from '../libraries/dates.js';
import { t, tHtml } from '../locales/consoles.js';
import { layout, type SignedInHeader } from './layout.js';
import { errorSummary } from './form-problems.js';

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
  const field = (name: keyof AuditQueryInput) =>
    html`<div><label class="usa-label" for="${name}">${t(`audit.filters.${name}`)}</label><input class="usa-input" id="${name}" name="${name}" type="text" maxlength="100" value="${f[name] ?? ''}" aria-describedby="${name}-hint"><span class="hint" id="${name}-hint">${t(`audit.filters.${name}Hint`)}</span></div>`;
  return layout({
    title: t('audit.title'),
    supportContact: v.supportContact,
    signedInAs: v.header,
    body: html`<section class="card wide" aria-labelledby="audit-title">
  <p><a href="/admin">${t('consoles.back', { label: t('admin.title') })}</a></p>
  <h1 id="audit-title">${t('audit.title')}</h1>
  <p class="hint">${tHtml('audit.hint', { command: html`<code>pnpm portal audit:verify</code>` })}</p>
  ${errorSummary(v.problems)}
  <form method="get" action="/admin/audit" class="filters">
    ${field('actor')}
    ${field('subject')}
    ${field('action')}
    ${field('ip')}
    ${field('from')}
    ${field('to')}
    <button class="usa-button" type="submit">${t('audit.search')}</button>
  </form>
  ${v.events
    ? html`<p><a class="usa-button" href="/admin/audit/export.csv?${query({})}">${t('audit.export')}</a></p>
  ${v.events.length
    ? html`<table class="usa-table usa-table--stacked orgs audit">
    <thead><tr>${(['when', 'action', 'actor', 'subject', 'from', 'details'] as const).map((head) => html`<th scope="col">${t(`audit.heads.${head}`)}</th>`)}</tr></thead>
    <tbody>${v.events.map(
      (e) => html`<tr><td>${pageDateTime(e.at, v.timeZone, true)}</td><td>${e.action}</td><td>${e.actorUsername ?? e.actorUserId ?? '—'}</td><td>${e.subjectUsername ?? e.subjectUserId ?? e.subject ?? '—'}</td><td>${e.ip ?? '—'}</td><td>${detailText(e.details)}</td></tr>`,
    )}</tbody>
  </table>
  ${v.nextBefore ? html`<nav aria-label="${t('consoles.pager.label')}" class="pager"><a href="/admin/audit?${query({ before: String(v.nextBefore) })}">${t('audit.older')}</a></nav>` : ''}`
    : html`<p role="status">${t('audit.nothing')}</p>`}`
    : ''}
</section>`,
  });
}
