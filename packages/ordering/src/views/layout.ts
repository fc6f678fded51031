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

// The form pieces every app draws alike live in rp-kit (form-fields.ts).
export { fieldError, invalidAttrs, errorSummary } from '@portal/rp-kit';
export { errorTitle as titleOf } from '@portal/rp-kit';
