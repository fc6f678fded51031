import { z } from 'zod';
import { wasteReasons, type WasteReason } from '../data/catalogue.js';

/**
 * What VAOS's forms accept, checked at the edge with a message per field a person can act on.
 * A quantity is typed text: "-3", "2.5", "ten" and "1e9" each get their own answer, and nothing is
 * written unless every field is right.
 */
export function wholeNumber(label: string, unit: string, max: number) {
  return z.string().transform((raw, ctx) => {
    const v = raw.trim().replace(/,/g, '');
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (!v) return fail(`Enter the ${label}.`);
    if (/^-/.test(v)) return fail(`The ${label} cannot be negative: enter a number of ${unit} from 1 to ${max.toLocaleString('en-US')}.`);
    if (/^\d*\.\d+$|^\d+\.$/.test(v)) return fail(`The ${label} must be a whole number of ${unit}, without fractions.`);
    if (!/^\d+$/.test(v)) return fail(`Enter the ${label} as digits, like 5.`);
    if (v.length > 9 || Number(v) > max) return fail(`The ${label} can be at most ${max.toLocaleString('en-US')} ${unit}.`);
    const n = Number(v);
    if (n < 1) return fail(`The ${label} must be at least 1.`);
    return n;
  });
}

export const maxPackagesPerLine = 999;
export const maxDosesPerReport = 10_000;

const isoDate = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${label}.`)
    .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), `Enter the ${label} as YYYY-MM-DD.`);

export const lotNumber = z.string().trim().min(1, 'Enter the lot number.').max(30, 'A lot number has at most 30 characters.').regex(/^[A-Za-z0-9-]+$/, 'A lot number has only letters, digits and hyphens.');

export const wasteInput = z.object({
  lot: z.string().regex(/^\d{1,9}$/, 'Choose the lot from the list.').transform(Number),
  reason: z.enum(Object.keys(wasteReasons) as [WasteReason, ...WasteReason[]], { message: 'Choose why the doses were wasted.' }),
  doses: wholeNumber('number of doses', 'doses', maxDosesPerReport),
});

export const receiptLineInput = z.object({ lot: lotNumber, expiry: isoDate('expiry date') });

export const transitionInput = z.object({
  to: z.enum(['approved', 'rejected', 'shipped', 'cancelled'], { message: 'Choose what to do with the order.' }),
  comment: z.string().trim().max(500, 'A comment has at most 500 characters.').transform((v) => v || null),
});

export const orgChoice = z.object({ org: z.string().regex(/^\d{10}$/, 'Choose an organization.') });

/** zod's issues as one message per field (the first), keyed by the form field's name. */
export function fieldErrors(error: z.ZodError, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = prefix + String(issue.path[0] ?? 'form');
    out[key] ??= issue.message;
  }
  return out;
}
