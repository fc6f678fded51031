import { html, type SafeHtml } from './html.js';
import { coordinatorLabel, roleLabel, type OrgAccess } from './orgs.js';

export interface PageChrome {
  /** The app's name as people know it: ImmTrac2, Syntropi, VAOS. */
  appName: string;
  /** The portal home, for the "Enterprise Portal" link. */
  portalUrl: string;
}

export interface PageContent {
  title: string;
  body: SafeHtml;
  /** The signed-in person's name; absent on pages shown before sign-in or after it ended. */
  personName?: string | undefined;
}

/** The frame every app page shares. No inline script or style: the CSP forbids them. */
export function renderPage(chrome: PageChrome, page: PageContent): string {
  return `<!DOCTYPE html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · ${chrome.appName}</title>
<link rel="stylesheet" href="/rp-kit/app.css">
</head>
<body>
<header class="app-header">
  <span class="brand">${chrome.appName}</span>
  <nav aria-label="Account">
    ${page.personName ? html`<span class="person">${page.personName}</span>` : ''}
    <a class="portal-link" href="${chrome.portalUrl}">Enterprise Portal</a>
    ${page.personName ? html`<a href="/logout">Sign Out</a>` : ''}
  </nav>
</header>
<main id="main">
${page.body}
</main>
</body>
</html>`}`;
}

/** A page that only says something: errors and notices. */
export function messageBody(title: string, message: string, actions: SafeHtml | string = ''): SafeHtml {
  return html`<section class="card" aria-labelledby="msg-title">
  <h1 id="msg-title">${title}</h1>
  <p>${message}</p>
  ${actions}
</section>`;
}

/** The person's organizations and their role at each, as every app's home shows them. */
export function orgTable(orgs: readonly OrgAccess[]): SafeHtml {
  if (orgs.length === 0) return html`<p>Your account has no organization access. Ask your organization's supervisor or Customer Support.</p>`;
  return html`<table>
  <caption class="hint">Your organizations</caption>
  <thead><tr><th scope="col">Organization</th><th scope="col">TX IIS ID</th><th scope="col">Role</th><th scope="col">Vaccine coordinator</th></tr></thead>
  <tbody>
  ${orgs.map(
    (o) => html`<tr><td>${o.name} (${o.code})</td><td>${o.iis_id}</td><td>${roleLabel(o.role)}</td><td>${coordinatorLabel(o.coordinator) ?? '—'}</td></tr>`,
  )}
  </tbody>
</table>`;
}
