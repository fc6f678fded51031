import { z } from 'zod';
import { t } from '../locales.js';
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

/**
 * A field's name inside a sentence ("the site name", "el nombre del sitio") and the sentence about
 * it, found as the form is read: in the language of the page that sent it (a schema is built once).
 */
type Label = { key: string; n?: number };
const say = (key: string, label?: Label, values: Record<string, unknown> = {}) => {
  const text = t(`input.${key}`, { ...values, label: label ? t(`labels.${label.key}`, { n: label.n }) : '' });
  return text.charAt(0).toUpperCase() + text.slice(1);
};
const message = (key: string, label?: Label, values?: Record<string, unknown>) => ({ error: () => say(key, label, values) });

const required = (label: Label, max: number) => z.string().trim().min(1, message('enter', label)).max(max, message('tooLong', label, { max }));
const personName = (label: Label) =>
  required(label, 120).regex(/^[\p{L}][\p{L}\p{M}' .,-]*$/u, message('nameCharacters', label));
const license = (label: Label) => required(label, 30).regex(/^[A-Za-z0-9-]+$/, message('licenseCharacters', label));
export const npi = (label: Label) =>
  z
    .string()
    .trim()
    .regex(/^\d{10}$/, message('npiDigits', label))
    .refine(isValidNpi, message('npiCheck', label));
export const txIisId = z.string().trim().regex(/^\d{10}$/, message('iisId'));
export const phone = (label: Label) =>
  z
    .string()
    .trim()
    .min(1, message('enter', label))
    .transform((v) => v.replace(/[\s().-]/g, ''))
    .refine((v) => /^\+?1?\d{10}$/.test(v), message('phoneFormat', label));
export const email = (label: Label) => z.string().trim().min(1, message('enter', label)).max(254, message('emailLong', label)).email(message('emailFormat', label));

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

const prescriber = (n: number) => ({ name: personName({ key: 'prescriberName', n }), license: license({ key: 'prescriberLicense', n }), npi: npi({ key: 'prescriberNpi', n }) });

/** What a submitted enrollment must hold, with one message per field a person can act on. */
export function validateSubmission(draft: EnrollmentDraft): { ok: true; value: SubmittedEnrollment } | { ok: false; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  const value: Record<string, unknown> = {};
  const check = (field: string, schema: z.ZodType<unknown>) => {
    const parsed = schema.safeParse(draft[field] ?? '');
    if (parsed.success) value[field] = parsed.data;
    else fields[field] = parsed.error.issues[0]!.message;
  };
  check('siteName', required({ key: 'siteName' }, 200));
  check('line1', required({ key: 'street' }, 120));
  value.line2 = (draft.line2 ?? '').slice(0, 120) || null;
  check('city', required({ key: 'city' }, 60));
  check('state', z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, message('state')));
  check('zip', z.string().trim().regex(/^\d{5}(-\d{4})?$/, message('zip')));
  check('phone', phone({ key: 'sitePhone' }));
  check('rmpName', personName({ key: 'rmpName' }));
  check('rmpLicense', license({ key: 'rmpLicense' }));
  check('rmpNpi', npi({ key: 'rmpNpi' }));
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
  programme: z.enum(programmeKeys, message('programme')),
  kind: z.enum(['registration', 'renewal'], message('kind')),
});

export const decisionInput = z.object({
  decision: z.enum(['approve', 'reject'], message('decision')),
  comment: z.string().trim().max(2000, message('commentLong')),
}).refine((v) => v.decision === 'approve' || v.comment.length > 0, { ...message('rejectWhy'), path: ['comment'] });

/** The Bidirectional Exchange ROI (seed 003, step 10: the EHR vendor questions and the consent mode). */
export const roiInput = z.object({
  ehrVendor: required({ key: 'ehrVendor' }, 120),
  ehrProduct: required({ key: 'ehrProduct' }, 120),
  ehrVersion: required({ key: 'ehrVersion' }, 40),
  interfaceEngine: z.string().trim().max(120, message('interfaceLong')),
  contactName: personName({ key: 'contactName' }),
  contactEmail: email({ key: 'contactEmail' }),
  contactPhone: phone({ key: 'contactPhone' }),
  consentMode: z.literal('hl7_submission', message('consentMode')),
  testReady: z.enum(['yes', 'no'], message('testReady')),
});
export type RoiAnswers = z.output<typeof roiInput>;

/** zod's issues as one message per field (the first), keyed by the form field's name. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[String(issue.path[0] ?? 'form')] ??= issue.message;
  return out;
}
