import { html, type SafeHtml } from '@portal/common';
import { t } from './locales.js';

/**
 * The form pieces every app draws the same way (WCAG 2.1: 1.3.1, 3.3.1, 3.3.3): a labelled field
 * whose error is tied to it (aria-invalid, aria-describedby with the message and any hint), and the
 * error summary at the top of a form that came back with problems, each message linking to its field.
 */
export interface TextFieldOptions {
  id: string;
  label: string;
  value?: string | null | undefined;
  error?: string | undefined;
  hint?: string | undefined;
  type?: string;
  autocomplete?: string;
  required?: boolean;
  maxlength?: number;
  inputmode?: string;
}

export function textField(f: TextFieldOptions): SafeHtml {
  const hintId = f.hint ? `${f.id}-hint` : undefined;
  return html`<div class="field${f.error ? ' has-error' : ''}">
  <label class="usa-label" for="${f.id}">${f.label}${f.required ? html` <span class="required">${t('form.required')}</span>` : ''}</label>
  ${f.hint ? html`<p class="hint" id="${hintId}">${f.hint}</p>` : ''}
  ${fieldError(f.id, f.error)}
  <input class="usa-input" id="${f.id}" name="${f.id}" type="${f.type ?? 'text'}" value="${f.value ?? ''}" autocomplete="${f.autocomplete ?? 'off'}"${f.maxlength ? html` maxlength="${f.maxlength}"` : ''}${f.inputmode ? html` inputmode="${f.inputmode}"` : ''}${f.required ? html` required` : ''}${invalidAttrs(f.id, f.error, hintId)}>
</div>`;
}

export function selectField(f: { id: string; label: string; options: readonly (readonly [string, string])[]; value?: string | null | undefined; error?: string | undefined; required?: boolean }): SafeHtml {
  return html`<div class="field${f.error ? ' has-error' : ''}">
  <label class="usa-label" for="${f.id}">${f.label}${f.required ? html` <span class="required">${t('form.required')}</span>` : ''}</label>
  ${fieldError(f.id, f.error)}
  <select class="usa-select" id="${f.id}" name="${f.id}"${invalidAttrs(f.id, f.error)}>
    ${f.options.map(([value, label]) => html`<option value="${value}"${value === (f.value ?? '') ? html` selected` : ''}>${label}</option>`)}
  </select>
</div>`;
}

/** A field's error message, with the id its field is described by. */
export function fieldError(id: string, message: string | undefined): SafeHtml | string {
  return message ? html`<p class="field-error" id="${id}-error">${message}</p>` : '';
}

/** The attributes of a field: aria-invalid and the message (then the hint) it is described by. */
export function invalidAttrs(id: string, message: string | undefined, hintId?: string): SafeHtml | string {
  if (!message) return hintId ? html` aria-describedby="${hintId}"` : '';
  return html` aria-invalid="true" aria-describedby="${id}-error${hintId ? ` ${hintId}` : ''}"`;
}

/** The error summary at the top of a form that came back with problems; each links to its field. */
export function errorSummary(errors: Record<string, string | undefined>): SafeHtml | string {
  const entries = Object.entries(errors).filter((e): e is [string, string] => Boolean(e[1]));
  if (!entries.length) return '';
  return html`<div class="error-summary" role="alert" tabindex="-1">
  <h2>${t('form.checkForm')}</h2>
  <ul>${entries.map(([id, message]) => html`<li><a href="#${id}">${message}</a></li>`)}</ul>
</div>`;
}

/** "Error: " before the title of a page that came back with problems (WCAG 3.3.1). */
export function errorTitle(title: string, errors: Record<string, string | undefined>): string {
  return Object.values(errors).some(Boolean) ? t('form.errorTitle', { title }) : title;
}
