import { html, type SafeHtml } from '@portal/rp-kit';
import { fieldError, invalidAttrs } from './layout.js';

/** One labelled text field, with its error tied to it (aria-invalid, aria-describedby). */
export function textField(f: { id: string; label: string; value?: string | null | undefined; error?: string | undefined; hint?: string; type?: string; autocomplete?: string; required?: boolean; maxlength?: number; inputmode?: string }): SafeHtml {
  return html`<div class="field${f.error ? ' has-error' : ''}">
  <label for="${f.id}">${f.label}${f.required ? html` <span class="required">(required)</span>` : ''}</label>
  ${f.hint ? html`<p class="hint" id="${f.id}-hint">${f.hint}</p>` : ''}
  ${fieldError(f.id, f.error)}
  <input id="${f.id}" name="${f.id}" type="${f.type ?? 'text'}" value="${f.value ?? ''}"${f.autocomplete ? html` autocomplete="${f.autocomplete}"` : html` autocomplete="off"`}${f.maxlength ? html` maxlength="${f.maxlength}"` : ''}${f.inputmode ? html` inputmode="${f.inputmode}"` : ''}${f.required ? html` required` : ''}${invalidAttrs(f.id, f.error)}>
</div>`;
}

export function selectField(f: { id: string; label: string; options: readonly (readonly [string, string])[]; value?: string | null | undefined; error?: string | undefined; required?: boolean }): SafeHtml {
  return html`<div class="field${f.error ? ' has-error' : ''}">
  <label for="${f.id}">${f.label}${f.required ? html` <span class="required">(required)</span>` : ''}</label>
  ${fieldError(f.id, f.error)}
  <select id="${f.id}" name="${f.id}"${invalidAttrs(f.id, f.error)}>
    ${f.options.map(([value, label]) => html`<option value="${value}"${value === (f.value ?? '') ? html` selected` : ''}>${label}</option>`)}
  </select>
</div>`;
}


