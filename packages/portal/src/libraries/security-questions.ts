import { createHmac } from 'node:crypto';

/**
 * Security questions (SPEC §3.5, §3.6). Ids are stored with each answer: never renumber or reuse
 * one; retire a question by leaving it out of `securityQuestions` while old answers still refer to it.
 * Questions were picked so the answer is not on a public record or a social-media profile
 * (no mother's maiden name, no birth date, no high-school mascot).
 */
export interface SecurityQuestion {
  id: string;
  text: string;
}

export const securityQuestions: readonly SecurityQuestion[] = Object.freeze([
  { id: 'first-pet', text: 'What was the name of your first pet?' },
  { id: 'childhood-street', text: 'What was the name of the street you lived on as a child?' },
  { id: 'childhood-best-friend', text: 'What was the first name of your best friend as a child?' },
  { id: 'first-car', text: 'What was the make and model of your first car?' },
  { id: 'first-employer', text: 'What was the name of your first employer?' },
  { id: 'first-job-city', text: 'In what city or town was your first job?' },
  { id: 'favorite-teacher', text: 'What was the last name of your favorite teacher?' },
  { id: 'parents-met-city', text: 'In what city or town did your parents meet?' },
  { id: 'oldest-cousin', text: 'What is the first name of your oldest cousin?' },
  { id: 'first-concert', text: 'What was the first concert you attended?' },
  { id: 'childhood-hero', text: 'Who was your childhood hero?' },
  { id: 'childhood-book', text: 'What was your favorite book as a child?' },
  { id: 'childhood-nickname', text: 'What was your childhood nickname?' },
  { id: 'grandmother-first-name', text: "What is your maternal grandmother's first name?" },
  { id: 'first-stuffed-animal', text: 'What was the name of your first stuffed animal or toy?' },
]);

export function findSecurityQuestion(id: string): SecurityQuestion | undefined {
  return securityQuestions.find((question) => question.id === id);
}

/**
 * The form of an answer that is hashed and compared, so people are not failed for how they typed
 * it (SPEC §3.5 "case, spacing"):
 * - NFKC, so full-width or ligature forms equal their plain letters;
 * - lower case;
 * - dashes, underscores and slashes separate words like a space ("Smith-Jones" = "smith jones");
 * - every other punctuation mark or symbol is dropped ("St. Mary's" = "st marys");
 * - runs of spaces become one space, and ends are trimmed ("  Main   Street " = "main street").
 * Letters keep their accents ("José" ≠ "jose"): folding them would damage non-Latin scripts.
 * An answer that normalises to "" must be refused by the caller when it is set.
 */
export function normalizeAnswer(answer: string): string {
  return answer
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{Pd}_/\\]/gu, ' ')
    .replace(/[^\p{L}\p{M}\p{N}\s]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * The question Forgot Password shows for a username (SPEC §3.6 step 1). Keyed by an HMAC of the
 * username, so an unknown username gets the same question on every visit and a question that
 * changed between visits cannot reveal that an account does not exist (enumeration). For a real
 * account pass its own questions as `among`, so its choice is just as stable. `secret` is a server
 * key; the "plausible-question:" label keeps this use apart from other HMACs of the same key.
 */
export function plausibleQuestionFor(
  usernameKey: string,
  secret: string,
  among: readonly SecurityQuestion[] = securityQuestions,
): SecurityQuestion {
  if (among.length === 0) throw new Error('plausibleQuestionFor: no questions to choose from');
  const digest = createHmac('sha256', secret).update(`plausible-question:${usernameKey}`).digest();
  // 2^48 values over a few questions: the modulo bias is below one in ten billion.
  return among[digest.readUIntBE(0, 6) % among.length]!;
}
