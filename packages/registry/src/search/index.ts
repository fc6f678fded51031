import { distance } from 'fastest-levenshtein';
import type { ClientQueries, ClientSummary, Sex } from '../queries/clients.js';
import { nameKey, nameSearchKeys, phonetic, sameGivenName, surnameForms } from './names.js';
import { swappedDayMonth } from './dates.js';

export { parseDate, usDate, swappedDayMonth } from './dates.js';

/** A smart-search hit, best first, with how sure the match is (0–1). */
export interface ScoredClient extends ClientSummary { score: number }

export interface SmartQuery { firstName: string; lastName: string; birthDate?: string | undefined }

/** 1 for the same folded name, falling with the edit distance; a phonetic match is worth 0.85. */
function similarity(a: string, b: string): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  const bySpelling = 1 - distance(a, b) / Math.max(a.length, b.length);
  return phonetic(a) === phonetic(b) ? Math.max(bySpelling, 0.85) : bySpelling;
}

function surnameSimilarity(query: string, candidateKey: string, candidateForms: string[]): number {
  const wanted = surnameForms(query);
  let best = 0;
  for (const w of wanted) for (const c of [candidateKey, ...candidateForms]) best = Math.max(best, similarity(w, c));
  return best;
}

function birthDateSimilarity(query: string | undefined, candidate: string): number | undefined {
  if (!query) return undefined;
  if (query === candidate) return 1;
  if (swappedDayMonth(query) === candidate) return 0.9;
  const [qy, qm, qd] = query.split('-');
  const [cy, cm, cd] = candidate.split('-');
  // One part mistyped: the year, or the day, or the month.
  const same = Number(qy === cy) + Number(qm === cm) + Number(qd === cd);
  return same === 2 ? 0.6 : 0;
}

/**
 * Smart search (seed 000): tolerant of typos ("Jon Smth"), nicknames ("Bill" for William),
 * hyphenated and two-part surnames, a swapped day and month, and names that sound alike (Double
 * Metaphone). Candidates come from two indexes — the phonetic name keys, and the date of birth with
 * its swapped and one-part-off variants — and are scored here; weak matches are not shown.
 */
export async function smartSearch(clients: ClientQueries, query: SmartQuery, withdrawnToo: boolean): Promise<ScoredClient[]> {
  const birthDates = query.birthDate ? [query.birthDate, swappedDayMonth(query.birthDate)].filter((d): d is string => Boolean(d)) : [];
  const candidates = await clients.candidates({ keys: nameSearchKeys(query.firstName, query.lastName), birthDates }, withdrawnToo);
  const wantedFirst = nameKey(query.firstName);
  // A client may be registered under other names (AKA): the best of them counts.
  const otherNames = new Map<number, { first_name: string; last_name: string }[]>();
  for (const aka of await clients.akasOf(candidates.map((c) => c.id))) otherNames.set(aka.client_id, [...(otherNames.get(aka.client_id) ?? []), aka]);
  const nameScore = (n: { first_name: string; last_name: string }) => {
    const last = surnameSimilarity(query.lastName, nameKey(n.last_name), surnameForms(n.last_name));
    const first = sameGivenName(query.firstName, n.first_name) ? 1 : similarity(wantedFirst, nameKey(n.first_name));
    return 0.55 * last + 0.45 * first;
  };
  const scored: ScoredClient[] = [];
  for (const c of candidates) {
    const name = Math.max(nameScore(c), ...(otherNames.get(c.id) ?? []).map(nameScore));
    const born = birthDateSimilarity(query.birthDate, c.birth_date);
    const score = born === undefined ? name : 0.7 * name + 0.3 * born;
    if (name >= 0.7 && score >= 0.75) {
      const { last_key: _l, first_key: _f, ...summary } = c;
      scored.push({ ...summary, score: Math.round(score * 100) / 100 });
    }
  }
  return scored.sort((a, b) => b.score - a.score || a.last_name.localeCompare(b.last_name)).slice(0, 50);
}

export type { Sex };
