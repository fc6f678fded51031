import { chromeFooter, chromeHead, chromeHeader, chromeText as t, chromeTop, countdownUnits, currentPageContext, defaultAgency, html, idleSentence, translate, type Agency, type SafeHtml } from '@portal/common';
import { t as rp } from './locales.js';
import { coordinatorLabel, roleLabel, type OrgAccess } from './orgs.js';

export interface PageChrome {
  /** The app's name as people know it: ImmTrac2, Syntropi, VAOS. */
  appName: string;
  /** The portal home, for the "Enterprise Portal" link. */
  portalUrl: string;
  /** The app's own stylesheets (paths on the app), after rp-kit's. */
  stylesheets?: readonly string[] | undefined;
  /** The agency whose chrome the app wears (readAppSettings reads it); default the embedded Texas one. */
  agency?: Agency | undefined;
}

export interface SignedInChrome {
  /** The person's name, in the header. */
  name: string;
  /** Bound to the app session: Sign Out and "Stay signed in" carry it (CSRF). */
  csrfToken: string;
  /** The idle warning (SPEC §3.7): how long the session has left now, and how long before its end to warn. */
  timeout: { remainingSeconds: number; warningSeconds: number };
}

export interface PageContent {
  title: string;
  body: SafeHtml;
  /** Absent on pages shown before sign-in or after the session ended. */
  signedIn?: SignedInChrome | undefined;
}

/** "15 minutes", or "15 seconds" for the fractions of a minute a test may configure, in the page's language. */
export function describeMinutes(minutes: number): string {
  if (Number.isInteger(minutes)) return translate('apps', 'units.minute', { count: minutes });
  return translate('apps', 'units.second', { count: Math.round(minutes * 60) });
}

/** Sign Out is a POST with the session's CSRF token, so no other site can sign a person out (logout CSRF). */
function signOutForm(csrfToken: string, label: string, buttonClass: string): SafeHtml {
  return html`<form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="${csrfToken}"><button type="submit" class="${buttonClass}">${label}</button></form>`;
}

// Shown by session-timeout.js; a modal alert dialog, so screen readers announce it and focus moves to it.
function idleDialog(appName: string, signedIn: SignedInChrome): SafeHtml {
  return html`<div id="idle-warning" class="idle-backdrop" hidden>
  <div role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-text" class="idle-dialog">
    <h2 id="idle-title">${t('idle.title')}</h2>
    <p id="idle-text">${idleSentence('idle.textApp', { app: appName }, signedIn.timeout.warningSeconds)}</p>
    <button class="usa-button" type="button" id="idle-stay">${t('idle.stay')}</button>
    ${signOutForm(signedIn.csrfToken, t('idle.signOutNow'), 'usa-button usa-button--outline')}
  </div>
</div>`;
}

/**
 * The frame every app page shares: the same agency chrome as the portal's (@portal/common: skip
 * link, official banner, header, footer with Accessibility, Privacy and Customer Support), with the
 * app's name in the header and the way back to the Enterprise Portal. No inline script or style:
 * the CSP forbids them.
 */
export function renderPage(chrome: PageChrome, page: PageContent): string {
  const { signedIn } = page;
  const agency = chrome.agency ?? defaultAgency;
  const nav = html`${signedIn ? html`<span class="person">${signedIn.name}</span>` : ''}
    <a class="portal-link" href="${chrome.portalUrl}">${t('account.portal')}</a>
    ${signedIn ? signOutForm(signedIn.csrfToken, t('account.signOut'), 'link') : ''}`;
  return `<!DOCTYPE html>${html`<html lang="${currentPageContext().locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · ${chrome.appName} · ${agency.name}</title>
${chromeHead()}
<link rel="stylesheet" href="/static/rp-kit/app.css">
${(chrome.stylesheets ?? []).map((href) => html`<link rel="stylesheet" href="${href}">`)}
${signedIn
  ? html`<meta name="session-timeout" data-idle-seconds="${signedIn.timeout.remainingSeconds}" data-warning-seconds="${signedIn.timeout.warningSeconds}" data-csrf="${signedIn.csrfToken}"${countdownUnits()}>
<script src="/static/common/session-timeout.js" defer></script>`
  : ''}
</head>
<body>
${chromeTop(agency)}
${chromeHeader({ agency, product: chrome.appName, homeUrl: '/', nav })}
<main id="main">
${page.body}
</main>
${chromeFooter(agency)}
${signedIn ? idleDialog(chrome.appName, signedIn) : ''}
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
  if (orgs.length === 0) return html`<p>${rp('orgs.none')}</p>`;
  return html`<table class="usa-table usa-table--stacked">
  <caption class="hint">${rp('orgs.caption')}</caption>
  <thead><tr><th scope="col">${rp('orgs.organization')}</th><th scope="col">TX IIS ID</th><th scope="col">${rp('orgs.role')}</th><th scope="col">${rp('orgs.coordinator')}</th></tr></thead>
  <tbody>
  ${orgs.map(
    (o) => html`<tr><td>${o.name} (${o.code})</td><td>${o.iis_id}</td><td>${roleLabel(o.role)}</td><td>${coordinatorLabel(o.coordinator) ?? '—'}</td></tr>`,
  )}
  </tbody>
</table>`;
}
