import { html, type OrgAccess, type SafeHtml } from '@portal/rp-kit';
import type { CatalogueItem } from '../queries/catalogue.js';
import type { OrderRow, OrderStatus } from '../queries/orders.js';
import type { LotRow } from '../queries/inventory.js';
import type { OrderView } from '../libraries/orders.js';
import { maxPackagesPerLine } from '../libraries/input.js';
import { textField } from './forms.js';
import { errorSummary } from './layout.js';

export const statusLabels: Record<OrderStatus, string> = { submitted: 'Submitted', approved: 'Approved', shipped: 'Shipped', received: 'Received', rejected: 'Rejected', cancelled: 'Cancelled' };
export const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

export function ordersTable(orders: OrderRow[], options: { withOrg?: boolean } = {}): SafeHtml {
  if (!orders.length) return html`<p>No orders yet.</p>`;
  return html`<table class="usa-table usa-table--stacked data">
  <thead><tr><th scope="col">Order</th>${options.withOrg ? html`<th scope="col">Organization</th>` : ''}<th scope="col">Placed</th><th scope="col">Status</th></tr></thead>
  <tbody>${orders.map((o) => html`<tr><td><a href="/orders/${String(o.id)}">Order ${String(o.id)}</a></td>${options.withOrg ? html`<td>${o.org_name}</td>` : ''}<td>${when(o.placed_at)}</td><td><span class="status status-${o.status}">${statusLabels[o.status]}</span></td></tr>`)}</tbody>
</table>`;
}

export function cataloguePage(items: CatalogueItem[]): SafeHtml {
  return html`<h1>Vaccine catalogue</h1>
<p>What you can order, in whole packages.</p>
<table class="usa-table usa-table--stacked data">
  <thead><tr><th scope="col">Vaccine</th><th scope="col">Trade name</th><th scope="col">Manufacturer</th><th scope="col">NDC</th><th scope="col">Doses per package</th></tr></thead>
  <tbody>${items.map((i) => html`<tr><td>${i.vaccine} (CVX ${i.cvx})</td><td>${i.trade_name}</td><td>${i.manufacturer}</td><td>${i.ndc}</td><td>${String(i.doses_per_package)}</td></tr>`)}</tbody>
</table>`;
}

export function newOrderPage(p: { org: OrgAccess; items: CatalogueItem[]; csrf: SafeHtml; values: Record<string, string>; errors: Record<string, string> }): SafeHtml {
  return html`<h1>New order for ${p.org.name}</h1>
${errorSummary(p.errors)}
<form method="post" action="/orders" novalidate>
  ${p.csrf}
  <input type="hidden" name="org" value="${p.org.iis_id}">
  <p id="form">Enter the number of <strong>packages</strong> for each vaccine you need (1 to ${String(maxPackagesPerLine)}); leave the others empty.</p>
  <fieldset><legend>Vaccines</legend>
  ${p.items.map((i) =>
    textField({ id: `qty-${i.ndc}`, label: `${i.trade_name} — ${i.vaccine}`, hint: `NDC ${i.ndc}, ${i.doses_per_package} doses per package`, value: p.values[`qty-${i.ndc}`], error: p.errors[`qty-${i.ndc}`], inputmode: 'numeric', maxlength: 6 }),
  )}
  </fieldset>
  <button class="usa-button" type="submit">Submit order</button>
</form>`;
}

export function orderPage(p: { view: OrderView; csrf: SafeHtml; canReceive: boolean; canCancel: boolean; stateSteps: ('approved' | 'rejected' | 'shipped')[]; values: Record<string, string>; errors: Record<string, string>; notice?: string }): SafeHtml {
  const { order, lines, history } = p.view;
  const labels = { approved: 'Approve', rejected: 'Reject', shipped: 'Mark shipped' } as const;
  return html`<h1>Order ${String(order.id)}</h1>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
${errorSummary(p.errors)}
<dl class="facts"><div><dt>Organization</dt><dd>${order.org_name}</dd></div><div><dt>Status</dt><dd><span class="status status-${order.status}">${statusLabels[order.status]}</span></dd></div><div><dt>Placed</dt><dd>${when(order.placed_at)}</dd></div></dl>
<h2>Lines</h2>
<table class="usa-table usa-table--stacked data">
  <thead><tr><th scope="col">Vaccine</th><th scope="col">NDC</th><th scope="col">Packages</th><th scope="col">Doses</th></tr></thead>
  <tbody>${lines.map((l) => html`<tr><td>${l.trade_name} — ${l.vaccine}</td><td>${l.ndc}</td><td>${String(l.packages)}</td><td>${String(l.packages * l.doses_per_package)}</td></tr>`)}</tbody>
</table>
${p.canReceive
    ? html`<h2>Receive the shipment</h2>
<form method="post" action="/orders/${String(order.id)}/receive" novalidate>
  ${p.csrf}
  ${lines.map((l) => html`<fieldset><legend>${l.trade_name} (${l.ndc}), ${String(l.packages * l.doses_per_package)} doses</legend>
  ${textField({ id: `lot-${l.id}`, label: 'Lot number', value: p.values[`lot-${l.id}`], error: p.errors[`lot-${l.id}`], required: true, maxlength: 30 })}
  ${textField({ id: `expiry-${l.id}`, label: 'Expiry date', hint: 'YYYY-MM-DD, as printed on the package', value: p.values[`expiry-${l.id}`], error: p.errors[`expiry-${l.id}`], required: true, maxlength: 10 })}
  </fieldset>`)}
  <button class="usa-button" type="submit">Add to inventory</button>
</form>`
    : ''}
${p.stateSteps.length || p.canCancel
    ? html`<h2>Next step</h2>
<form method="post" action="/orders/${String(order.id)}/status" novalidate>
  ${p.csrf}
  ${textField({ id: 'comment', label: 'Comment (optional)', value: p.values.comment, error: p.errors.comment, maxlength: 500 })}
  ${p.stateSteps.map((s) => html`<button class="usa-button" type="submit" name="to" value="${s}">${labels[s]}</button> `)}
  ${p.canCancel ? html`<button class="usa-button usa-button--outline" type="submit" name="to" value="cancelled">Cancel order</button>` : ''}
</form>`
    : ''}
<h2>History</h2>
<ol class="history">${history.map((e) => html`<li><strong>${statusLabels[e.to_status]}</strong> by ${e.by_name}, ${when(e.at)}${e.comment ? html` — “${e.comment}”` : ''}</li>`)}</ol>`;
}

export function lotsTable(lots: LotRow[]): SafeHtml {
  if (!lots.length) return html`<p>No vaccine in inventory.</p>`;
  return html`<table class="usa-table usa-table--stacked data">
  <thead><tr><th scope="col">Vaccine</th><th scope="col">NDC</th><th scope="col">Lot</th><th scope="col">Expiry</th><th scope="col">Doses on hand</th></tr></thead>
  <tbody>${lots.map((l) => html`<tr><td>${l.trade_name} — ${l.vaccine}</td><td>${l.ndc}</td><td>${l.lot}</td><td>${l.expires_on}</td><td class="number">${String(l.on_hand)}</td></tr>`)}</tbody>
</table>`;
}
