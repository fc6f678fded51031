import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { html, type SafeHtml } from './html.js';

/**
 * The agency identity every page shows (issue 13): the official-site banner, the header, the footer
 * with Accessibility, Privacy and Customer Support. The portal and every app read the same settings
 * (`readAgency`) and draw the same chrome from here, so a person sees one state service.
 */
export interface Agency {
  /** The agency people know the service by: "Texas Health and Human Services". */
  readonly name: string;
  /** The department that runs the programme: "Texas Department of State Health Services". */
  readonly department: string;
  /** The agency's public site (the footer's link). */
  readonly url: string;
  /** The state, as the official-site banner names it ("An official website of the State of Texas"). */
  readonly state: string;
  /** The state's official domain, which the banner teaches people to look for. */
  readonly officialDomain: string;
  /** Customer Support's phone as people dial it, a note such as "option 2" after a comma. */
  readonly supportPhone: string;
  readonly supportEmail: string;
  readonly accessibilityUrl: string;
  readonly privacyUrl: string;
}

/** The embedded defaults: the Texas programme the seeds describe. */
export const defaultAgency: Agency = Object.freeze({
  name: 'Texas Health and Human Services',
  department: 'Texas Department of State Health Services',
  url: 'https://www.dshs.texas.gov',
  state: 'Texas',
  officialDomain: 'texas.gov',
  supportPhone: '800-348-9158, option 2',
  supportEmail: 'ImmTrac2@dshs.texas.gov',
  accessibilityUrl: 'https://www.dshs.texas.gov/policies-dshs-website/accessibility-policy',
  privacyUrl: 'https://www.dshs.texas.gov/policies-dshs-website/privacy-security-policy',
});

/** The settings behind `Agency` (listed in .env.example), each with its default. */
export const agencySettings = {
  AGENCY_NAME: 'name',
  AGENCY_DEPARTMENT: 'department',
  AGENCY_URL: 'url',
  AGENCY_STATE: 'state',
  AGENCY_OFFICIAL_DOMAIN: 'officialDomain',
  SUPPORT_PHONE: 'supportPhone',
  SUPPORT_EMAIL: 'supportEmail',
  ACCESSIBILITY_URL: 'accessibilityUrl',
  PRIVACY_URL: 'privacyUrl',
} as const satisfies Record<string, keyof Agency>;

/**
 * Reads the agency settings once at start; `problems` names each bad one (the caller refuses to
 * start with them, as it does for its other settings).
 */
export function readAgency(env: Record<string, string | undefined>): { agency: Agency; problems: string[] } {
  const problems: string[] = [];
  const agency: Record<string, string> = { ...defaultAgency };
  for (const [name, key] of Object.entries(agencySettings)) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    if (/URL$/.test(name) && !/^https?:\/\/[^\s]+$/.test(raw)) problems.push(`${name}: must be an http(s) URL`);
    else if (name === 'SUPPORT_EMAIL' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw)) problems.push(`${name}: must be an email address`);
    else if (name === 'SUPPORT_PHONE' && telHref(raw) === undefined) problems.push(`${name}: must start with a phone number (digits, spaces, dashes)`);
    agency[key] = raw;
  }
  return { agency: Object.freeze(agency as unknown as Agency), problems };
}

/** `tel:+18003489158` from "800-348-9158, option 2" (a US number without its country code gets +1). */
export function telHref(phone: string): string | undefined {
  const number = phone.split(',')[0]!.trim();
  if (!/^\+?[\d\s().-]{7,}$/.test(number)) return undefined;
  const digits = number.replace(/\D/g, '');
  return `tel:+${number.startsWith('+') || digits.length !== 10 ? digits : `1${digits}`}`;
}

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
  return html`<a class="usa-skipnav" href="#main">Skip to main content</a>
<section class="usa-banner" aria-label="Official website of the State of ${agency.state}">
  <div class="usa-accordion">
    <header class="usa-banner__header">
      <div class="usa-banner__inner">
        <div class="grid-col-auto"><img aria-hidden="true" class="usa-banner__header-flag" src="/static/common/state-flag.svg" alt=""></div>
        <div class="grid-col-fill tablet:grid-col-auto" aria-hidden="true">
          <p class="usa-banner__header-text">An official website of the State of ${agency.state}</p>
          <p class="usa-banner__header-action">Here’s how you know</p>
        </div>
        <button type="button" class="usa-accordion__button usa-banner__button" aria-expanded="false" aria-controls="official-banner"><span class="usa-banner__button-text">Here’s how you know</span></button>
      </div>
    </header>
    <div class="usa-banner__content usa-accordion__content" id="official-banner" hidden>
      <div class="grid-row grid-gap-lg">
        <div class="usa-banner__guidance tablet:grid-col-6">
          <img class="usa-banner__icon usa-media-block__img" src="/static/uswds/img/icon-dot-gov.svg" alt="" aria-hidden="true">
          <div class="usa-media-block__body"><p><strong>Official websites use ${agency.officialDomain}</strong><br>A <strong>${agency.officialDomain}</strong> website belongs to an official government organization in ${agency.state}.</p></div>
        </div>
        <div class="usa-banner__guidance tablet:grid-col-6">
          <img class="usa-banner__icon usa-media-block__img" src="/static/uswds/img/icon-https.svg" alt="" aria-hidden="true">
          <div class="usa-media-block__body"><p><strong>Secure ${agency.officialDomain} websites use HTTPS</strong><br>A <strong>lock</strong> or <strong>https://</strong> means you’ve safely connected to the ${agency.officialDomain} website. Share sensitive information only on official, secure websites.</p></div>
        </div>
      </div>
    </div>
  </div>
</section>`;
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
    ${nav ? html`<nav class="agency-header__nav" aria-label="Account">${nav}</nav>` : ''}
  </div>
</header>`;
}

/** The footer: the agency, Accessibility and Privacy, and Customer Support's phone and email as links. */
export function chromeFooter(agency: Agency, extraLinks: readonly { href: string; label: string }[] = []): SafeHtml {
  const tel = telHref(agency.supportPhone);
  return html`<footer class="usa-footer usa-footer--slim agency-footer">
  <div class="agency-footer__inner">
    <nav aria-label="Site policies and help">
      <ul class="agency-footer__links">
        ${extraLinks.map((l) => html`<li><a href="${l.href}">${l.label}</a></li>`)}
        <li><a href="${agency.accessibilityUrl}">Accessibility</a></li>
        <li><a href="${agency.privacyUrl}">Privacy and security</a></li>
      </ul>
    </nav>
    <p class="agency-footer__support">Customer Support: ${tel ? html`<a href="${tel}">${agency.supportPhone}</a>` : agency.supportPhone} · <a href="mailto:${agency.supportEmail}">${agency.supportEmail}</a></p>
    <p class="agency-footer__agency"><a href="${agency.url}">${agency.department}</a>, ${agency.name}</p>
  </div>
</footer>`;
}
