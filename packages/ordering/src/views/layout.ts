import { coordinatorLabel, html, type OrgAccess, type SafeHtml } from '@portal/rp-kit';

export interface WorkspacePage {
  title: string;
  /** The menu entry this page belongs to, marked aria-current. */
  current?: string;
  body: SafeHtml;
}

const menu = [
  { href: '/', label: 'Home' },
  { href: '/catalogue', label: 'Catalogue' },
  { href: '/orders/new', label: 'New order' },
  { href: '/orders', label: 'Orders' },
  { href: '/inventory', label: 'Inventory' },
  { href: '/waste/new', label: 'Report wasted doses' },
] as const;

/** VAOS's frame: the menu, the organization worked for, then the page. */
export function workspace(who: { org: OrgAccess; stateStaff: boolean; several: boolean }, page: WorkspacePage): SafeHtml {
  const items = [...menu, ...(who.stateStaff ? [{ href: '/approvals', label: 'Approvals (DSHS)' }] : [])];
  return html`<div class="vaos">
<nav class="vaos-menu" aria-label="VAOS">
  <ul>${items.map((i) => html`<li><a href="${i.href}"${i.href === page.current ? html` aria-current="page"` : ''}>${i.label}</a></li>`)}</ul>
  <p class="working-for">Working for ${who.org.name} (${who.org.code}) as ${coordinatorLabel(who.org.coordinator) ?? 'Vaccine Coordinator'}${who.several ? html` · <a href="/choose">Change organization</a>` : ''}</p>
</nav>
<div class="vaos-content">
${page.body}
</div>
</div>`;
}

/** A field's error message, tied to it for screen readers. */
export function fieldError(id: string, message: string | undefined): SafeHtml | string {
  return message ? html`<p class="field-error" id="${id}-error">${message}</p>` : '';
}

/** The attributes of a field in error: aria-invalid and the message it is described by. */
export function invalidAttrs(id: string, message: string | undefined, hintId?: string): SafeHtml | string {
  if (!message) return hintId ? html` aria-describedby="${hintId}"` : '';
  return html` aria-invalid="true" aria-describedby="${id}-error${hintId ? ` ${hintId}` : ''}"`;
}

/** The error summary at the top of a form that came back with problems; each links to its field. */
export function errorSummary(errors: Record<string, string | undefined>): SafeHtml | string {
  const entries = Object.entries(errors).filter((e): e is [string, string] => Boolean(e[1]));
  if (!entries.length) return '';
  return html`<div class="error-summary" role="alert" tabindex="-1">
  <h2>Please check the form</h2>
  <ul>${entries.map(([id, message]) => html`<li><a href="#${id}">${message}</a></li>`)}</ul>
</div>`;
}

/** "Error: " before the title of a page that came back with problems (WCAG 3.3.1). */
export function titleOf(title: string, errors: Record<string, string | undefined>): string {
  return Object.values(errors).some(Boolean) ? `Error: ${title}` : title;
}
