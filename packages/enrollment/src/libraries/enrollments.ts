import { unitOfWork, type Db } from '@portal/db';
import type { Clock, RpLogger } from '@portal/rp-kit';
import { isStateReviewer, orgOf, requireOrganization, requireStateReviewer, type Actor } from './access.js';
import { EnrollmentError, InvalidForm } from './errors.js';
import { programmes, validateSubmission, type EnrollmentDraft, type Programme } from './input.js';
import { decisionMail, type Mailer } from './mailer.js';
import type { AuditQueries } from '../queries/audit.js';
import { createEnrollmentQueries, type EnrollmentRow, type EventRow } from '../queries/enrollments.js';

export interface EnrollmentView {
  row: EnrollmentRow;
  draft: EnrollmentDraft;
  history: EventRow[];
}

/**
 * Registering or renewing a provider site (seed 003, steps 4–5): a draft saved as often as the
 * point of contact likes, a submission validated in full, and the state's decision with a comment,
 * mailed to the applicant. Every change is a compare-and-set on the status, recorded in the
 * history and the audit trail.
 */
export function createEnrollments(deps: { db: Db; clock: Clock; audit: AuditQueries; mailer: Mailer; appUrl: string; log: RpLogger }) {
  const { db, clock, audit, mailer, log } = deps;
  const enrollments = createEnrollmentQueries(db);
  const unit = unitOfWork(db);

  /** An enrollment the actor may see: one of their organizations', or any for state reviewers. */
  async function visible(actor: Actor, id: number): Promise<EnrollmentRow> {
    const row = Number.isSafeInteger(id) ? await enrollments.find(id) : undefined;
    // The same answer for "none" and "not yours": the page does not tell another site's enrollments exist.
    if (!row || (!orgOf(actor, row.organization_iis_id) && !isStateReviewer(actor))) throw new EnrollmentError('enrollment.not_found', 404);
    return row;
  }

  const event = (actor: Actor, enrollmentId: number, from: string | null, to: string, comment: string | null = null) =>
    enrollments.addEvent({ enrollment_id: enrollmentId, exchange_id: null, at: clock.now(), actor_sub: actor.sub, actor_name: actor.name, from_state: from, to_state: to, comment });

  return {
    /** The person's own organizations' enrollments, newest first. */
    async mine(actor: Actor): Promise<EnrollmentRow[]> {
      return enrollments.ofOrganizations(actor.orgs.map((o) => o.iis_id));
    },

    async view(actor: Actor, id: number): Promise<EnrollmentView> {
      const row = await visible(actor, id);
      return { row, draft: JSON.parse(row.details) as EnrollmentDraft, history: await enrollments.history(id) };
    },

    /** A new draft; a renewal starts from the organization's last approved enrollment for the programme. */
    async start(actor: Actor, input: { organization: string; programme: Programme; kind: 'registration' | 'renewal' }): Promise<number> {
      const org = requireOrganization(actor, input.organization);
      let details: EnrollmentDraft = {};
      let renewsId: number | null = null;
      if (input.kind === 'renewal') {
        const last = await enrollments.lastApproved(org.iis_id, input.programme);
        if (!last) throw new EnrollmentError('enrollment.no_approved', 409);
        details = JSON.parse(last.details) as EnrollmentDraft;
        renewsId = last.id;
      }
      const now = clock.now();
      return unit(async () => {
        const id = await enrollments.insert({
          kind: input.kind, programme: input.programme, organization_iis_id: org.iis_id, organization_name: org.name, status: 'draft', renews_id: renewsId,
          details: JSON.stringify(details), site_name: details.siteName ?? '', contact_sub: actor.sub, contact_name: actor.name, contact_email: actor.email, created_at: now, updated_at: now,
        });
        await event(actor, id, null, 'draft', input.kind === 'renewal' ? `Renewal of enrollment ${renewsId}` : null);
        await audit.record({ at: now, sub: actor.sub, action: `enrollment.${input.kind}.start`, organization_iis_id: org.iis_id, enrollment_id: id });
        return id;
      });
    },

    /** Save and continue later: kept as typed, not validated beyond size. */
    async saveDraft(actor: Actor, id: number, draft: EnrollmentDraft): Promise<void> {
      const row = await visible(actor, id);
      requireOrganization(actor, row.organization_iis_id);
      const now = clock.now();
      await unit(async () => {
        if (!(await enrollments.saveDraft(id, JSON.stringify(draft), draft.siteName ?? '', now))) throw new EnrollmentError('enrollment.not_editable', 409);
        await audit.record({ at: now, sub: actor.sub, action: 'enrollment.draft.save', organization_iis_id: row.organization_iis_id, enrollment_id: id });
      });
    },

    /** Validates everything (InvalidForm per field: the draft is saved either way), then submits. */
    async submit(actor: Actor, id: number, draft: EnrollmentDraft): Promise<void> {
      const row = await visible(actor, id);
      requireOrganization(actor, row.organization_iis_id);
      const now = clock.now();
      const checked = validateSubmission(draft);
      if (!checked.ok) {
        await enrollments.saveDraft(id, JSON.stringify(draft), draft.siteName ?? '', now);
        throw new InvalidForm(checked.fields);
      }
      await unit(async () => {
        // The submitter becomes the point of contact who hears of the decision.
        const moved = await enrollments.transition(id, ['draft', 'rejected'], 'submitted', now, {
          details: JSON.stringify(draft), site_name: checked.value.siteName, contact_sub: actor.sub, contact_name: actor.name, contact_email: actor.email,
        });
        if (!moved) throw new EnrollmentError('enrollment.not_editable', 409);
        await event(actor, id, row.status, 'submitted');
        await audit.record({ at: now, sub: actor.sub, action: 'enrollment.submit', organization_iis_id: row.organization_iis_id, enrollment_id: id });
      });
    },

    /** The state's review queue: submitted enrollments, oldest first. */
    async queue(actor: Actor): Promise<EnrollmentRow[]> {
      requireStateReviewer(actor);
      return enrollments.withStatus('submitted');
    },

    /** Approve or reject with a comment; refused when someone already decided (compare-and-set). */
    async decide(actor: Actor, id: number, decision: 'approve' | 'reject', comment: string): Promise<{ mailed: boolean }> {
      requireStateReviewer(actor);
      const row = await visible(actor, id);
      const to = decision === 'approve' ? 'approved' : 'rejected';
      const now = clock.now();
      await unit(async () => {
        if (!(await enrollments.transition(id, ['submitted'], to, now))) throw new EnrollmentError('enrollment.already_decided', 409);
        await event(actor, id, 'submitted', to, comment || null);
        await audit.record({ at: now, sub: actor.sub, action: `enrollment.${decision}`, organization_iis_id: row.organization_iis_id, enrollment_id: id });
      });
      // Mailed after the decision is stored: a mail server down does not undo a decision.
      if (!row.contact_email) return { mailed: false };
      try {
        await mailer.send({
          to: row.contact_email,
          ...decisionMail({ name: row.contact_name, siteName: row.site_name, programme: programmes[row.programme as Programme] ?? row.programme, iisId: row.organization_iis_id, approved: to === 'approved', comment: comment || null, link: `${deps.appUrl}/enrollments/${id}` }),
        });
        return { mailed: true };
      } catch {
        log('warn', 'decision mail not sent', { enrollmentId: id });
        return { mailed: false };
      }
    },
  };
}

export type Enrollments = ReturnType<typeof createEnrollments>;
