import { currentPageContext, intlLocale, pageDateTime, plainSpaces } from '@portal/common';

/**
 * Dates and times as the page's reader writes them (issue 13: "Dec 4, 2026" in English, "4 dic
 * 2026" in Spanish). Stored values stay ISO dates and epoch milliseconds; only the screen changes.
 * Times are the programme's (Texas, Central time); a date alone is a calendar day, in no zone.
 */
const programmeTimeZone = 'America/Chicago';

/** A moment (epoch ms): date and time in Central time. */
export function formatDateTime(at: number): string {
  return pageDateTime(at, programmeTimeZone);
}

/** A calendar day (`YYYY-MM-DD`); anything else is shown as it is. */
export function formatDate(isoDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) return isoDate;
  return plainSpaces(new Intl.DateTimeFormat(intlLocale[currentPageContext().locale], { timeZone: 'UTC', dateStyle: 'medium' }).format(new Date(`${isoDate}T00:00:00Z`)));
}
