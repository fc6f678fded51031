import express, { type Request, type Response, type Router } from 'express';
import { toCsv, type CsvCell } from '../libraries/csv.js';
import { RegistryError } from '../libraries/errors.js';
import { parseReportPeriod } from '../libraries/report-dates.js';
import type { Reports } from '../libraries/reports.js';
import { usDate } from '../search/dates.js';
import {
  activityHeader, activityRow, clientReportHeader, clientReportPage, clientReportRow, groupHeader, groupRow, organizationHeader, organizationRow, organizationsPage, reportsPage,
} from '../views/reports.js';
import { actorOf, csrfField, formPost, renderWorkspace, requireWorkspace, type Context } from './context.js';

/**
 * A CSV download. The UTF-8 byte order mark makes spreadsheets read "Nuñez" as written; no-store
 * keeps client data out of shared caches; the file name is ours, never from the request.
 */
export function sendCsv(res: Response, fileName: string, header: string[], rows: CsvCell[][]): void {
  res
    .status(200)
    .type('text/csv; charset=utf-8')
    .set('content-disposition', `attachment; filename="${fileName}"`)
    .set('cache-control', 'no-store')
    .send(`\uFEFF${toCsv(header, rows)}`);
}

const queryText = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Reports (seed 000: "Generate specific reports") and Organization information. */
export function createReportRoutes(deps: Context & { reports: Reports; today: () => string }): Router {
  const { reports } = deps;
  const router = express.Router();
  const guard = requireWorkspace(deps);

  /** The period of the query string, or the page again with what to correct (400). */
  function periodOf(req: Request, res: Response) {
    const values = { from: queryText(req.query.from), to: queryText(req.query.to) };
    const parsed = parseReportPeriod(values, deps.today());
    if ('errors' in parsed) {
      renderWorkspace(deps, res, { status: 400, title: 'Error: Reports', current: '/reports', body: reportsPage({ scope: reports.scopeOf(actorOf(res)), values, errors: parsed.errors }) });
      return undefined;
    }
    return parsed.period;
  }

  router.get('/reports', ...guard, async (req, res) => {
    const actor = actorOf(res);
    const client = queryText(req.query.client);
    if (client !== undefined) {
      const report = await reports.clientReport(actor, client.trim());
      const c = report.record.client;
      return renderWorkspace(deps, res, { title: `Immunization report: ${c.first_name} ${c.last_name}`, current: '/reports', body: clientReportPage(report, csrfField(res)) });
    }
    // The role is checked before the dates are read: a View Only user learns nothing from the form.
    reports.scopeOf(actor);
    const period = periodOf(req, res);
    if (!period) return;
    const report = await reports.activity(actor, period);
    renderWorkspace(deps, res, { title: 'Reports', current: '/reports', body: reportsPage({ scope: report.scope, values: { from: usDate(period.from), to: usDate(period.to) }, errors: {}, report }) });
  });

  router.get('/reports/organizations.csv', ...guard, async (req, res) => {
    reports.scopeOf(actorOf(res));
    const period = periodOf(req, res);
    if (!period) return;
    const report = await reports.activity(actorOf(res), period);
    sendCsv(res, `doses-by-organization-${period.from}-to-${period.to}.csv`, activityHeader, report.organizations.map(activityRow));
  });

  router.get('/reports/vaccine-groups.csv', ...guard, async (req, res) => {
    reports.scopeOf(actorOf(res));
    const period = periodOf(req, res);
    if (!period) return;
    const report = await reports.activity(actorOf(res), period);
    sendCsv(res, `doses-by-vaccine-group-${period.from}-to-${period.to}.csv`, groupHeader, report.groups.map(groupRow));
  });

  // A client's data leaving the registry: a POST (CSRF-checked), audited by the library.
  router.post(
    '/reports/client.csv',
    ...guard,
    ...formPost(deps, async (_req, res, body) => {
      const report = await reports.exportClientReport(actorOf(res), (body.client ?? '').trim());
      sendCsv(res, `immunization-report-${report.record.client.registry_id}.csv`, clientReportHeader, report.groups.map(clientReportRow));
    }),
  );

  // --- Organization information (Modified Access Sub-state and above) ----------------------------
  const regionOptions: readonly (readonly [string, string])[] = [['', 'All regions'], ...Array.from({ length: 11 }, (_, i) => [String(i + 1), `Health Service Region ${i + 1}`] as const), ['none', 'No region on file']];

  /** `?region=` of a State user: 1–11, "none" (organizations without one), or all; anything else is refused. */
  function regionFilterOf(value: string | undefined): { region?: number | null } | undefined {
    if (value === undefined || value === '') return {};
    if (value === 'none') return { region: null };
    return /^(?:[1-9]|1[01])$/.test(value) ? { region: Number(value) } : undefined;
  }

  async function organizations(req: Request, res: Response) {
    const actor = actorOf(res);
    const text = queryText(req.query.region);
    const filter = regionFilterOf(text);
    const result = await reports.organizations(actor, filter ?? {});
    const stateWide = result.scope.kind === 'state';
    return { result, stateWide, filter, text };
  }

  router.get('/organizations', ...guard, async (req, res) => {
    const { result, stateWide, filter, text } = await organizations(req, res);
    renderWorkspace(deps, res, {
      status: stateWide && !filter ? 400 : 200,
      title: stateWide && !filter ? 'Error: Organizations' : 'Organizations',
      current: '/organizations',
      body: organizationsPage({
        ...result,
        ...(stateWide ? { regionOptions, regionFilter: filter && text ? text : undefined } : {}),
        error: stateWide && !filter ? 'Choose a Health Service Region from the list.' : undefined,
      }),
    });
  });

  router.get('/organizations.csv', ...guard, async (req, res) => {
    const { result, stateWide, filter } = await organizations(req, res);
    if (stateWide && !filter) throw new RegistryError('form.invalid', 400, 'Choose a Health Service Region from the list.');
    sendCsv(res, 'organizations.csv', organizationHeader, result.organizations.map(organizationRow));
  });

  return router;
}
