/** What an Official Immunization Record shows: one client, their doses, and who printed it when. */
export interface OfficialRecordInput {
  client: OfficialRecordClient;
  doses: OfficialRecordDose[];
  /** The forecast ("Vaccines Recommended"); the section is left out when absent or empty. */
  recommended?: OfficialRecordRecommendation[];
  issuedBy: { organization: string; person: string };
  issuedAt: Date;
  /** IANA zone for the printed issue date and time, e.g. 'America/Chicago'. */
  timeZone: string;
}

export interface OfficialRecordClient {
  registryId: string;
  firstName: string;
  middleName?: string | null;
  lastName: string;
  suffix?: string | null;
  /** YYYY-MM-DD */
  birthDate: string;
  sex?: string | null;
  address?: { line1: string; line2?: string | null; city: string; state: string; zip: string } | null;
}

export interface OfficialRecordDose {
  /** YYYY-MM-DD */
  date: string;
  vaccineGroup: string;
  /** e.g. "DTaP" */
  vaccine: string;
  cvx: string;
  tradeName?: string | null;
  manufacturer?: string | null;
  lot?: string | null;
  /** Reported from another record (true) or administered and recorded by the organization (false). */
  historical: boolean;
  /** The organization that recorded the dose. */
  recordedBy: string;
}

export interface OfficialRecordRecommendation {
  vaccineGroup: string;
  status: string;
  nextDose?: number;
  /** YYYY-MM-DD */
  earliest?: string;
  /** YYYY-MM-DD */
  recommended?: string;
  /** YYYY-MM-DD */
  pastDue?: string;
}
