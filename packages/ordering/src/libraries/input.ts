import { z } from 'zod';
import { wasteReasons } from '../data/catalogue.js';
import { number, t } from '../locales.js';

/**
 * What VAOS's forms accept, checked at the edge with a message per field a person can act on.
 * A quantity is typed text: "-3", "2.5", "ten" and "1e9" each get their own answer, and nothing is
 * written unless every field is right.
 */
export function wholeNumber(what: 'packages' | 'doses', max: number) {
  return z.string().transform((raw, ctx) => {
    const v = raw.trim().replace(/,/g, '');
    // The words are found as the form is read, in the language of the page that sent it.
    const fail = (key: string) => {
      ctx.addIssue({ code: 'custom', message: t(`input.${key}`, { label: t(`input.${what}.label`), unit: t(`input.${what}.unit`), max: number(max) }) });
      return z.NEVER;
    };
    if (!v) return fail('enter');
    if (/^-/.test(v)) return fail('negative');
    if (/^\d*\.\d+$|^\d+\.$/.test(v)) return fail('fraction');
    if (!/^\d+$/.test(v)) return fail('digits');
    if (v.length > 9 || Number(v) > max) return fail('tooMany');
    const n = Number(v);
    if (n < 1) return fail('atLeastOne');
    return n;
  });
}

/** A zod message in the language of the page whose form is read (a schema is built once, read per request). */
const say = (key: string) => ({ error: () => t(`input.${key}`) });

export const maxPackagesPerLine = 999;
export const maxDosesPerReport = 10_000;

/** The packages of one order line. */
export const orderPackages = wholeNumber('packages', maxPackagesPerLine);

const expiryDate = z
  .string()
  .trim()
  .min(1, say('expiryMissing'))
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), say('expiryFormat'));

export const lotNumber = z.string().trim().min(1, say('lotMissing')).max(30, say('lotLong')).regex(/^[A-Za-z0-9-]+$/, say('lotCharacters'));

export const wasteInput = z.object({
  lot: z.string().regex(/^\d{1,9}$/, say('chooseLot')).transform(Number),
  reason: z.enum(wasteReasons, say('chooseReason')),
  doses: wholeNumber('doses', maxDosesPerReport),
});

export const receiptLineInput = z.object({ lot: lotNumber, expiry: expiryDate });

export const transitionInput = z.object({
  to: z.enum(['approved', 'rejected', 'shipped', 'cancelled'], say('chooseStep')),
  comment: z.string().trim().max(500, say('commentLong')).transform((v) => v || null),
});

export const orgChoice = z.object({ org: z.string().regex(/^\d{10}$/, say('chooseOrg')) });

/** zod's issues as one message per field (the first), keyed by the form field's name. */
export function fieldErrors(error: z.ZodError, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = prefix + String(issue.path[0] ?? 'form');
    out[key] ??= issue.message;
  }
  return out;
}
