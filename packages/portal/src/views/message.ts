import { html, SafeHtml } from '@portal/common';
import { layout } from './layout.js';

/** A page that only says something: errors, "You have signed out", placeholders. */
export function messagePage(v: { title: string; message: string; supportContact: string; extra?: SafeHtml }): string {
  return layout({
    title: v.title,
    supportContact: v.supportContact,
    body: html`<section class="card" aria-labelledby="msg-title">
  <h1 id="msg-title">${v.title}</h1>
  <p>${v.message}</p>
  ${v.extra ?? ''}
</section>`,
  });
}

/** oidc-provider's RP-initiated logout confirmation; `form` is the provider's own hidden form. */
export function logoutConfirmPage(v: { form: string; supportContact: string }): string {
  return layout({
    title: 'Sign Out',
    supportContact: v.supportContact,
    body: html`<section class="card" aria-labelledby="logout-title">
  <h1 id="logout-title">Sign out of the HHS Enterprise Portal?</h1>
  <p>This signs you out of the portal and of every application you opened with it.</p>
  ${new SafeHtml(v.form)}
  <button class="usa-button" autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Sign Out</button>
  <button class="usa-button usa-button--outline" type="submit" form="op.logoutForm">Stay signed in</button>
</section>`,
  });
}

/**
 * RP-initiated logout with the person's own ID token as hint: the app already asked (its Sign Out
 * is a CSRF-checked POST), so the portal does not ask again — `/static/auto-submit.js` presses
 * Continue (a script file: the CSP allows no inline script); without script, one press does it.
 */
export function signingOutPage(v: { form: string; appName: string | undefined; supportContact: string }): string {
  return layout({
    title: 'Signing you out',
    supportContact: v.supportContact,
    body: html`<section class="card" aria-labelledby="logout-title">
  <h1 id="logout-title">Signing you out</h1>
  <p>You chose Sign Out${v.appName ? html` in ${v.appName}` : ''}. This signs you out of the HHS Enterprise Portal and of every application you opened with it.</p>
  ${new SafeHtml(v.form)}
  <button class="usa-button" type="submit" form="op.logoutForm" value="yes" name="logout" data-auto-submit>Continue</button>
  <script src="/static/auto-submit.js" defer></script>
</section>`,
  });
}

/**
 * What a person reads when oidc-provider refuses a request (issue 13: plain words and a next step,
 * never developer text such as "redirect_uri did not match…"). The OAuth error and its description
 * go to the log under `reference`, which the page shows for Customer Support.
 */
export function oauthErrorPage(v: { error: string; reference: string; supportContact: string }): string {
  const misconfigured = ['invalid_client', 'unauthorized_client', 'invalid_redirect_uri', 'unsupported_response_type', 'unsupported_response_mode', 'invalid_scope', 'invalid_target', 'invalid_client_metadata', 'request_not_supported', 'request_uri_not_supported', 'registration_not_supported'];
  const [title, message] = misconfigured.includes(v.error)
    ? ['This application is not set up correctly', 'The application you came from asked the HHS Enterprise Portal for something it is not registered for, so you cannot sign in to it from there. Contact Customer Support and give them the reference below.']
    : v.error === 'access_denied'
      ? ['You cannot use this application', 'Your account does not give you access to the application you came from. If you think it should, contact Customer Support and give them the reference below.']
      : ['This sign-in could not be completed', 'The request from the application was incomplete or has expired. Go back to the application and start again. If this keeps happening, contact Customer Support and give them the reference below.'];
  return messagePage({
    title,
    message,
    supportContact: v.supportContact,
    extra: html`<p>Reference: <strong class="reference">${v.reference}</strong></p>
  <p><a class="usa-button" href="/">Go to the Enterprise Portal home</a></p>`,
  });
}
