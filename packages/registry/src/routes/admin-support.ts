import express, { type Router } from 'express';
import { html, type SafeHtml } from '@portal/rp-kit';
import { requireCapability } from '../libraries/access.js';
import { RegistryError } from '../libraries/errors.js';
import type { ReferenceQueries } from '../queries/reference.js';
import { actorOf, renderWorkspace, requireWorkspace, type Context } from './context.js';

/**
 * Admin support (seed 000): "five information tables that display vaccine, trade name, and
 * manufacturer data used in the system" — read-only for every role.
 */
export function createAdminSupportRoutes(deps: Context & { reference: ReferenceQueries }): Router {
  const { reference } = deps;
  const router = express.Router();
  const guard = requireWorkspace(deps);

  type Cell = string | number | null;
  const tables: Record<string, { title: string; columns: string[]; rows: () => Promise<Cell[][]> }> = {
    vaccines: {
      title: 'Vaccines (CVX)',
      columns: ['CVX', 'Vaccine', 'Full name', 'Vaccine groups', 'Status'],
      rows: async () => (await reference.vaccines()).map((v) => [v.cvx, v.short_name, v.full_name, v.groups.split(' ').join(', '), v.status]),
    },
    'trade-names': {
      title: 'Trade names',
      columns: ['Trade name', 'CVX', 'Vaccine', 'MVX', 'Manufacturer'],
      rows: async () => ((await reference.tradeNames()) as { name: string; cvx: string; vaccine: string; mvx: string; manufacturer: string }[]).map((t) => [t.name, t.cvx, t.vaccine, t.mvx, t.manufacturer]),
    },
    manufacturers: {
      title: 'Manufacturers (MVX)',
      columns: ['MVX', 'Manufacturer', 'Status'],
      rows: async () => ((await reference.manufacturers()) as { mvx: string; name: string; status: string }[]).map((m) => [m.mvx, m.name, m.status]),
    },
    'ndc-codes': {
      title: 'NDC codes',
      columns: ['NDC', 'Trade name', 'CVX', 'Vaccine', 'MVX', 'Doses per package'],
      rows: async () => ((await reference.ndcCodes()) as { ndc: string; trade_name: string; cvx: string; vaccine: string; mvx: string; doses_per_package: number }[]).map((n) => [n.ndc, n.trade_name, n.cvx, n.vaccine, n.mvx, n.doses_per_package]),
    },
    'vaccine-groups': {
      title: 'Vaccine groups',
      columns: ['Code', 'Vaccine group'],
      rows: async () => ((await reference.vaccineGroups()) as { code: string; label: string }[]).map((g) => [g.code, g.label]),
    },
  };

  const tabs = (current: string): SafeHtml => html`<nav class="tabs" aria-label="Information tables">
  ${Object.entries(tables).map(([key, t]) => html`<a href="/admin-support/${key}"${key === current ? html` aria-current="page"` : ''}>${t.title}</a>`)}
</nav>`;

  router.get('/admin-support', ...guard, (_req, res) => res.redirect(302, '/admin-support/vaccines'));
  router.get('/admin-support/:table', ...guard, async (req, res) => {
    requireCapability(actorOf(res), 'clients:view');
    const key = String(req.params.table);
    const table = Object.hasOwn(tables, key) ? tables[key] : undefined;
    if (!table) throw new RegistryError('client.not_found', 404, 'There is no information table with that name.');
    const rows = await table.rows();
    renderWorkspace(deps, res, {
      title: table.title,
      current: '/admin-support',
      body: html`<h1>Admin support</h1>
${tabs(key)}
<table class="usa-table usa-table--stacked responsive">
  <caption>${table.title}: ${rows.length} rows</caption>
  <thead><tr>${table.columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
  <tbody>${rows.map((r) => html`<tr>${r.map((cell, i) => html`<td data-label="${table.columns[i]}">${cell ?? ''}</td>`)}</tr>`)}</tbody>
</table>`,
    });
  });
  return router;
}
