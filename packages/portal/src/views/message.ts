import { html, SafeHtml } from '@portal/common';
import { t } from '../locales/portal.js';
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
    title: t('common.signOut'),
    supportContact: v.supportContact,
    body: html`<section class="card" aria-labelledby="logout-title">
  <h1 id="logout-title">${t('signOut.confirmTitle')}</h1>
  <p>${t('signOut.confirmText')}</p>
  ${new SafeHtml(v.form)}
  <button class="usa-button" autofocus type="submit" form="op.logoutForm" value="yes" name="logout">${t('common.signOut')}</button>
  <button class="usa-button usa-button--outline" type="submit" form="op.logoutForm">${t('common.staySignedIn')}</button>
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
    title: t('signOut.signingOutTitle'),
    supportContact: v.supportContact,
    body: html`<section class="card" aria-labelledby="logout-title">
  <h1 id="logout-title">${t('signOut.signingOutTitle')}</h1>
  <p>${v.appName ? t('signOut.signingOutFrom', { app: v.appName }) : t('signOut.signingOut')}</p>
  ${new SafeHtml(v.form)}
  <button class="usa-button" type="submit" form="op.logoutForm" value="yes" name="logout" data-auto-submit>${t('common.continue')}</button>
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
    ? [t('oauth.misconfiguredTitle'), t('oauth.misconfigured')]
    : v.error === 'access_denied'
      ? [t('oauth.deniedTitle'), t('oauth.denied')]
      : [t('oauth.failedTitle'), t('oauth.failed')];
  return messagePage({
    title,
    message,
    supportContact: v.supportContact,
    extra: html`<p>${t('common.reference')} <strong class="reference">${v.reference}</strong></p>
  <p><a class="usa-button" href="/">${t('common.home')}</a></p>`,
  });
}
