import { doubleMetaphone } from 'double-metaphone';
import { formalNames } from '../data/nicknames.js';

/**
 * How names are compared (issue #11: smart search tolerates typos, nicknames, hyphenated and
 * two-part surnames). Everything is folded first — lower case, accents removed, only letters and
 * the spaces and hyphens between them — so "NUÑEZ-O'Brien" and "nunez obrien" are the same name.
 */
export function foldName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’.]/g, '')
    .replace(/[^a-z\s-]+/g, ' ')
    .replace(/\s*-\s*/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The folded name without spaces or hyphens: the exact-search key of clients.last_key/first_key. */
export function nameKey(name: string): string {
  return foldName(name).replace(/[\s-]/g, '');
}

/** "garcia-lopez" → garcia, lopez and garcialopez: a person may be registered under any of them. */
export function surnameForms(lastName: string): string[] {
  const folded = foldName(lastName);
  const parts = folded.split(/[\s-]/).filter((p) => p.length > 1);
  return [...new Set([folded.replace(/[\s-]/g, ''), ...parts])].filter(Boolean);
}

/** The phonetic code (Double Metaphone, primary) of a folded name; empty names give none. */
export function phonetic(folded: string): string {
  return folded ? doubleMetaphone(folded)[0] : '';
}

/** The phonetic codes of a given name's formal forms: "Bill", "Will" and "William" all give ALM. */
export function givenNameCodes(firstName: string): string[] {
  const folded = nameKey(firstName);
  // Through the formal names of the nickname table, so Bill meets William without every short
  // form becoming a key of every client.
  return folded ? [...new Set(formalNames(folded).map(phonetic).filter(Boolean))] : [];
}

/** Whether two given names are the same or one a short form of the other ("Bill", "William"). */
export function sameGivenName(a: string, b: string): boolean {
  const fa = formalNames(nameKey(a));
  const fb = new Set(formalNames(nameKey(b)));
  return fa.some((n) => fb.has(n));
}

/**
 * The smart-search keys of a name: every surname form's phonetic code × every given-name code,
 * e.g. "SM0:JN". One index lookup per key finds the clients with a similar name.
 */
export function nameSearchKeys(firstName: string, lastName: string): string[] {
  const surnames = [...new Set(surnameForms(lastName).map(phonetic).filter(Boolean))];
  const given = givenNameCodes(firstName);
  const keys: string[] = [];
  for (const s of surnames) for (const g of given) keys.push(`${s}:${g}`.slice(0, 40));
  return keys;
}
