import { currentPageContext, intlLocale, type Locale } from '@portal/common';

// ICU may put a narrow no-break space before "PM"; plain text reads (and searches) best with a plain one.
const plainSpaces = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

/** "3:45 PM CST" (English), "3:45 p. m. CST" (Spanish): the time of a mail's expiry or change. */
export const timeIn = (at: Date, timeZone: string, locale: Locale = 'en') =>
  plainSpaces(new Intl.DateTimeFormat(intlLocale[locale], { timeZone, hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(at));

/** "Tuesday, November 24, 2026" (English), "martes, 24 de noviembre de 2026" (Spanish). */
export const dateIn = (at: Date, timeZone: string, locale: Locale = 'en') =>
  plainSpaces(new Intl.DateTimeFormat(intlLocale[locale], { timeZone, weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }).format(at));

/**
 * A moment on a page, in the page's language (the request's page context) and the programme's
 * time zone: "Dec 4, 2026, 9:05 AM" — with seconds where order matters (the audit log).
 */
export function pageDateTime(at: number | string | Date, timeZone: string, withSeconds = false): string {
  const { locale } = currentPageContext();
  return plainSpaces(new Intl.DateTimeFormat(intlLocale[locale], { timeZone, dateStyle: 'medium', timeStyle: withSeconds ? 'medium' : 'short' }).format(new Date(at)));
}
