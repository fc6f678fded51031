import { chromeText } from '@portal/common';
import { html, roleLabel, type SafeHtml } from '@portal/rp-kit';
import { can, type Actor, type Capability } from '../libraries/access.js';
import { programmeLinks } from '../libraries/links.js';

/** The menu panel (seed 000: "Menu Panel Options"): only what the person's role can open. */
const menu: readonly { section: string; items: readonly { href: string; label: string; needs: Capability }[] }[] = [
  {
    section: 'Clients',
    items: [
      { href: '/clients/search', label: 'Client search', needs: 'clients:search' },
      { href: '/clients/new', label: 'Add client', needs: 'clients:edit' },
    ],
  },
  {
    section: 'Reports',
    items: [
      { href: '/reports', label: 'Reports', needs: 'reports:provider' },
      { href: '/recall', label: 'Recall and reminder', needs: 'recall:run' },
    ],
  },
  {
    section: 'Schools',
    items: [
      { href: '/schools/lists', label: 'Manage lists', needs: 'schools:manage' },
      { href: '/schools/find-student', label: 'Find student', needs: 'schools:manage' },
      { href: '/schools/reports', label: 'Check school report', needs: 'schools:manage' },
    ],
  },
  {
    section: 'Organization',
    items: [
      { href: '/users', label: 'Manage users', needs: 'users:manage' },
      { href: '/organizations', label: 'Organizations', needs: 'orgs:area' },
    ],
  },
  { section: 'Admin support', items: [{ href: '/admin-support', label: 'Information tables', needs: 'clients:view' }] },
];

export interface WorkspacePage {
  title: string;
  /** The menu entry this page belongs to, marked aria-current. */
  current?: string;
  body: SafeHtml;
}

/** The application view (seed 000): menu bar on top, menu panel at the side, the page beside it. */
export function workspace(actor: Actor, page: WorkspacePage, portalUrl: string): SafeHtml {
  const profileUrl = new URL('/profile', portalUrl).href;
  return html`<div class="workspace">
<nav class="menu-bar" aria-label="ImmTrac2">
  <a class="usa-button" href="/home">ImmTrac2 home</a>
  <a class="usa-button usa-button--outline" href="${programmeLinks.forms}">${chromeText('account.forms')}</a>
  <a class="usa-button usa-button--outline" href="${programmeLinks.userTraining}">${chromeText('account.userTraining')}</a>
  <a class="usa-button usa-button--outline" href="/landing">Manage Access/Account</a>
  <a class="usa-button usa-button--outline" href="${profileUrl}">Manage My Account</a>
  <span class="working-for">${actor.org.name} (${actor.org.code}) · ${roleLabel(actor.org.role)}</span>
</nav>
<div class="workspace-body">
<nav class="menu-panel" aria-label="Functions">
  ${menu.map((section) => {
    const items = section.items.filter((i) => can(actor, i.needs));
    if (!items.length) return '';
    return html`<h2>${section.section}</h2><ul>${items.map((i) => html`<li><a href="${i.href}"${i.href === page.current ? html` aria-current="page"` : ''}>${i.label}</a></li>`)}</ul>`;
  })}
</nav>
<div class="workspace-content">
${page.body}
</div>
</div>
</div>`;
}

// The form pieces every app draws alike live in rp-kit (form-fields.ts).
export { fieldError, invalidAttrs, errorSummary } from '@portal/rp-kit';
