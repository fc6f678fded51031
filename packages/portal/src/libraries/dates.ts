import { intlLocale, pageDateTime, plainSpaces, type Locale } from '@portal/common';

export { pageDateTime };

/** "3:45 PM CST" (English), "3:45 p. m. CST" (Spanish): the time of a mail's expiry or change. */
export const timeIn = (at: Date, timeZone: string, locale: Locale = 'en') =>
  plainSpaces(new Intl.DateTimeFormat(intlLocale[locale], { timeZone, hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(at));

/** "Tuesday, November 24, 2026" (English), "martes, 24 de noviembre de 2026" (Spanish). */
export const dateIn = (at: Date, timeZone: string, locale: Locale = 'en') =>
  plainSpaces(new Intl.DateTimeFormat(intlLocale[locale], { timeZone, weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }).format(at));

