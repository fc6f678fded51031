import { fileURLToPath } from 'node:url';
/** What the provider and the relying parties must agree on, and nothing else. */
export { html, escapeHtml, SafeHtml } from './html.js';
export { demoClientSecrets } from './demo-secrets.js';
export { registryRoles, coordinatorKinds, roleLabel, coordinatorLabel, type RegistryRole, type Coordinator } from './roles.js';

/** Files both the portal and the apps serve at /static/common (the idle warning's script). */
export const commonStaticDir = fileURLToPath(new URL('./static', import.meta.url));
export { chromeFooter, countdownUnits, countdownWords, idleSentence, chromeHead, chromeHeader, chromeText, chromeTop, languageSwitch, defaultAgency, readAgency, agencySettings, telHref, uswdsStaticDirs, type Agency, type HeaderOptions } from './chrome.js';
export { currentPageContext, pageContextMiddleware, runWithPageContext, type PageContext, type PageContextOptions } from './page-context.js';
export { addCatalogue, catalogueKeys, hasKey, intlLocale, isLocale, localeNames, locales, negotiateLocale, translate, translateText, translator, catalogueStrings, untranslated, type Catalogue, type Locale } from './i18n.js';
export { pageDateTime, plainSpaces } from './dates.js';
