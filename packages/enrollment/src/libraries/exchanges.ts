import { unitOfWork, type Db } from '@portal/db';
import type { Clock, OrgAccess, RpLogger } from '@portal/rp-kit';
import { isStateReviewer, orgOf, requireOrganization, requireStateReviewer, type Actor } from './access.js';
import { EnrollmentError } from './errors.js';
import type { RoiAnswers } from './input.js';
import { goLiveMail, type Mailer } from './mailer.js';
import type { Hl7Credential, PortalCredentials, RotatedSecret } from './portal-credentials.js';
import type { AuditQueries } from '../queries/audit.js';
import { createEnrollmentQueries, type EnrollmentRow, type EventRow } from '../queries/enrollments.js';
import { createExchangeQueries, type ExchangeRow, type ExchangeState } from '../queries/exchanges.js';

export interface SiteView {
  iisId: string;
  name: string;
  approved: EnrollmentRow | undefined;
  exchange: ExchangeRow | undefined;
  roi: Partial<RoiAnswers>;
  queuePosition: number | null;
  history: EventRow[];
}

/**
 * The Bidirectional Exchange of a provider site (seed 003, steps 6–12): the site completes the
 * ROI, the state activates the widget, the site enters the waiting queue, the state approves go
 * live, and the site downloads its production credentials (created at the portal; the secret is
 * handed to the person once and never kept here). Each step moves one stored state with a
 * compare-and-set: no step skipped, none taken twice.
 */
export function createExchanges(deps: { db: Db; clock: Clock; audit: AuditQueries; mailer: Mailer; credentials: PortalCredentials; appUrl: string; log: RpLogger }) {
  const { db, clock, audit, mailer, credentials, log } = deps;
  const exchanges = createExchangeQueries(db);
  const enrollments = createEnrollmentQueries(db);
  const unit = unitOfWork(db);

  /** A site the actor may see: their own organization's, or any for state staff. */
  async function site(actor: Actor, iisId: string): Promise<{ org: OrgAccess | undefined; name: string; approved: EnrollmentRow | undefined; exchange: ExchangeRow | undefined }> {
    const org = orgOf(actor, iisId);
    if (!org && !isStateReviewer(actor)) throw new EnrollmentError('access.organization', 403);
    const [approved, exchange] = await Promise.all([/^\d{10}$/.test(iisId) ? enrollments.lastApproved(iisId) : undefined, exchanges.ofOrganization(iisId)]);
    if (!org && !approved && !exchange) throw new EnrollmentError('exchange.not_found', 404);
    return { org, name: approved?.site_name || org?.name || approved?.organization_name || iisId, approved, exchange };
  }

  const event = (actor: Actor, exchangeId: number, from: ExchangeState | null, to: string, comment: string | null = null) =>
    enrollments.addEvent({ enrollment_id: null, exchange_id: exchangeId, at: clock.now(), actor_sub: actor.sub, actor_name: actor.name, from_state: from, to_state: to, comment });

  async function step(actor: Actor, iisId: string, from: ExchangeState, to: ExchangeState, by: 'site' | 'state', comment: string | null = null): Promise<ExchangeRow> {
    if (by === 'state') requireStateReviewer(actor);
    else requireOrganization(actor, iisId);
    const { exchange } = await site(actor, iisId);
    if (!exchange) throw new EnrollmentError('exchange.not_found', 404);
    const now = clock.now();
    await unit(async () => {
      if (!(await exchanges.transition(exchange.id, from, to, now, to === 'waiting' ? { queued_at: now } : {}))) throw new EnrollmentError('exchange.wrong_step', 409);
      await event(actor, exchange.id, from, to, comment);
      await audit.record({ at: now, sub: actor.sub, action: `exchange.${to}`, organization_iis_id: iisId, exchange_id: exchange.id });
    });
    return exchange;
  }

  return {
    async view(actor: Actor, iisId: string): Promise<SiteView> {
      const { name, approved, exchange } = await site(actor, iisId);
      return {
        iisId, name, approved, exchange,
        roi: exchange ? (JSON.parse(exchange.roi) as Partial<RoiAnswers>) : {},
        queuePosition: exchange?.state === 'waiting' ? await exchanges.queuePosition(exchange) : null,
        history: exchange ? await enrollments.exchangeHistory(exchange.id) : [],
      };
    },

    /** The ROI form: once the site has an approved enrollment; changeable until the widget is activated. */
    async submitRoi(actor: Actor, iisId: string, roi: RoiAnswers): Promise<void> {
      requireOrganization(actor, iisId);
      const { approved, exchange } = await site(actor, iisId);
      if (!approved) throw new EnrollmentError('exchange.not_approved', 409);
      const now = clock.now();
      await unit(async () => {
        if (exchange) {
          if (!(await exchanges.updateRoi(exchange.id, JSON.stringify(roi), now))) throw new EnrollmentError('exchange.wrong_step', 409);
          await audit.record({ at: now, sub: actor.sub, action: 'exchange.roi.update', organization_iis_id: iisId, exchange_id: exchange.id });
          return;
        }
        // A second ROI racing this one hits the unique TX IIS ID: one exchange per site.
        const id = await exchanges.insert({ organization_iis_id: iisId, enrollment_id: approved.id, state: 'roi_submitted', roi: JSON.stringify(roi), queued_at: null, hl7_client_id: null, created_at: now, updated_at: now });
        await event(actor, id, null, 'roi_submitted');
        await audit.record({ at: now, sub: actor.sub, action: 'exchange.roi_submitted', organization_iis_id: iisId, exchange_id: id });
      });
    },

    activateWidget: (actor: Actor, iisId: string, comment?: string) => step(actor, iisId, 'roi_submitted', 'widget_active', 'state', comment || null).then(() => undefined),
    enterWaitingQueue: (actor: Actor, iisId: string) => step(actor, iisId, 'widget_active', 'waiting', 'site').then(() => undefined),

    async approveGoLive(actor: Actor, iisId: string, comment?: string): Promise<void> {
      const exchange = await step(actor, iisId, 'waiting', 'live', 'state', comment || null);
      const approved = await enrollments.lastApproved(iisId);
      if (!approved?.contact_email) return;
      try {
        await mailer.send({ to: approved.contact_email, ...goLiveMail({ name: approved.contact_name, siteName: approved.site_name, iisId, link: `${deps.appUrl}/sites/${iisId}` }) });
      } catch {
        log('warn', 'go-live mail not sent', { exchangeId: exchange.id });
      }
    },

    /** State staff: what waits for them, in order. */
    async stateQueues(actor: Actor): Promise<Record<'roi_submitted' | 'waiting' | 'widget_active', ExchangeRow[]>> {
      requireStateReviewer(actor);
      const [roi, active, waiting] = await Promise.all([exchanges.withState('roi_submitted'), exchanges.withState('widget_active'), exchanges.withState('waiting')]);
      return { roi_submitted: roi, widget_active: active, waiting };
    },

    /**
     * Connectivity and Transport, "Click to download": the site's production credentials, created
     * at the portal. The secret goes to the caller (the download) and nowhere else.
     */
    async issueCredentials(actor: Actor, iisId: string): Promise<Hl7Credential> {
      requireOrganization(actor, iisId);
      const { name, exchange } = await site(actor, iisId);
      if (exchange?.state !== 'live') throw new EnrollmentError('credentials.not_live', 409);
      if (exchange.hl7_client_id) throw new EnrollmentError('credentials.exist', 409);
      let created: Hl7Credential;
      try {
        created = await credentials.create({ iisId, name: `${name} HL7` });
      } catch (error) {
        log('error', 'HL7 credentials not created', { exchangeId: exchange.id, reason: (error as Error).message });
        throw new EnrollmentError('credentials.unavailable', 502);
      }
      const now = clock.now();
      // Of two downloads at once, the first recorded wins; the other's portal client stays unused.
      if (!(await exchanges.setClientId(exchange.id, created.clientId, now))) throw new EnrollmentError('credentials.exist', 409);
      await audit.record({ at: now, sub: actor.sub, action: 'credentials.issue', organization_iis_id: iisId, exchange_id: exchange.id });
      return created;
    },

    /** A new secret; the old one keeps working until the portal's `previousSecretExpiresAt`. */
    async rotateSecret(actor: Actor, iisId: string): Promise<{ clientId: string; rotated: RotatedSecret; listing: Record<string, unknown> | undefined }> {
      requireOrganization(actor, iisId);
      const { exchange } = await site(actor, iisId);
      if (!exchange?.hl7_client_id) throw new EnrollmentError('credentials.none', 409);
      let rotated: RotatedSecret;
      try {
        rotated = await credentials.rotate(exchange.hl7_client_id);
      } catch (error) {
        log('error', 'HL7 secret not rotated', { exchangeId: exchange.id, reason: (error as Error).message });
        throw new EnrollmentError('credentials.unavailable', 502);
      }
      await audit.record({ at: clock.now(), sub: actor.sub, action: 'credentials.rotate', organization_iis_id: iisId, exchange_id: exchange.id });
      // The token endpoint, resource and scope for the download, from the portal's listing (no secrets in it).
      const listing = await credentials.list(iisId).then((all) => all.find((c) => c.clientId === exchange.hl7_client_id), () => undefined);
      return { clientId: exchange.hl7_client_id, rotated, listing };
    },
  };
}

export type Exchanges = ReturnType<typeof createExchanges>;
