import { coordinatorLabel, html, type OrgAccess, type SafeHtml } from '@portal/rp-kit';
import { t } from '../locales.js';

export interface WorkspacePage {
  title: string;
  /** The menu entry this page belongs to, marked aria-current. */
  current?: string;
  body: SafeHtml;
}

const menu = [
  { href: '/', label: 'menu.home' },
  { href: '/catalogue', label: 'menu.catalogue' },
  { href: '/orders/new', label: 'menu.newOrder' },
  { href: '/orders', label: 'menu.orders' },
  { href: '/inventory', label: 'menu.inventory' },
  { href: '/waste/new', label: 'menu.waste' },
] as const;

/** VAOS's frame: the menu, the organization worked for, then the page. */
export function workspace(who: { org: OrgAccess; stateStaff: boolean; several: boolean }, page: WorkspacePage): SafeHtml {
  const items = [...menu, ...(who.stateStaff ? [{ href: '/approvals', label: 'menu.approvals' }] : [])];
  return html`<div class="vaos">
<nav class="vaos-menu" aria-label="VAOS">
  <ul>${items.map((i) => html`<li><a href="${i.href}"${i.href === page.current ? html` aria-current="page"` : ''}>${t(i.label)}</a></li>`)}</ul>
  <p class="working-for">${t('menu.workingFor', { org: who.org.name, code: who.org.code, role: coordinatorLabel(who.org.coordinator) ?? t('vaccineCoordinator') })}${who.several ? html` · <a href="/choose">${t('menu.changeOrg')}</a>` : ''}</p>
</nav>
<div class="vaos-content">
${page.body}
</div>
</div>`;
}

// The form pieces every app draws alike live in rp-kit (form-fields.ts).
export { fieldError, invalidAttrs, errorSummary } from '@portal/rp-kit';
export { errorTitle as titleOf } from '@portal/rp-kit';
