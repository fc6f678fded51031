import { z } from 'zod';
import { parseDate } from '../search/dates.js';

/**
 * What the registry's forms accept, checked at the edge with messages a person can act on. Names
 * allow letters of any language, spaces, hyphens, apostrophes and periods — nothing that could be
 * markup or SQL (and both are escaped or bound anyway).
 */
const nameText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${label}.`)
    .max(max, `The ${label} is longer than ${max} characters.`)
    .regex(/^[\p{L}][\p{L}\p{M}' .-]*$/u, `The ${label} may contain only letters, spaces, hyphens, apostrophes and periods.`);
const optionalName = (label: string, max: number) => z.union([z.literal('').transform(() => null), nameText(label, max)]);
const date = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${label}.`)
    .max(10, `Enter the ${label} as MM/DD/YYYY.`)
    .transform((v, ctx) => {
      const iso = parseDate(v);
      if (!iso) ctx.addIssue({ code: 'custom', message: `Enter the ${label} as MM/DD/YYYY.` });
      return iso ?? '';
    });
const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `The ${label} is longer than ${max} characters.`)
    .transform((v) => v || null);

export const searchInput = {
  quick: z.object({ lastName: nameText('last name', 80), firstName: nameText('first name', 60), birthDate: date('date of birth') }),
  basic: z
    .object({
      lastName: optionalName('last name', 80),
      firstName: optionalName('first name', 60),
      middleName: optionalName('middle name', 60),
      birthDate: z.union([z.literal('').transform(() => null), date('date of birth')]),
      sex: z.enum(['', 'F', 'M', 'U'], { message: 'Choose the sex from the list.' }).transform((v) => v || null),
      motherMaidenName: optionalName("mother's maiden name", 80),
      phone: optionalText('phone', 30),
      zip: z.union([z.literal('').transform(() => null), z.string().trim().regex(/^\d{5}$/, 'Enter a 5-digit ZIP code.')]),
      registryId: z.union([z.literal('').transform(() => null), z.string().trim().regex(/^\d{10}$/, 'An ImmTrac2 ID has 10 digits.')]),
    })
    .refine((v) => v.lastName || v.registryId || (v.firstName && v.birthDate) || (v.birthDate && v.zip), {
      message: 'Enter a last name, an ImmTrac2 ID, or a first name with a date of birth.',
      path: ['lastName'],
    }),
  smart: z.object({
    lastName: nameText('last name', 80),
    firstName: nameText('first name', 60),
    birthDate: z.union([z.literal('').transform(() => null), date('date of birth')]),
  }),
};

export const personalInput = z.object({
  firstName: nameText('first name', 60),
  middleName: optionalName('middle name', 60),
  lastName: nameText('last name', 80),
  suffix: z.enum(['', 'JR', 'SR', 'II', 'III', 'IV'], { message: 'Choose the suffix from the list.' }).transform((v) => v || null),
  birthDate: date('date of birth'),
  sex: z.enum(['F', 'M', 'U'], { message: 'Choose the sex.' }),
  motherMaidenName: optionalName("mother's maiden name", 80),
  birthState: z.union([z.literal('').transform(() => null), z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'Enter the two-letter state of birth.')]),
  phone: z.union([z.literal('').transform(() => null), z.string().trim().regex(/^[0-9()+\-. ]{7,20}$/, 'Enter the phone number as digits, e.g. (512) 555-0100.')]),
  email: z.union([z.literal('').transform(() => null), z.string().trim().max(254).email('Enter an email address like name@example.org.')]),
});

export const addressInput = z.object({
  line1: z.string().trim().min(1, 'Enter the street address.').max(120, 'The street address is too long.'),
  line2: optionalText('second address line', 120),
  city: z.string().trim().min(1, 'Enter the city.').max(60, 'The city is too long.'),
  county: optionalText('county', 60),
  state: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'Enter the two-letter state.'),
  zip: z.string().trim().regex(/^\d{5}(-\d{4})?$/, 'Enter a 5-digit ZIP code.'),
});

export const consentInput = z.object({
  consent: z.enum(['minor', 'adult', 'withdrawn'], { message: 'Choose the consent form on file.' }),
  signedOn: date('date the form was signed'),
});

export const newClientInput = personalInput.and(addressInput).and(consentInput);

export const akaInput = z.object({ firstName: nameText('first name', 60), middleName: optionalName('middle name', 60), lastName: nameText('last name', 80) });
export const responsibleInput = z.object({
  firstName: nameText('first name', 60),
  lastName: nameText('last name', 80),
  relationship: z.enum(['mother', 'father', 'guardian', 'grandparent', 'other'], { message: 'Choose the relationship.' }),
  phone: z.union([z.literal('').transform(() => null), z.string().trim().regex(/^[0-9()+\-. ]{7,20}$/, 'Enter the phone number as digits.')]),
});
export const commentInput = z.object({
  code: z.enum(['parent_refusal', 'religious_exemption', 'medical_exemption', 'history_of_disease', 'moved_out_of_state', 'deceased'], { message: 'Choose a comment.' }),
  text: optionalText('comment', 500),
  appliesOn: date('date'),
});
export const noteInput = z.object({ text: z.string().trim().min(1, 'Write the note.').max(2000, 'A note has at most 2,000 characters.') });

export const immunizationInput = z.object({
  cvx: z.string().trim().regex(/^\d{1,3}$/, 'Choose the vaccine.'),
  givenOn: date('date given'),
  tradeName: optionalText('trade name', 100),
  mvx: z.union([z.literal('').transform(() => null), z.string().trim().regex(/^[A-Z]{2,3}$/, 'Choose the manufacturer.')]),
  lot: z.union([z.literal('').transform(() => null), z.string().trim().max(30, 'A lot number has at most 30 characters.').regex(/^[A-Za-z0-9-]+$/, 'A lot number has only letters, digits and hyphens.')]),
  site: z.union([z.literal('').transform(() => null), z.enum(['LA', 'RA', 'LD', 'RD', 'LT', 'RT', 'LVL', 'RVL', 'NS', 'MO'], { message: 'Choose the body site.' })]),
  route: z.union([z.literal('').transform(() => null), z.enum(['IM', 'SC', 'ID', 'IN', 'PO'], { message: 'Choose the route.' })]),
  historical: z.enum(['0', '1'], { message: 'Say whether the dose was given here or is historical.' }).transform((v) => v === '1'),
  administeredBy: optionalText('name of the person who gave it', 120),
});

/** zod's issues as one message per field (the first), keyed by the form field's name. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    out[key] ??= issue.message;
  }
  return out;
}
