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
  <a class="button portal-side-link" href="${p.portalUrl}">Enterprise Portal</a>
  <nav aria-label="Functions"><ul>
    <li><a href="/">My provider sites</a></li>
    <li><a href="/enrollments/new">Register or renew a site</a></li>
    ${p.reviewer ? html`<li><a href="/review">State review</a></li>` : ''}
  </ul></nav>
</aside>
</div>`;
}

/** A field's error message, tied to it for screen readers. */
export function fieldError(id: string, message: string | undefined): SafeHtml | string {
  return message ? html`<p class="field-error" id="${id}-error">${message}</p>` : '';
}

export function invalidAttrs(id: string, message: string | undefined): SafeHtml | string {
  return message ? html` aria-invalid="true" aria-describedby="${id}-error"` : '';
}

/** The error summary at the top of a form that came back with problems. */
export function errorSummary(errors: Record<string, string | undefined>): SafeHtml | string {
  const entries = Object.entries(errors).filter((e): e is [string, string] => Boolean(e[1]));
  if (!entries.length) return '';
  return html`<div class="error-summary" role="alert" tabindex="-1">
  <h2>Please check the form</h2>
  <ul>${entries.map(([id, message]) => html`<li><a href="#${id}">${message}</a></li>`)}</ul>
</div>`;
}

export function dateTime(at: number): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at)).replace(/[\u202f\u00a0]/g, ' ');
}
