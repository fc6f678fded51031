import { html, type SafeHtml } from '@portal/rp-kit';

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
  <nav aria-label="Functions"><ul>
    <li><a href="/">My provider sites</a></li>
    <li><a href="/enrollments/new">Register or renew a site</a></li>
    ${p.reviewer ? html`<li><a href="/review">State review</a></li>` : ''}
  </ul></nav>
</aside>
</div>`;
}

export function dateTime(at: number): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at)).replace(/[\u202f\u00a0]/g, ' ');
}

// The form pieces every app draws alike live in rp-kit (form-fields.ts).
export { fieldError, invalidAttrs, errorSummary } from '@portal/rp-kit';
