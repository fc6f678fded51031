import { z } from 'zod';
import type { QuestionCatalogueQueries } from '../../queries/question-catalogue.js';
import type { QuestionCatalogue } from '../question-catalogue.js';
import type { Audit, AuditContext } from '../audit.js';
import type { Clock } from '../clock.js';
import type { UnitOfWork } from '../../db/knex.js';
import { PortalError } from '../errors.js';
import { formatIssues } from '../directory.js';
import { randomToken } from '../secrets.js';
import { actorForAudit, requireCapability, type Actor } from './actors.js';
import { reasonForAudit, requireReason } from './reasons.js';

const questionText = z
  .string()
  .trim()
  .min(10, 'question: at least 10 characters')
  .max(200, 'question: at most 200 characters')
  .refine((v) => v.endsWith('?'), 'question: end it with a question mark')
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'question: no control characters');

/**
 * The security-question catalogue as administrators manage it (issue #8): add a question, retire
 * one (no longer offered; answers already given to it keep working), bring one back. Ids are never
 * reused, so a stored answer always means the question it was given to.
 */
export function createQuestionAdministration(deps: { queries: QuestionCatalogueQueries; catalogue: QuestionCatalogue; audit: Audit; clock: Clock; unitOfWork: UnitOfWork }) {
  const { queries, catalogue, audit, clock } = deps;
  async function record(actor: Actor, action: string, id: string, details: Record<string, unknown>, context: AuditContext) {
    const who = actorForAudit(actor);
    await audit.record({ action, subject: id, details: { via: who.via, ...details } }, { ...context, actorUserId: who.actorUserId });
  }

  return {
    /** Every question with whether it is offered, for the administration page. */
    list(actor: Actor): { id: string; text: string; active: boolean }[] {
      requireCapability(actor, 'questions:write');
      return catalogue.all().map((q) => ({ ...q, active: catalogue.isActive(q.id) }));
    },

    async add(actor: Actor, text: unknown, reasonInput: unknown, context: AuditContext): Promise<{ id: string }> {
      requireCapability(actor, 'questions:write');
      const parsed = questionText.safeParse(text);
      if (!parsed.success) throw new PortalError('admin.invalid', 400, { problems: formatIssues(parsed.error) });
      if (catalogue.all().some((q) => q.text.toLowerCase() === parsed.data.toLowerCase())) throw new PortalError('admin.invalid', 400, { problems: 'question: already in the catalogue' });
      const reason = requireReason(reasonInput);
      const slug = parsed.data.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 28);
      const id = `${slug || 'question'}-${randomToken(4).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
      await deps.unitOfWork(async () => {
        await queries.insert({ id, text: parsed.data, retired_at: null, created_at: clock.now() });
        await record(actor, 'admin.question_add', id, { ...reasonForAudit(reason), text: parsed.data }, context);
      });
      await catalogue.refresh();
      return { id };
    },

    async setOffered(actor: Actor, id: unknown, offered: boolean, reasonInput: unknown, context: AuditContext): Promise<{ changed: boolean }> {
      requireCapability(actor, 'questions:write');
      if (typeof id !== 'string' || !catalogue.find(id)) throw new PortalError('admin.invalid', 404, { problems: 'no such question' });
      const reason = requireReason(reasonInput);
      if (!offered && catalogue.active().length <= 3) throw new PortalError('admin.invalid', 400, { problems: 'at least 3 questions must stay offered (everyone chooses 3)' });
      let changed = false;
      await deps.unitOfWork(async () => {
        changed = await queries.setRetired(id, offered ? null : clock.now());
        await record(actor, offered ? 'admin.question_restore' : 'admin.question_retire', id, reasonForAudit(reason), context);
      });
      await catalogue.refresh();
      return { changed };
    },
  };
}

export type QuestionAdministration = ReturnType<typeof createQuestionAdministration>;
