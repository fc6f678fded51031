import express, { type Router } from 'express';
import type { ClientRecords } from '../libraries/client-records.js';
import type { AuditQueries } from '../queries/audit.js';
import { officialRecordHtml, renderOfficialRecordPdf, type OfficialRecordInput } from '../official-record/index.js';
import { actorOf, renderWorkspace, requireWorkspace, type Context } from './context.js';
import type { Clock } from '@portal/rp-kit';

/** The Official Immunization Record (seed 000): a real PDF, and a page made for printing. */
export function createOfficialRecordRoutes(deps: Context & {
  records: ClientRecords;
  audit: AuditQueries;
  clock: Clock;
  timeZone: string;
  recommendedFor: (record: Awaited<ReturnType<ClientRecords['record']>>, today: string) => OfficialRecordInput['recommended'];
  today: () => string;
}): Router {
  const { records, audit, clock } = deps;
  const router = express.Router();
  const guard = requireWorkspace(deps);

  async function input(actor: ReturnType<typeof actorOf>, registryId: string): Promise<OfficialRecordInput> {
    const record = await records.record(actor, registryId);
    const addresses = (await records.demographics(actor, registryId)).addresses as { line1: string; line2: string | null; city: string; state: string; zip: string; current: unknown }[];
    const current = addresses.find((a) => a.current);
    const c = record.client;
    // Printing a record is a disclosure: the trail says who printed whose.
    await audit.record({ at: clock.now(), sub: actor.sub, organization_id: actor.org.iis_id, action: 'record.print', client_id: c.id });
    return {
      client: {
        registryId: c.registry_id, firstName: c.first_name, middleName: c.middle_name, lastName: c.last_name, suffix: c.suffix, birthDate: c.birth_date, sex: c.sex,
        address: current ? { line1: current.line1, line2: current.line2, city: current.city, state: current.state, zip: current.zip } : null,
      },
      doses: record.doses.map((d) => ({
        date: d.given_on, vaccineGroup: d.groups.split(' ')[0] ?? '', vaccine: d.vaccine, cvx: d.cvx, tradeName: d.trade_name, manufacturer: d.manufacturer, lot: d.lot, historical: d.historical, recordedBy: d.organization_name,
      })),
      recommended: deps.recommendedFor(record, deps.today()),
      issuedBy: { organization: actor.org.name, person: actor.name },
      issuedAt: new Date(clock.now()),
      timeZone: deps.timeZone,
    };
  }

  router.get('/clients/:registryId/official-record.pdf', ...guard, async (req, res) => {
    const pdf = await renderOfficialRecordPdf(await input(actorOf(res), String(req.params.registryId)));
    res.type('application/pdf').set('content-disposition', 'inline; filename="official-immunization-record.pdf"').send(pdf);
  });

  router.get('/clients/:registryId/official-record', ...guard, async (req, res) => {
    const registryId = String(req.params.registryId);
    const body = officialRecordHtml(await input(actorOf(res), registryId), { pdfHref: `/clients/${registryId}/official-record.pdf` });
    renderWorkspace(deps, res, { title: 'Official Immunization Record', current: '/clients/search', body });
  });

  return router;
}
