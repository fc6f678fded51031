import { html, type SafeHtml } from '@portal/rp-kit';
import type { SiteView } from '../libraries/exchanges.js';
import { selectField, textField } from './forms.js';
import { t } from '../locales.js';
import { historyTable, statusLabel } from './enrollments.js';
import { errorSummary } from './layout.js';

const steps = ['roi_submitted', 'widget_active', 'waiting', 'live'] as const;

/** The provider site: Bidirectional Exchange ROI and Connectivity and Transport (seed 003, steps 10–11). */
export function siteBody(p: { site: SiteView; isMember: boolean; reviewer: boolean; csrf: SafeHtml; errors?: Record<string, string>; values?: Record<string, string>; notice?: string }): SafeHtml {
  const { site } = p;
  const state = site.exchange?.state;
  const e = p.errors ?? {};
  const v: Record<string, string | undefined> = { ...(site.roi as Record<string, string>), ...p.values };
  const reached = state ? steps.indexOf(state) : -1;
  const roiForm = html`<form method="post" action="/sites/${site.iisId}/roi" novalidate>
    ${p.csrf}
    ${errorSummary(e)}
    ${textField({ id: 'ehrVendor', label: t('site.ehrVendor'), value: v.ehrVendor, error: e.ehrVendor, required: true })}
    ${textField({ id: 'ehrProduct', label: t('site.ehrProduct'), value: v.ehrProduct, error: e.ehrProduct, required: true })}
    ${textField({ id: 'ehrVersion', label: t('site.ehrVersion'), value: v.ehrVersion, error: e.ehrVersion, required: true })}
    ${textField({ id: 'interfaceEngine', label: t('site.interfaceEngine'), value: v.interfaceEngine, error: e.interfaceEngine })}
    ${textField({ id: 'contactName', label: t('site.contactName'), value: v.contactName, error: e.contactName, required: true })}
    ${textField({ id: 'contactEmail', label: t('site.contactEmail'), value: v.contactEmail, error: e.contactEmail, required: true, type: 'email' })}
    ${textField({ id: 'contactPhone', label: t('site.contactPhone'), value: v.contactPhone, error: e.contactPhone, required: true, type: 'tel' })}
    ${selectField({ id: 'consentMode', label: t('site.consentMode'), value: v.consentMode, error: e.consentMode, required: true, options: [['', t('site.choose')], ['hl7_submission', 'HL7 Submission']] })}
    ${selectField({ id: 'testReady', label: t('site.testReady'), value: v.testReady, error: e.testReady, required: true, options: [['', t('site.choose')], ['yes', t('site.yes')], ['no', t('site.notYet')]] })}
    <button class="usa-button" type="submit">${t(state ? 'site.updateRoi' : 'site.submitRoi')}</button>
  </form>`;
  return html`<section class="card" aria-labelledby="site-title">
  <h1 id="site-title">${t('site.heading', { site: site.name })}</h1>
  <p>TX IIS ID <strong>${site.iisId}</strong></p>
  ${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
  ${site.approved ? '' : html`<p>${t('site.notApproved')} <a href="/enrollments/new">${t('site.registerOrRenew')}</a>.</p>`}
  <h2>${t('site.roi')}</h2>
  <p>${t('view.status')} <span class="status" id="exchange-status">${state ? statusLabel(state) : t('site.notStarted')}</span></p>
  <ol class="steps">${steps.map((s, i) => html`<li${i === reached ? html` aria-current="step"` : ''}>${statusLabel(s)}${i <= reached ? ' ✓' : ''}</li>`)}</ol>
  ${state === 'waiting' && site.queuePosition ? html`<p id="queue-position">${t('site.queuePosition')} <strong>${site.queuePosition}</strong></p>` : ''}
  ${site.approved && p.isMember && (!state || state === 'roi_submitted') ? roiForm : ''}
  ${state === 'widget_active' && p.isMember
    ? html`<p>${t('site.widgetActive')}</p>
  <form method="post" action="/sites/${site.iisId}/waiting-queue">${p.csrf}<button class="usa-button" type="submit">${t('site.enterQueue')}</button></form>`
    : ''}
  ${p.reviewer && state === 'roi_submitted' ? html`<form method="post" action="/sites/${site.iisId}/activate">${p.csrf}<button class="usa-button" type="submit">${t('review.activate')}</button></form>` : ''}
  ${p.reviewer && state === 'waiting' ? html`<form method="post" action="/sites/${site.iisId}/go-live">${p.csrf}<button class="usa-button" type="submit">${t('review.goLive')}</button></form>` : ''}
  ${site.history.length ? historyTable(site.history) : ''}
</section>
<section class="card" aria-labelledby="transport-title">
  <h2 id="transport-title">${t('site.transport')}</h2>
  ${state !== 'live'
    ? html`<p>${t('site.credentialsLater')}</p>`
    : !site.exchange?.hl7_client_id
      ? p.isMember
        ? html`<p>${t('site.shownOnceBefore')} <strong>${t('site.once')}</strong>${t('site.shownOnceAfter')}</p>
  <form method="post" action="/sites/${site.iisId}/credentials">${p.csrf}<button class="usa-button" type="submit">${t('site.download')}</button></form>`
        : html`<p>${t('site.noCredentials')}</p>`
      : html`<p>${t('site.issued')} <code id="hl7-client-id">${site.exchange.hl7_client_id}</code>. ${t('site.notKept')}</p>
  ${p.isMember ? html`<p>${t('site.lost')}</p>
  <form method="post" action="/sites/${site.iisId}/credentials/rotate">${p.csrf}<button class="usa-button" type="submit">${t('site.rotate')}</button></form>` : ''}`}
</section>`;
}
