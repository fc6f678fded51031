import { html, type OrgAccess, type SafeHtml } from '@portal/rp-kit';
import { wasteReasons } from '../data/catalogue.js';
import type { LotRow } from '../queries/inventory.js';
import { selectField, textField } from './forms.js';
import { errorSummary } from './layout.js';

export function wastePage(p: { org: OrgAccess; lots: LotRow[]; csrf: SafeHtml; values: Record<string, string>; errors: Record<string, string>; notice?: string }): SafeHtml {
  return html`<h1>Report wasted doses for ${p.org.name}</h1>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
${errorSummary(p.errors)}
${p.lots.length
    ? html`<form method="post" action="/waste" novalidate>
  ${p.csrf}
  ${selectField({ id: 'lot', label: 'Lot', required: true, value: p.values.lot, error: p.errors.lot, options: [['', 'Choose a lot'], ...p.lots.map((l) => [String(l.id), `${l.trade_name} lot ${l.lot}, expires ${l.expires_on} (${l.on_hand} doses on hand)`] as const)] })}
  ${selectField({ id: 'reason', label: 'Reason', required: true, value: p.values.reason, error: p.errors.reason, options: [['', 'Choose a reason'], ...Object.entries(wasteReasons)] })}
  ${textField({ id: 'doses', label: 'Number of doses wasted', hint: 'Doses, not packages', required: true, value: p.values.doses, error: p.errors.doses, inputmode: 'numeric', maxlength: 6 })}
  <button class="usa-button" type="submit">Report wasted doses</button>
</form>`
    : html`<p>There is nothing in inventory to report as wasted.</p>`}`;
}
