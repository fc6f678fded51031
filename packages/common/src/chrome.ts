import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { telHref, type Agency } from './agency.js';
import { html, type SafeHtml } from './html.js';
import { addCatalogue, localeNames, translate } from './i18n.js';
import { chromeCatalogue } from './locales/chrome.js';
import { currentPageContext } from './page-context.js';

addCatalogue('chrome', chromeCatalogue);
/** The chrome's words in the current page's language. */
export const chromeText = (key: string, values?: Record<string, unknown>) => translate('chrome', key, values);

export { agencySettings, defaultAgency, readAgency, telHref, type Agency } from './agency.js';

const uswdsDist = join(dirname(createRequire(import.meta.url).resolve('@uswds/uswds')), '..');

/**
 * The U.S. Web Design System's files that pages use, served by the portal and every app at
 * `/static/uswds/<folder>` from the installed package (no CDN: the CSP allows only our origin).
 */
export const uswdsStaticDirs: Readonly<Record<'css' | 'fonts' | 'img', string>> = Object.freeze({
  css: join(uswdsDist, 'css'),
  fonts: join(uswdsDist, 'fonts'),
  img: join(uswdsDist, 'img'),
});

/** What every page's <head> links, before the page's own stylesheets and scripts. */
export function chromeHead(): SafeHtml {
  return html`<link rel="icon" href="/static/common/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/uswds/css/uswds.min.css">
<link rel="stylesheet" href="/static/common/chrome.css">
<script src="/static/common/chrome.js" defer></script>`;
}

/** The skip link (first thing a keyboard reaches) and the official-website banner, USWDS's, for a state. */
export function chromeTop(agency: Agency): SafeHtml {
  const t = chromeText;
  const v = { state: agency.state, domain: agency.officialDomain };
  return html`<a class="usa-skipnav" href="#main">${t('skip')}</a>
<section class="usa-banner" aria-label="${t('banner.label', v)}">
  <div class="usa-accordion">
    <header class="usa-banner__header">
      <div class="usa-banner__inner">
        <div class="grid-col-auto"><img aria-hidden="true" class="usa-banner__header-flag" src="/static/common/state-flag.svg" alt=""></div>
        <div class="grid-col-fill tablet:grid-col-auto" aria-hidden="true">
          <p class="usa-banner__header-text">${t('banner.official', v)}</p>
          <p class="usa-banner__header-action">${t('banner.howYouKnow')}</p>
        </div>
        <button type="button" class="usa-accordion__button usa-banner__button" aria-expanded="false" aria-controls="official-banner"><span class="usa-banner__button-text">${t('banner.howYouKnow')}</span></button>
      </div>
    </header>
    <div class="usa-banner__content usa-accordion__content" id="official-banner" hidden>
      <div class="grid-row grid-gap-lg">
        <div class="usa-banner__guidance tablet:grid-col-6">
          <img class="usa-banner__icon usa-media-block__img" src="/static/uswds/img/icon-dot-gov.svg" alt="" aria-hidden="true">
          <div class="usa-media-block__body"><p><strong>${t('banner.domainTitle', v)}</strong><br>${t('banner.domainText', v)}</p></div>
        </div>
        <div class="usa-banner__guidance tablet:grid-col-6">
          <img class="usa-banner__icon usa-media-block__img" src="/static/uswds/img/icon-https.svg" alt="" aria-hidden="true">
          <div class="usa-media-block__body"><p><strong>${t('banner.httpsTitle', v)}</strong><br>${t('banner.httpsText', v)}</p></div>
        </div>
      </div>
    </div>
  </div>
</section>`;
}

/**
 * The idle warning's sentence with its live countdown inside, wherever the language puts it
 * (session-timeout.js updates the span). The portal's and the apps' dialogs both draw it here.
 */
export function idleSentence(key: 'idle.text' | 'idle.textApp', values: Record<string, unknown>, warningSeconds: number): SafeHtml {
  const slot = '\u0001';
  const [before, after] = chromeText(key, { ...values, countdown: slot }).split(slot);
  return html`${before}<span id="idle-countdown">${countdownWords(warningSeconds)}</span>${after ?? ''}`;
}

/** "2 minutes", "1 minute", "45 seconds" in the page's language: the words session-timeout.js counts down with, the same rule. */
export function countdownWords(seconds: number): string {
  if (seconds >= 90) return chromeText('idle.minutes', { n: Math.round(seconds / 60) });
  if (seconds >= 60) return chromeText('idle.minute');
  if (seconds === 1) return chromeText('idle.second');
  return chromeText('idle.seconds', { n: seconds });
}

/** The idle countdown's words in the page's language, as attributes for session-timeout.js's meta. */
export function countdownUnits(): SafeHtml {
  // i18next would read {n} as its own placeholder: the script fills it in, so it is passed through.
  const unit = (key: string) => chromeText(`idle.${key}`, { n: '{n}' });
  return html` data-minutes="${unit('minutes')}" data-minute="${unit('minute')}" data-seconds="${unit('seconds')}" data-second="${unit('second')}"`;
}

/** The link to the same page in the other language, named in that language (and marked as it). */
export function languageSwitch(): SafeHtml | string {
  const { switchTo } = currentPageContext();
  if (!switchTo) return '';
  return html`<a class="language-switch" href="${switchTo.href}" lang="${switchTo.locale}" hreflang="${switchTo.locale}">${localeNames[switchTo.locale]}</a>`;
}

export interface HeaderOptions {
  agency: Agency;
  /** What this site is: "Enterprise Portal", "ImmTrac2". */
  product: string;
  /** Where the identity links: the site's home. */
  homeUrl: string;
  /** The account navigation (name, My Profile, Sign Out …), already drawn by the site. */
  nav?: SafeHtml | undefined;
}

/** The header: the agency's mark and name with the product beneath, and the account links. */
export function chromeHeader({ agency, product, homeUrl, nav }: HeaderOptions): SafeHtml {
  return html`<header class="agency-header">
  <div class="agency-header__inner">
    <a class="agency-identity" href="${homeUrl}">
      <img class="agency-identity__mark" src="/static/common/favicon.svg" alt="" width="44" height="44">
      <span class="agency-identity__text"><span class="agency-identity__agency">${agency.name}</span><span class="agency-identity__product">${product}</span></span>
    </a>
    <div class="agency-header__tools">
      ${nav ? html`<nav class="agency-header__nav" aria-label="${chromeText('header.account')}">${nav}</nav>` : ''}
      ${languageSwitch()}
    </div>
  </div>
</header>`;
}

/** The footer: the agency, Accessibility and Privacy, and Customer Support's phone and email as links. */
export function chromeFooter(agency: Agency, extraLinks: readonly { href: string; label: string }[] = []): SafeHtml {
  const tel = telHref(agency.supportPhone);
  return html`<footer class="usa-footer usa-footer--slim agency-footer">
  <div class="agency-footer__inner">
    <nav aria-label="${chromeText('footer.label')}">
      <ul class="agency-footer__links">
        ${extraLinks.map((l) => html`<li><a href="${l.href}">${l.label}</a></li>`)}
        <li><a href="${agency.accessibilityUrl}">${chromeText('footer.accessibility')}</a></li>
        <li><a href="${agency.privacyUrl}">${chromeText('footer.privacy')}</a></li>
      </ul>
    </nav>
    <p class="agency-footer__support">${chromeText('footer.support')} ${tel ? html`<a href="${tel}">${agency.supportPhone}</a>` : agency.supportPhone} · <a href="mailto:${agency.supportEmail}">${agency.supportEmail}</a></p>
    <p class="agency-footer__agency"><a href="${agency.url}">${agency.department}</a>, ${agency.name}</p>
  </div>
</footer>`;
}
