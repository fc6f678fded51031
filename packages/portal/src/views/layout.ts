import { html, type SafeHtml } from '../libraries/html.js';

export interface SignedInHeader {
  name: string;
  /** CSRF token for the Sign Out form (bound to the SSO session). */
  signOutToken: string;
}

export interface LayoutOptions {
  title: string;
  body: SafeHtml;
  supportContact: string;
  /** The signed-in person: their name, My Profile and Sign Out in the header. */
  signedInAs?: SignedInHeader | undefined;
}

/** The page frame every portal page shares. No inline script or style: the CSP forbids them. */
export function layout({ title, body, supportContact, signedInAs }: LayoutOptions): string {
  return `<!DOCTYPE html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · HHS Enterprise Portal</title>
<link rel="stylesheet" href="/static/portal.css">
</head>
<body>
<header class="site-header"><a class="brand" href="/">HHS Enterprise Portal</a>${
  signedInAs
    ? html`<nav aria-label="Account"><span class="who">${signedInAs.name}</span> <a href="/profile">My Profile</a>
  <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="${signedInAs.signOutToken}"><button type="submit" class="link">Sign Out</button></form></nav>`
    : ''
}</header>
<main id="main">
${body}
</main>
<footer class="site-footer"><p>${supportContact}</p></footer>
</body>
</html>`}`;
}
