import { currentPageContext, html, intlLocale } from '@portal/common';
import { t } from '../locales/two-step.js';
import { supportSentence } from '../libraries/errors.js';
import { layout, type SignedInHeader } from './layout.js';
import { captchaFields, captchaRenewForm, type CaptchaView } from './captcha-fields.js';
import { errorSummary, errorTitle, type FormProblems } from './form-problems.js';
import type { FactorStatus } from '../libraries/factors/index.js';
import { passkeyAuthenticateForm, passkeyRegisterForm, passkeyScripts } from './passkeys.js';
import { passkeyNameMaxLength } from '../flows/second-factor/passkey-enrolment.js';

interface FormBase {
  action: string;
  csrfToken: string;
  /** The flow record the form belongs to (sign-in steps); absent on My Profile's own forms. */
  flowId?: string | undefined;
  supportContact: string;
  problems?: FormProblems;
  /** On My Profile's pages: who is signed in, for the header. */
  signedInAs?: SignedInHeader | undefined;
}

const hidden = (v: FormBase) => html`<input type="hidden" name="csrf" value="${v.csrfToken}">${v.flowId ? html`<input type="hidden" name="flow" value="${v.flowId}">` : ''}`;

const codeField = (label: string, hint: string) => html`<label class="usa-label" for="code">${label}</label>
    <p class="hint" id="code-hint">${hint}</p>
    <input class="usa-input" id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" maxlength="20" required aria-describedby="code-hint" autofocus>`;

/**
 * The second step of a sign-in, after the password: a code from the app (or a recovery code), and
 * "Use a Passkey" for someone with one — shown by static/passkeys.js where the browser can.
 */
export function secondFactorStepPage(
  v: FormBase & { captcha?: CaptchaView | undefined; methods: { code: boolean; passkey: boolean }; passkeyOptionsUrl: string },
): string {
  const passkey = v.methods.passkey
    ? passkeyAuthenticateForm({ action: v.action, optionsUrl: v.passkeyOptionsUrl, csrfToken: v.csrfToken, flowId: v.flowId, label: t('twoStep.usePasskey'), hint: v.methods.code ? undefined : t('twoStep.passkeyHint') })
    : '';
  return layout({
    title: errorTitle(t('twoStep.title'), v.problems),
    supportContact: v.supportContact,
    signedInAs: v.signedInAs,
    scripts: v.methods.passkey ? passkeyScripts : undefined,
    body: html`<section class="card" aria-labelledby="step-title">
  <h1 id="step-title">${t('twoStep.title')}</h1>
  ${v.methods.code ? html`<p>${t('twoStep.openApp')}</p>` : ''}
  ${errorSummary(v.problems)}
  ${v.methods.code
    ? html`<form method="post" action="${v.action}" novalidate>
    ${hidden(v)}
    ${codeField(t('twoStep.code'), t('twoStep.codeHint'))}
    ${captchaFields(v.captcha, v.problems)}
    <button class="usa-button" type="submit">${t('twoStep.verify')}</button>
  </form>
  ${captchaRenewForm(v.captcha)}
  ${v.methods.passkey ? html`<p class="or" data-passkey-or hidden>${t('signIn.or')}</p>` : ''}`
    : ''}
  ${passkey}
  ${v.methods.passkey && !v.methods.code ? html`<p class="error" data-passkey-unsupported>${t('twoStep.noPasskeys')} ${supportSentence(v.supportContact)}</p>` : ''}
</section>`,
  });
}

/** Adding an authenticator app: the QR code, the key as text, and the first code to prove it worked. */
export function enrolTotpPage(v: FormBase & { secret: string; qrSvg: string; required: boolean; cancelUrl?: string | undefined }): string {
  const qr = `data:image/svg+xml;base64,${Buffer.from(v.qrSvg).toString('base64')}`;
  const grouped = v.secret.replace(/(.{4})/g, '$1 ').trim();
  return layout({
    title: t('twoStep.setUpTitle'),
    supportContact: v.supportContact,
    signedInAs: v.signedInAs,
    body: html`<section class="card wide" aria-labelledby="step-title">
  <h1 id="step-title">${t('twoStep.setUpTitle')}</h1>
  ${v.required ? html`<p class="notice" role="status">${t('twoStep.required')}</p>` : ''}
  <ol class="steps">
    <li>${t('twoStep.install')}</li>
    <li>${t('twoStep.scan')}
      <p><img class="qr" src="${qr}" alt="${t('twoStep.qrAlt')}" width="200" height="200"></p>
      <p>${t('twoStep.byHand')}</p>
      <p><code class="key" aria-label="${t('twoStep.key')}">${grouped}</code></p>
    </li>
    <li>${t('twoStep.enterCode')}</li>
  </ol>
  ${errorSummary(v.problems)}
  <form method="post" action="${v.action}" novalidate>
    ${hidden(v)}
    ${codeField(t('twoStep.codeFromApp'), t('twoStep.codeFromAppHint'))}
    <button class="usa-button" type="submit">${t('twoStep.turnOn')}</button>
  </form>
  ${v.cancelUrl ? html`<p class="aside"><a href="${v.cancelUrl}">${t('twoStep.cancel')}</a></p>` : ''}
</section>`,
  });
}

/** The ten recovery codes, shown once, right after they are made. */
export function recoveryCodesPage(v: FormBase & { codes: string[] | undefined; continueLabel: string; method?: 'post' | 'get' }): string {
  return layout({
    title: t('twoStep.codesTitle'),
    supportContact: v.supportContact,
    signedInAs: v.signedInAs,
    body: html`<section class="card" aria-labelledby="step-title">
  <h1 id="step-title">${t('twoStep.codesTitle')}</h1>
  ${v.codes
    ? html`<p class="success" role="status">${t('twoStep.isOn')}</p>
  <p>${t('twoStep.codesExplained')} <strong>${t('twoStep.shownOnce')}</strong>.</p>
  <ul class="recovery-codes">${v.codes.map((c) => html`<li><code>${c}</code></li>`)}</ul>`
    : html`<p>${t('twoStep.codesGone')}</p>`}
  <form method="${v.method ?? 'post'}" action="${v.action}">
    ${v.method === 'get' ? '' : hidden(v)}
    <button class="usa-button" type="submit">${v.continueLabel}</button>
  </form>
</section>`,
  });
}

export interface TwoStepStatusView extends FormBase {
  status: FactorStatus;
  /** Staff must keep a second factor: they may replace the app or a passkey, not remove their last one. */
  mustKeep: boolean;
  /** False where browsers refuse WebAuthn (PORTAL_URL names an IP address): no "Add a Passkey". */
  passkeysAvailable: boolean;
  timeZone: string;
  saved?: string | undefined;
}

/** My Profile → Two-Step Verification: what is set up (never a key), and what can be done. */
export function twoStepStatusPage(v: TwoStepStatusView): string {
  const locale = currentPageContext().locale;
  const when = (ms: number) => new Date(ms).toLocaleDateString(intlLocale[locale], { timeZone: v.timeZone, year: 'numeric', month: 'long', day: 'numeric' });
  const app = v.status.totp;
  const keys = v.status.passkeys;
  // The last way to do two-step verification is not removable for staff (signInSteps.mustUseSecondFactor).
  const appRemovable = !v.mustKeep || keys.length > 0;
  const passkeyRemovable = !v.mustKeep || app !== null || keys.length > 1;
  const csrfField = html`<input type="hidden" name="csrf" value="${v.csrfToken}">`;
  const isOn = (rest: string) => html`<p>${t('manage.is')} <strong>${t('manage.on')}</strong>${rest}</p>`;
  const summary = app && keys.length
    ? isOn(t('manage.bothOn'))
    : app
      ? isOn(t('manage.appOn', { date: when(app.since) }))
      : keys.length
        ? isOn(t('manage.passkeysOn'))
        : html`<p>${t('manage.is')} <strong>${t('manage.off')}</strong>${t('manage.offWhy')}</p>`;
  return layout({
    title: t('manage.title'),
    supportContact: v.supportContact,
    signedInAs: v.signedInAs,
    scripts: v.passkeysAvailable ? passkeyScripts : undefined,
    body: html`<section class="card wide" aria-labelledby="two-step-title">
  <h1 id="two-step-title">${t('manage.title')}</h1>
  ${v.saved ? html`<p class="success" role="status">${v.saved}</p>` : ''}
  ${errorSummary(v.problems)}
  ${summary}
  <h2>${t('manage.app')}</h2>
  ${app
    ? html`<p>${t('manage.setUpOn', { date: when(app.since) })} ${t('manage.codesLeft')} <strong>${v.status.recoveryCodesLeft}</strong> ${t('manage.ofTotal', { total: 10 })}</p>
  <h3>${t('manage.newPhone')}</h3>
  <form method="post" action="/profile/two-step/setup">
    ${csrfField}
    <p>${t('manage.newPhoneWhat')}</p>
    <button class="usa-button" type="submit">${t('manage.setUpNew')}</button>
  </form>
  <h3>${t('manage.newCodes')}</h3>
  <form method="post" action="/profile/two-step/recovery-codes" novalidate>
    ${csrfField}
    <label class="usa-label" for="rc-password">${t('manage.yourPassword')}</label>
    <input class="usa-input" id="rc-password" name="current_password" type="password" autocomplete="current-password" maxlength="256" required>
    <button class="usa-button" type="submit">${t('manage.makeCodes')}</button>
  </form>
  ${appRemovable
    ? html`<h3>${keys.length ? t('manage.removeApp') : t('manage.turnOff')}</h3>
  <form method="post" action="/profile/two-step/remove" novalidate>
    ${csrfField}
    <label class="usa-label" for="off-password">${t('manage.yourPassword')}</label>
    <input class="usa-input" id="off-password" name="current_password" type="password" autocomplete="current-password" maxlength="256" required>
    <label class="usa-label" for="off-code">${t('manage.codeOrRecovery')}</label>
    <input class="usa-input" id="off-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="20" required>
    ${keys.length ? html`<p class="hint">${t('manage.passkeysStay')}</p>` : ''}
    <button class="usa-button usa-button--outline" type="submit">${keys.length ? t('manage.removeAppButton') : t('manage.turnOffButton')}</button>
  </form>`
    : html`<p class="hint">${t('manage.staffKeep')}</p>`}`
    : html`<p>${keys.length ? t('manage.alsoApp') : t('manage.appWhat')}</p>
  <form method="post" action="/profile/two-step/setup">
    ${csrfField}
    <button class="usa-button" type="submit">${t('manage.setUpApp')}</button>
  </form>`}
  <h2>${t('manage.passkeys')}</h2>
  <p>${t('manage.passkeysWhat')}</p>
  ${keys.length
    ? html`<table class="usa-table usa-table--stacked passkeys">
    <thead><tr><th scope="col">${t('manage.name')}</th><th scope="col">${t('manage.added')}</th><th scope="col">${t('manage.lastUsed')}</th></tr></thead>
    <tbody>${keys.map((k) => html`<tr><td>${k.name}${k.synced ? html` <span class="hint">${t('manage.synced')}</span>` : ''}</td><td>${when(k.createdAt)}</td><td>${k.lastUsedAt === null ? t('manage.never') : when(k.lastUsedAt)}</td></tr>`)}</tbody>
  </table>`
    : html`<p>${t('manage.noPasskeys')}</p>`}
  ${v.passkeysAvailable
    ? html`${passkeyRegisterForm({ action: '/profile/two-step/passkeys', optionsUrl: '/profile/two-step/passkeys/options', csrfToken: v.csrfToken, nameMaxLength: passkeyNameMaxLength })}
  <p class="hint" data-passkey-unsupported>${t('manage.needsBrowser')}</p>`
    : html`<p class="hint">${t('manage.notHere')} ${supportSentence(v.supportContact)}</p>`}
  ${keys.length
    ? passkeyRemovable
      ? html`<h3>${t('manage.removePasskey')}</h3>
  <form method="post" action="/profile/two-step/passkeys/remove" novalidate>
    ${csrfField}
    <label class="usa-label" for="remove-passkey">${t('manage.passkeyToRemove')}</label>
    <select class="usa-select" id="remove-passkey" name="passkey" required>${keys.map((k) => html`<option value="${k.id}">${k.name}</option>`)}</select>
    <label class="usa-label" for="remove-passkey-password">${t('manage.yourPassword')}</label>
    <input class="usa-input" id="remove-passkey-password" name="current_password" type="password" autocomplete="current-password" maxlength="256" required>
    <p class="hint">${t('manage.removedHint')}</p>
    <button class="usa-button usa-button--outline" type="submit">${t('manage.removePasskeyButton')}</button>
  </form>`
      : html`<p class="hint">${t('manage.onlyPasskey')}</p>`
    : ''}
  <p class="aside"><a href="/profile">${t('manage.back')}</a></p>
</section>`,
  });
}
