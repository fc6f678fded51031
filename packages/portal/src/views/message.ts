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
  <button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Sign Out</button>
  <button type="submit" form="op.logoutForm" class="secondary">Stay signed in</button>
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
  <button type="submit" form="op.logoutForm" value="yes" name="logout" data-auto-submit>Continue</button>
  <script src="/static/auto-submit.js" defer></script>
</section>`,
  });
}
