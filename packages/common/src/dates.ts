import { intlLocale } from './i18n.js';
import { currentPageContext } from './page-context.js';

// ICU may put a narrow no-break space before "PM"; plain text reads (and searches) best with a plain one.
export const plainSpaces = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

/**
 * A moment on a page, in the page's language (the request's page context) and `timeZone`:
 * "Dec 4, 2026, 9:05 AM" — with seconds where order matters (the audit log). The portal's and the
 * apps' screens share it.
 */
export function pageDateTime(at: number | string | Date, timeZone: string, withSeconds = false): string {
  const { locale } = currentPageContext();
  return plainSpaces(new Intl.DateTimeFormat(intlLocale[locale], { timeZone, dateStyle: 'medium', timeStyle: withSeconds ? 'medium' : 'short' }).format(new Date(at)));
}
