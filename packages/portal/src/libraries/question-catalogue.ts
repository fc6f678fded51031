import type { QuestionCatalogueQueries } from '../queries/question-catalogue.js';
import { securityQuestions as bundled, type SecurityQuestion } from './security-questions.js';

/**
 * The security-question catalogue (SPEC §3.5) as administrators keep it: the bundled questions plus
 * any added, minus any retired. Read synchronously everywhere (forms, recovery), so it is held in
 * memory and reloaded from the database by every instance's sweeper (each minute) and at once on
 * the instance that changed it.
 *
 * `active()` is what people may choose; `all()` keeps retired questions too, because answers given
 * to them still work, and because Forgot Password's plausible question for an unknown username must
 * come from the same pool as real accounts' questions (enumeration).
 */
export interface QuestionCatalogue {
  active(): readonly SecurityQuestion[];
  all(): readonly SecurityQuestion[];
  find(id: string): SecurityQuestion | undefined;
  isActive(id: string): boolean;
  refresh(): Promise<void>;
}

export async function createQuestionCatalogue(deps: { queries: QuestionCatalogueQueries; now: number }): Promise<QuestionCatalogue> {
  await deps.queries.insertMissing(bundled.map((q, i) => ({ id: q.id, text: q.text, retired_at: null, created_at: deps.now + i })));
  let all: SecurityQuestion[] = [];
  let active: SecurityQuestion[] = [];
  let byId = new Map<string, SecurityQuestion>();
  async function refresh() {
    const rows = await deps.queries.list();
    const questions = rows.map((row) => ({ retired: row.retired_at !== null, question: Object.freeze({ id: row.id, text: row.text }) }));
    all = questions.map((q) => q.question);
    active = questions.filter((q) => !q.retired).map((q) => q.question);
    byId = new Map(all.map((q) => [q.id, q]));
  }
  await refresh();
  return {
    active: () => active,
    all: () => all,
    find: (id) => byId.get(id),
    isActive: (id) => active.some((q) => q.id === id),
    refresh,
  };
}
