import { formatDateTime, html, type SafeHtml } from '@portal/rp-kit';
import { t } from '../locales.js';

/**
 * Syntropi's screen (seed 004: "the link to the Enterprise Portal on the right side of the
 * Syntropi screen"): the page, and on its right a panel with the Enterprise Portal link and
 * Syntropi's own functions. rp-kit's header keeps its link too, also at the right.
 */
export function syntropiPage(p: { portalUrl: string; reviewer: boolean; body: SafeHtml }): SafeHtml {
  return html`<div class="syntropi">
<div class="syntropi-content">
${p.body}
</div>
<aside class="syntropi-side" aria-label="Syntropi">
  <a class="usa-button portal-side-link" href="${p.portalUrl}">Enterprise Portal</a>
  <nav aria-label="${t('side.functions')}"><ul>
    <li><a href="/">${t('side.mySites')}</a></li>
    <li><a href="/enrollments/new">${t('side.registerOrRenew')}</a></li>
    ${p.reviewer ? html`<li><a href="/review">${t('side.stateReview')}</a></li>` : ''}
  </ul></nav>
</aside>
</div>`;
}

/** A moment as the page's reader writes it, in Central time (rp-kit's). */
export const dateTime = formatDateTime;

// The form pieces every app draws alike live in rp-kit (form-fields.ts).
export { fieldError, invalidAttrs, errorSummary } from '@portal/rp-kit';
