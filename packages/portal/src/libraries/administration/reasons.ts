import { z } from 'zod';
import { PortalError } from '../errors.js';

/**
 * Every help-desk and admin action needs a reason (issue #8): a code from this fixed list, free text
 * of at least 10 characters, and optionally a ticket number. Refused without one, in the pages, the
 * API and the CLI alike; stored in the action's audit row.
 */
export const reasonCodes = {
  caller_verified_phone: 'Caller verified by phone',
  email_request: 'Request by email from the account holder',
  locked_out: 'Locked out',
  forgot_password: 'Forgot password',
  suspected_compromise: 'Suspected compromise',
  employment_ended: 'No longer works at the organization',
  access_change: 'Access change requested by the organization',
  data_correction: 'Correcting account details',
  other: 'Other (say why)',
} as const;

export type ReasonCode = keyof typeof reasonCodes;

const controlCharacters = /[\u0000-\u001f\u007f]/;

export const reasonInput = z.object({
  code: z.enum(Object.keys(reasonCodes) as [ReasonCode, ...ReasonCode[]]),
  text: z
    .string()
    .trim()
    .min(10)
    .max(500)
    .refine((v) => !controlCharacters.test(v)),
  ticket: z
    .string()
    .trim()
    .max(40)
    .regex(/^[A-Za-z0-9#._-]*$/)
    .optional()
    .transform((v) => (v ? v : undefined)),
});

export type Reason = z.output<typeof reasonInput>;

/** Parses a reason or refuses the action (400, nothing changed) with what is missing. */
export function requireReason(input: unknown): Reason {
  // No reason at all (missing, or not an object) is a missing reason code first.
  if (typeof input !== 'object' || input === null) throw new PortalError('admin.reason_code', 400);
  const parsed = reasonInput.safeParse(input);
  if (!parsed.success) {
    const fields = new Set(parsed.error.issues.map((i) => String(i.path[0])));
    if (fields.has('code')) throw new PortalError('admin.reason_code', 400);
    if (fields.has('text')) throw new PortalError('admin.reason_text', 400);
    throw new PortalError('admin.reason_ticket', 400);
  }
  return parsed.data;
}

/** The reason as the audit row keeps it. */
export const reasonForAudit = (reason: Reason) => ({ reasonCode: reason.code, reason: reason.text, ...(reason.ticket ? { ticket: reason.ticket } : {}) });
