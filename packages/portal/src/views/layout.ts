import { html, type SafeHtml } from '@portal/common';

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
const idleDialog = html`<div id="idle-warning" class="idle-backdrop" hidden>
  <div role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-text" class="idle-dialog">
    <h2 id="idle-title">Are you still there?</h2>
    <p id="idle-text">For your security, you will be signed out in <span id="idle-countdown">2 minutes</span> because you have been inactive.</p>
    <button type="button" id="idle-stay">Stay signed in</button>
    <form method="post" action="/logout"><input type="hidden" name="csrf" id="idle-signout-csrf" value=""><button type="submit" class="secondary">Sign Out now</button></form>
  </div>
</div>`;

/** The page frame every portal page shares. No inline script or style: the CSP forbids them. */
export function layout({ title, body, supportContact, signedInAs, scripts }: LayoutOptions): string {
  return `<!DOCTYPE html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · HHS Enterprise Portal</title>
<link rel="stylesheet" href="/static/portal.css">
${signedInAs?.timeout
  ? html`<meta name="session-timeout" data-idle-seconds="${signedInAs.timeout.idleSeconds}" data-warning-seconds="${signedInAs.timeout.warningSeconds}" data-csrf="${signedInAs.signOutToken}">
<script src="/static/common/session-timeout.js" defer></script>`
  : ''}
${(scripts ?? []).map((src) => html`<script src="${src}" defer></script>
`)}</head>
<body>
<header class="site-header"><a class="brand" href="/">HHS Enterprise Portal</a>${
  signedInAs
    ? html`<nav aria-label="Account"><span class="who">${signedInAs.name}</span> <a href="/profile">My Profile</a>
  <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="${signedInAs.signOutToken}"><button type="submit" class="link">Sign Out</button></form></nav>`
    : ''
}</header>
${signedInAs?.banner ? html`<div class="banner" role="status">${signedInAs.banner} <a href="/profile/password">Change Password</a></div>` : ''}
<main id="main">
${body}
</main>
<footer class="site-footer"><p>${supportContact}</p>${
  signedInAs?.links ? html`<p><a href="${signedInAs.links.forms}">Forms</a> · <a href="${signedInAs.links.userTraining}">User Training</a></p>` : ''
}</footer>
${signedInAs?.timeout ? idleDialog : ''}
</body>
</html>`}`;
}
