import { html, type SafeHtml } from '@portal/common';

/** @simplewebauthn/browser's bundle (served from the package by portal.ts), then ours. */
export const passkeyBrowserScript = '/static/vendor/simplewebauthn-browser.js';
export const passkeyScripts = [passkeyBrowserScript, '/static/passkeys.js'] as const;

/** The hidden fields static/passkeys.js fills in before it submits: the challenge's id and the browser's answer. */
const ceremonyFields = html`<input type="hidden" name="challenge" value="">
    <input type="hidden" name="webauthn" value="">`;

/**
 * "Sign In with a Passkey" (sign-in page) or "Use a Passkey" (second-factor step): hidden in the
 * HTML, shown by static/passkeys.js only where the browser can do WebAuthn.
 */
export function passkeyAuthenticateForm(v: { action: string; optionsUrl: string; csrfToken: string; flowId?: string | undefined; label: string; hint?: string | undefined }): SafeHtml {
  return html`<form method="post" action="${v.action}" class="passkey" data-passkey="authenticate" data-options-url="${v.optionsUrl}" hidden>
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
  return html`<form method="post" action="${v.action}" class="passkey" data-passkey="register" data-options-url="${v.optionsUrl}" hidden>
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    ${ceremonyFields}
    <h3>Add a passkey</h3>
    <label class="usa-label" for="passkey-name">Name for the new passkey</label>
    <p class="hint" id="passkey-name-hint">So you can tell your passkeys apart, for example "Work laptop" or "My phone".</p>
    <input class="usa-input" id="passkey-name" name="name" type="text" maxlength="${v.nameMaxLength}" required autocomplete="off" aria-describedby="passkey-name-hint">
    <button class="usa-button" type="submit">Add a Passkey</button>
    <p class="error" role="alert" data-passkey-error hidden></p>
  </form>`;
}
