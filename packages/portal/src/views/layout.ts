import { chromeFooter, chromeHead, chromeHeader, chromeText as t, chromeTop, countdownUnits, currentPageContext, html, idleSentence, type SafeHtml } from '@portal/common';

export interface SignedInHeader {
  name: string;
  /** CSRF token for the Sign Out form and "Stay signed in" (bound to the SSO session). */
  signOutToken: string;
  /** The idle warning: how long a session lasts unused, and how long before its end to warn. */
  timeout?: { idleSeconds: number; warningSeconds: number };
  /** Footer links (SPEC §3.8). */
  links?: { forms: string; userTraining: string };
  /** The password-expiry banner, from PASSWORD_EXPIRY_WARNING_DAYS before expiry. */
  banner?: string | undefined;
}

export interface LayoutOptions {
  title: string;
  body: SafeHtml;
  supportContact: string;
  /** The signed-in person: their name, My Profile and Sign Out in the header. */
  signedInAs?: SignedInHeader | undefined;
  /** Scripts of ours the page needs (under /static), run in order after parsing. */
  scripts?: readonly string[] | undefined;
}

// Shown by session-timeout.js; a modal alert dialog so screen readers announce it and focus moves to it.
const idleDialog = (warningSeconds: number) => html`<div id="idle-warning" class="idle-backdrop" hidden>
  <div role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-text" class="idle-dialog">
    <h2 id="idle-title">${t('idle.title')}</h2>
    <p id="idle-text">${idleSentence('idle.text', {}, warningSeconds)}</p>
    <button class="usa-button" type="button" id="idle-stay">${t('idle.stay')}</button>
    <form method="post" action="/logout"><input type="hidden" name="csrf" id="idle-signout-csrf" value=""><button type="submit" class="usa-button usa-button--outline">${t('idle.signOutNow')}</button></form>
  </div>
</div>`;

/**
 * The page frame every portal page shares: the agency chrome of @portal/common (skip link, official
 * banner, header, footer; the agency from the request's page context) around the page. No inline
 * script or style: the CSP forbids them.
 */
export function layout({ title, body, supportContact, signedInAs, scripts }: LayoutOptions): string {
  const { agency, locale } = currentPageContext();
  const nav = signedInAs
    ? html`<span class="who">${signedInAs.name}</span> <a href="/profile">${t('account.myProfile')}</a>
  <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="${signedInAs.signOutToken}"><button type="submit" class="link">${t('account.signOut')}</button></form>`
    : undefined;
  // Forms and User Training (SPEC §3.8) join the footer's links once signed in.
  const footerLinks = signedInAs?.links
    ? [{ href: signedInAs.links.forms, label: t('account.forms') }, { href: signedInAs.links.userTraining, label: t('account.userTraining') }]
    : [];
  return `<!DOCTYPE html>${html`<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Enterprise Portal · ${agency.name}</title>
${chromeHead()}
<link rel="stylesheet" href="/static/portal.css">
${signedInAs?.timeout
  ? html`<meta name="session-timeout" data-idle-seconds="${signedInAs.timeout.idleSeconds}" data-warning-seconds="${signedInAs.timeout.warningSeconds}" data-csrf="${signedInAs.signOutToken}"${countdownUnits()}>
<script src="/static/common/session-timeout.js" defer></script>`
  : ''}
${(scripts ?? []).map((src) => html`<script src="${src}" defer></script>
`)}</head>
<body>
${chromeTop(agency)}
${chromeHeader({ agency, product: 'Enterprise Portal', homeUrl: '/', nav })}
${signedInAs?.banner ? html`<div class="banner" role="status">${signedInAs.banner} <a href="/profile/password">${t('account.changePassword')}</a></div>` : ''}
<main id="main">
${body}
</main>
${chromeFooter(agency, footerLinks)}
${signedInAs?.timeout ? idleDialog(signedInAs.timeout.warningSeconds) : ''}
</body>
</html>`}`;
}
