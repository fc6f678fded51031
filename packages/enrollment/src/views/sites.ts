import { html, type SafeHtml } from '@portal/rp-kit';
import type { SiteView } from '../libraries/exchanges.js';
import { selectField, textField } from './forms.js';
import { historyTable, statusLabels } from './enrollments.js';
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
    ${textField({ id: 'ehrVendor', label: 'EHR vendor', value: v.ehrVendor, error: e.ehrVendor, required: true })}
    ${textField({ id: 'ehrProduct', label: 'EHR product', value: v.ehrProduct, error: e.ehrProduct, required: true })}
    ${textField({ id: 'ehrVersion', label: 'EHR product version', value: v.ehrVersion, error: e.ehrVersion, required: true })}
    ${textField({ id: 'interfaceEngine', label: 'Interface engine (if any)', value: v.interfaceEngine, error: e.interfaceEngine })}
    ${textField({ id: 'contactName', label: 'Technical contact name', value: v.contactName, error: e.contactName, required: true })}
    ${textField({ id: 'contactEmail', label: 'Technical contact email', value: v.contactEmail, error: e.contactEmail, required: true, type: 'email' })}
    ${textField({ id: 'contactPhone', label: 'Technical contact phone', value: v.contactPhone, error: e.contactPhone, required: true, type: 'tel' })}
    ${selectField({ id: 'consentMode', label: 'Consent mode', value: v.consentMode, error: e.consentMode, required: true, options: [['', 'Choose…'], ['hl7_submission', 'HL7 Submission']] })}
    ${selectField({ id: 'testReady', label: 'Ready to send test messages?', value: v.testReady, error: e.testReady, required: true, options: [['', 'Choose…'], ['yes', 'Yes'], ['no', 'Not yet']] })}
    <button class="usa-button" type="submit">${state ? 'Update the ROI' : 'Submit the Bidirectional Exchange ROI'}</button>
  </form>`;
  return html`<section class="card" aria-labelledby="site-title">
  <h1 id="site-title">Provider site: ${site.name}</h1>
  <p>TX IIS ID <strong>${site.iisId}</strong></p>
  ${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
  ${site.approved ? '' : html`<p>The Bidirectional Exchange ROI opens once an enrollment of this site is approved. <a href="/enrollments/new">Register or renew the site</a>.</p>`}
  <h2>Bidirectional Exchange ROI</h2>
  <p>Status: <span class="status" id="exchange-status">${state ? statusLabels[state] : 'Not started'}</span></p>
  <ol class="steps">${steps.map((s, i) => html`<li${i === reached ? html` aria-current="step"` : ''}>${statusLabels[s]}${i <= reached ? ' ✓' : ''}</li>`)}</ol>
  ${state === 'waiting' && site.queuePosition ? html`<p id="queue-position">Position in the TX-ImmTrac2 waiting queue: <strong>${site.queuePosition}</strong></p>` : ''}
  ${site.approved && p.isMember && (!state || state === 'roi_submitted') ? roiForm : ''}
  ${state === 'widget_active' && p.isMember
    ? html`<p>The state activated the bidirectional widget. Once the Registration of Intent form has been emailed to immtracmu@dshs.texas.gov, enter the waiting queue.</p>
  <form method="post" action="/sites/${site.iisId}/waiting-queue">${p.csrf}<button class="usa-button" type="submit">Enter the waiting queue</button></form>`
    : ''}
  ${p.reviewer && state === 'roi_submitted' ? html`<form method="post" action="/sites/${site.iisId}/activate">${p.csrf}<button class="usa-button" type="submit">Activate the bidirectional widget</button></form>` : ''}
  ${p.reviewer && state === 'waiting' ? html`<form method="post" action="/sites/${site.iisId}/go-live">${p.csrf}<button class="usa-button" type="submit">Approve go-live</button></form>` : ''}
  ${site.history.length ? historyTable(site.history) : ''}
</section>
<section class="card" aria-labelledby="transport-title">
  <h2 id="transport-title">Connectivity and Transport</h2>
  ${state !== 'live'
    ? html`<p>Production credentials are available here once the state approves the site to go live.</p>`
    : !site.exchange?.hl7_client_id
      ? p.isMember
        ? html`<p>Your production credentials are shown <strong>once</strong>, as a file to download. Keep it safe and send it only in an encrypted or secure email.</p>
  <form method="post" action="/sites/${site.iisId}/credentials">${p.csrf}<button class="usa-button" type="submit">Click to download</button></form>`
        : html`<p>No production credentials issued yet.</p>`
      : html`<p>Production credentials issued: client id <code id="hl7-client-id">${site.exchange.hl7_client_id}</code>. The secret was shown once and is not kept by Syntropi.</p>
  ${p.isMember ? html`<p>Lost the secret, or it may have leaked? A new one is downloaded once; the old one keeps working for a while so the switch needs no outage.</p>
  <form method="post" action="/sites/${site.iisId}/credentials/rotate">${p.csrf}<button class="usa-button" type="submit">Rotate the secret and download</button></form>` : ''}`}
</section>`;
}
