import { z } from 'zod';
import { isValidNpi } from './npi.js';

/** The three programmes of seed 004 a site enrolls in. */
export const programmes = {
  covid19: 'COVID-19 provider',
  tvfc: 'Texas Vaccines for Children',
  asn: 'Adult Safety Net',
} as const;
export type Programme = keyof typeof programmes;
export const programmeKeys = Object.keys(programmes) as [Programme, ...Programme[]];

/** Prescribing-provider rows on the form; the first is required. */
export const prescriberSlots = 3;

const required = (label: string, max: number) => z.string().trim().min(1, `Enter the ${label}.`).max(max, `The ${label} is longer than ${max} characters.`);
const personName = (label: string) =>
  required(label, 120).regex(/^[\p{L}][\p{L}\p{M}' .,-]*$/u, `The ${label} may contain only letters, spaces, hyphens, apostrophes, commas and periods.`);
const license = (label: string) => required(label, 30).regex(/^[A-Za-z0-9-]+$/, `The ${label} has only letters, digits and hyphens.`);
export const npi = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{10}$/, `The ${label} has exactly 10 digits.`)
    .refine(isValidNpi, `The ${label} is not a valid NPI: its last digit does not match (check for a typing mistake).`);
export const txIisId = z.string().trim().regex(/^\d{10}$/, 'A TX IIS ID has exactly 10 digits (keep the leading zeros).');
export const phone = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${label}.`)
    .transform((v) => v.replace(/[\s().-]/g, ''))
    .refine((v) => /^\+?1?\d{10}$/.test(v), `Enter the ${label} as a 10-digit US number, e.g. (512) 555-0100.`);
export const email = (label: string) => z.string().trim().min(1, `Enter the ${label}.`).max(254, `The ${label} is too long.`).email(`Enter the ${label} like name@example.org.`);

/** Everything the enrollment form holds; a draft stores it as typed (strings, possibly empty). */
export const enrollmentFields = [
  'siteName', 'line1', 'line2', 'city', 'state', 'zip', 'phone',
  'rmpName', 'rmpLicense', 'rmpNpi',
  ...Array.from({ length: prescriberSlots }, (_, i) => [`prescriber${i + 1}Name`, `prescriber${i + 1}License`, `prescriber${i + 1}Npi`]).flat(),
] as const;
export type EnrollmentDraft = Partial<Record<string, string>>;

/** A draft keeps what was typed, only bounded in size: it is validated in full on submit. */
export function draftOf(body: Record<string, string>): EnrollmentDraft {
  const draft: EnrollmentDraft = {};
  for (const field of enrollmentFields) {
    const value = body[field];
    if (typeof value === 'string' && value.trim()) draft[field] = value.trim().slice(0, 200);
  }
  return draft;
}

const prescriber = (n: number) => ({ name: personName(`name of prescribing provider ${n}`), license: license(`license number of prescribing provider ${n}`), npi: npi(`NPI of prescribing provider ${n}`) });

/** What a submitted enrollment must hold, with one message per field a person can act on. */
export function validateSubmission(draft: EnrollmentDraft): { ok: true; value: SubmittedEnrollment } | { ok: false; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  const value: Record<string, unknown> = {};
  const check = (field: string, schema: z.ZodType<unknown>) => {
    const parsed = schema.safeParse(draft[field] ?? '');
    if (parsed.success) value[field] = parsed.data;
    else fields[field] = parsed.error.issues[0]!.message;
  };
  check('siteName', required('site name', 200));
  check('line1', required('street address', 120));
  value.line2 = (draft.line2 ?? '').slice(0, 120) || null;
  check('city', required('city', 60));
  check('state', z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'Enter the two-letter state, e.g. TX.'));
  check('zip', z.string().trim().regex(/^\d{5}(-\d{4})?$/, 'Enter a 5-digit ZIP code (or ZIP+4, e.g. 78701-1234).'));
  check('phone', phone('site phone number'));
  check('rmpName', personName('name of the responsible medical provider'));
  check('rmpLicense', license('license number of the responsible medical provider'));
  check('rmpNpi', npi('NPI of the responsible medical provider'));
  const prescribers: { name: string; license: string; npi: string }[] = [];
  for (let n = 1; n <= prescriberSlots; n++) {
    const keys = { name: `prescriber${n}Name`, license: `prescriber${n}License`, npi: `prescriber${n}Npi` };
    // Row 1 is required; a later row counts once any of its fields is filled in.
    if (n > 1 && !draft[keys.name] && !draft[keys.license] && !draft[keys.npi]) continue;
    const schemas = prescriber(n);
    const before = Object.keys(fields).length;
    check(keys.name, schemas.name);
    check(keys.license, schemas.license);
    check(keys.npi, schemas.npi);
    if (Object.keys(fields).length === before) prescribers.push({ name: value[keys.name] as string, license: value[keys.license] as string, npi: value[keys.npi] as string });
  }
  if (Object.keys(fields).length) return { ok: false, fields };
  return {
    ok: true,
    value: {
      siteName: value.siteName as string,
      address: { line1: value.line1 as string, line2: value.line2 as string | null, city: value.city as string, state: value.state as string, zip: value.zip as string },
      phone: value.phone as string,
      responsibleProvider: { name: value.rmpName as string, license: value.rmpLicense as string, npi: value.rmpNpi as string },
      prescribers,
    },
  };
}

export interface SubmittedEnrollment {
  siteName: string;
  address: { line1: string; line2: string | null; city: string; state: string; zip: string };
  phone: string;
  responsibleProvider: { name: string; license: string; npi: string };
  prescribers: { name: string; license: string; npi: string }[];
}

export const startInput = z.object({
  organization: txIisId,
  programme: z.enum(programmeKeys, { message: 'Choose the programme.' }),
  kind: z.enum(['registration', 'renewal'], { message: 'Choose whether you register a new site or renew one.' }),
});

export const decisionInput = z.object({
  decision: z.enum(['approve', 'reject'], { message: 'Choose approve or reject.' }),
  comment: z.string().trim().max(2000, 'A comment has at most 2,000 characters.'),
}).refine((v) => v.decision === 'approve' || v.comment.length > 0, { message: 'Say why the enrollment is rejected: the applicant reads this comment.', path: ['comment'] });

/** The Bidirectional Exchange ROI (seed 003, step 10: the EHR vendor questions and the consent mode). */
export const roiInput = z.object({
  ehrVendor: required('EHR vendor', 120),
  ehrProduct: required('EHR product', 120),
  ehrVersion: required('EHR version', 40),
  interfaceEngine: z.string().trim().max(120, 'The interface engine is longer than 120 characters.'),
  contactName: personName('technical contact name'),
  contactEmail: email('technical contact email'),
  contactPhone: phone('technical contact phone number'),
  consentMode: z.literal('hl7_submission', { message: 'Select the consent mode "HL7 Submission".' }),
  testReady: z.enum(['yes', 'no'], { message: 'Say whether the site can send test messages.' }),
});
export type RoiAnswers = z.output<typeof roiInput>;

/** zod's issues as one message per field (the first), keyed by the form field's name. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[String(issue.path[0] ?? 'form')] ??= issue.message;
  return out;
}
