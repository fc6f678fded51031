import { html, type SafeHtml } from '@portal/common';
import { t } from '../locales/two-step.js';

/** @simplewebauthn/browser's bundle (served from the package by portal.ts), then ours. */
export const passkeyBrowserScript = '/static/vendor/simplewebauthn-browser.js';
export const passkeyScripts = [passkeyBrowserScript, '/static/passkeys.js'] as const;

/** The hidden fields static/passkeys.js fills in before it submits: the challenge's id and the browser's answer. */
const ceremonyFields = html`<input type="hidden" name="challenge" value="">
    <input type="hidden" name="webauthn" value="">`;

/**
 * What static/passkeys.js may say when the browser's side fails, in the page's language: the script
 * is static (CSP), so the form carries its words.
 */
const scriptMessages = (registering: boolean) =>
  html`data-msg-cancelled="${t('passkeyForm.cancelled')}" data-msg-failed="${registering ? t('passkeyForm.notCreated') : t('passkeyForm.notUsed')}" data-msg-refused="${t('passkeyForm.refused')}"${registering ? html` data-msg-already="${t('passkeyForm.already')}"` : ''}`;

/**
 * "Sign In with a Passkey" (sign-in page) or "Use a Passkey" (second-factor step): hidden in the
 * HTML, shown by static/passkeys.js only where the browser can do WebAuthn.
 */
export function passkeyAuthenticateForm(v: { action: string; optionsUrl: string; csrfToken: string; flowId?: string | undefined; label: string; hint?: string | undefined }): SafeHtml {
  return html`<form method="post" action="${v.action}" class="passkey" data-passkey="authenticate" data-options-url="${v.optionsUrl}" ${scriptMessages(false)} hidden>
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    ${v.flowId ? html`<input type="hidden" name="flow" value="${v.flowId}">` : ''}
    ${ceremonyFields}
    ${v.hint ? html`<p class="hint">${v.hint}</p>` : ''}
    <button class="usa-button usa-button--outline" type="submit">${v.label}</button>
    <p class="error" role="alert" data-passkey-error hidden></p>
  </form>`;
}

/** "Add a Passkey" on My Profile: the name first, then the browser's own prompt. */
export function passkeyRegisterForm(v: { action: string; optionsUrl: string; csrfToken: string; nameMaxLength: number }): SafeHtml {
  return html`<form method="post" action="${v.action}" class="passkey" data-passkey="register" data-options-url="${v.optionsUrl}" ${scriptMessages(true)} hidden>
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    ${ceremonyFields}
    <h3>${t('passkeyForm.add')}</h3>
    <label class="usa-label" for="passkey-name">${t('passkeyForm.name')}</label>
    <p class="hint" id="passkey-name-hint">${t('passkeyForm.nameHint')}</p>
    <input class="usa-input" id="passkey-name" name="name" type="text" maxlength="${v.nameMaxLength}" required autocomplete="off" aria-describedby="passkey-name-hint">
    <button class="usa-button" type="submit">${t('passkeyForm.addButton')}</button>
    <p class="error" role="alert" data-passkey-error hidden></p>
  </form>`;
}
