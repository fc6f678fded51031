import { currentPageContext } from '@portal/common';
import { t } from '../locales/sign-in.js';
import { readFileSync } from 'node:fs';

/**
 * The rules for a new password (SPEC §3.4), as data: the list shown beside every new-password
 * form and the checker that names the broken ones come from the same table, so they cannot drift.
 *
 * `data/common-passwords.txt` is the password frequency list of the npm package
 * `@zxcvbn-ts/language-common` 4.1.3 (MIT, Dropbox's zxcvbn lists; src/passwords.json),
 * lower-cased, one per line, 49,233 entries in frequency order. It was extracted once at
 * development time; the package is not a dependency. Its licence is in
 * `data/common-passwords.LICENSE.txt`.
 */

export type PasswordRuleId =
  | 'password.too_short'
  | 'password.needs_upper'
  | 'password.needs_lower'
  | 'password.needs_digit'
  | 'password.needs_symbol'
  | 'password.contains_username'
  | 'password.reused'
  | 'password.common'
  | 'password.too_long';

export interface PasswordRule {
  id: PasswordRuleId;
  /** The line in the list beside the form. */
  text: string;
}

export interface PasswordPolicyOptions {
  minLength: number;
  /** How many previous passwords may not be reused; 0 leaves the rule out. */
  historySize: number;
  commonPasswords: ReadonlySet<string>;
  /** Bounds argon2 work per request (denial of service); SPEC gives no maximum, 256 is generous. */
  maxLength?: number;
}

const minimumUsernameToCheck = 3; // "ab" inside a password is coincidence, not a hint

/** Whether the rule is checked here; `password.reused` needs argon2 and the stored history. */
type Check = (password: string, username: string) => boolean;

/**
 * A rule's line or sentence in the page's language: the policy is built once, in English, with its
 * numbers; the catalogue (locales/sign-in.ts, `passwordRules`) has every language, with the rule's
 * number (`count`) as `{count}`.
 */
function inPageLanguage(kind: 'text' | 'message', rule: { id: PasswordRuleId; text: string; message: string; count?: number }): string {
  if (currentPageContext().locale === 'en') return rule[kind];
  return t(`passwordRules.${kind}.${rule.id.slice('password.'.length)}`, rule.count === undefined ? undefined : { count: rule.count });
}

export function createPasswordPolicy({ minLength, historySize, commonPasswords, maxLength = 256 }: PasswordPolicyOptions) {
  if (minLength < 8) throw new Error('password policy: minLength below 8 is not allowed (SPEC §3.4)');
  if (maxLength < minLength) throw new Error('password policy: maxLength is below minLength');

  // Lengths count characters as people do (code points), not UTF-16 units.
  const length = (s: string) => [...s].length;
  const table: { id: PasswordRuleId; text: string; message: string; count?: number; passes?: Check }[] = [
    {
      id: 'password.too_short',
      text: `At least ${minLength} characters`,
      message: `Your new password must have at least ${minLength} characters.`,
      count: minLength,
      passes: (p) => length(p) >= minLength,
    },
    {
      id: 'password.needs_upper',
      text: 'An upper-case letter (A–Z)',
      message: 'Your new password must contain an upper-case letter (A–Z).',
      passes: (p) => /\p{Lu}/u.test(p),
    },
    {
      id: 'password.needs_lower',
      text: 'A lower-case letter (a–z)',
      message: 'Your new password must contain a lower-case letter (a–z).',
      passes: (p) => /\p{Ll}/u.test(p),
    },
    {
      id: 'password.needs_digit',
      text: 'A digit (0–9)',
      message: 'Your new password must contain a digit (0–9).',
      passes: (p) => /\p{Nd}/u.test(p),
    },
    {
      id: 'password.needs_symbol',
      text: 'A symbol, such as ! # $ % or *',
      message: 'Your new password must contain a symbol, such as ! # $ % or *.',
      // Anything that is not a letter, a number or a space counts.
      passes: (p) => /[^\p{L}\p{N}\s]/u.test(p),
    },
    {
      id: 'password.contains_username',
      text: 'Does not contain your username',
      message: 'Your new password must not contain your username.',
      passes: (p, u) => u.length < minimumUsernameToCheck || !p.toLowerCase().includes(u.toLowerCase()),
    },
    {
      id: 'password.reused',
      text: `Not one of your last ${historySize} passwords`,
      message: `Your new password must not be one of your last ${historySize} passwords.`,
      count: historySize,
    },
    {
      id: 'password.common',
      text: 'Not a commonly used password',
      message: 'This password is too commonly used and easy to guess. Choose another one.',
      passes: (p) => !commonPasswords.has(p.toLowerCase()),
    },
    {
      id: 'password.too_long',
      text: `At most ${maxLength} characters`,
      message: `Your new password must have at most ${maxLength} characters.`,
      count: maxLength,
      passes: (p) => length(p) <= maxLength,
    },
  ];
  const inForce = table.filter((rule) => rule.id !== 'password.reused' || historySize > 0);

  return {
    /** The list shown beside every new-password form, in reading order. */
    rules(): PasswordRule[] {
      return inForce.map((rule) => ({ id: rule.id, text: inPageLanguage('text', rule) }));
    },
    /** The ids of the rules `password` breaks; empty when it passes. Does not check history. */
    check(password: string, { username }: { username: string }): PasswordRuleId[] {
      return inForce.filter((rule) => rule.passes && !rule.passes(password, username)).map((rule) => rule.id);
    },
    /** The sentence a person reads for each broken rule. */
    messages: Object.defineProperties(
      {},
      Object.fromEntries(table.map((rule) => [rule.id, { enumerable: true, get: () => inPageLanguage('message', rule) }])),
    ) as Readonly<Record<PasswordRuleId, string>>,
  };
}

export type PasswordPolicy = ReturnType<typeof createPasswordPolicy>;

/** Reads the bundled list once; the portal calls this at start and passes the set on. */
export function loadCommonPasswords(file: URL | string = new URL('./data/common-passwords.txt', import.meta.url)): Set<string> {
  const words = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter(Boolean);
  return new Set(words);
}

/** A temporary password (help desk, a new account) stops working after this long unused (issue #8). */
export const temporaryPasswordLifetimeMs = 72 * 3600_000;
