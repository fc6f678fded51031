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
