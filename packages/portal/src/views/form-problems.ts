import { html, type SafeHtml } from '@portal/common';

/**
 * A problem a form came back with, and the fields it is about (their ids); a plain message, or no
 * fields, is a problem with the whole form (a stale page, a refused token). The portal's form of
 * what rp-kit's form-fields draw for the apps (WCAG 2.4.3, 3.3.1, 4.1.2).
 */
export type FormProblem = string | { message: string; fields: readonly string[] };
export type FormProblems = readonly FormProblem[] | undefined;

const messageId = (i: number) => `form-error-${i + 1}`;

function listed(problems: FormProblems) {
  return (problems ?? []).map((p, i) => ({ id: messageId(i), ...(typeof p === 'string' ? { message: p, fields: [] } : p) }));
}

/**
 * The error summary at the top of a form that came back with problems: announced (role=alert)
 * and given the focus as the page loads (autofocus on a tabindex=-1 box: no script, which the CSP
 * would have to allow), each message a link to its first field.
 */
export function errorSummary(problems: FormProblems): SafeHtml | '' {
  const items = listed(problems);
  if (!items.length) return '';
  return html`<div class="error" role="alert" id="form-errors" tabindex="-1" autofocus><ul>${items.map(
    (p) => html`<li id="${p.id}">${p.fields[0] ? html`<a href="#${p.fields[0]}">${p.message}</a>` : p.message}</li>`,
  )}</ul></div>`;
}

/**
 * A field's aria-invalid and aria-describedby: the messages about it first, then `describedBy`
 * (its hint or rules), so a screen reader says what is wrong before how it should be.
 */
export function fieldState(problems: FormProblems, field: string, describedBy?: string): SafeHtml | '' {
  const ids = listed(problems)
    .filter((p) => p.fields.includes(field))
    .map((p) => p.id);
  if (!ids.length) return describedBy ? html` aria-describedby="${describedBy}"` : '';
  return html` aria-invalid="true" aria-describedby="${[...ids, ...(describedBy ? [describedBy] : [])].join(' ')}"`;
}

/** "Error: " before the title of a page that came back with problems (WCAG 3.3.1). */
export function errorTitle(title: string, problems: FormProblems): string {
  return problems?.length ? `Error: ${title}` : title;
}
