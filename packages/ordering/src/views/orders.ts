import { formatDate, formatDateTime, html, type OrgAccess, type SafeHtml } from '@portal/rp-kit';
import { number, t } from '../locales.js';
import type { CatalogueItem } from '../queries/catalogue.js';
import type { OrderRow, OrderStatus } from '../queries/orders.js';
import type { LotRow } from '../queries/inventory.js';
import type { OrderView } from '../libraries/orders.js';
import { maxPackagesPerLine } from '../libraries/input.js';
import { textField } from './forms.js';
import { errorSummary } from './layout.js';

/** An order's status as the page's reader reads it ("Submitted", "Enviado"). */
export const statusLabel = (status: OrderStatus): string => t(`status.${status}`);

export function ordersTable(orders: OrderRow[], options: { withOrg?: boolean } = {}): SafeHtml {
  if (!orders.length) return html`<p>${t('orders.none')}</p>`;
  return html`<table class="usa-table usa-table--stacked data">
  <thead><tr><th scope="col">${t('columns.order')}</th>${options.withOrg ? html`<th scope="col">${t('columns.organization')}</th>` : ''}<th scope="col">${t('columns.placed')}</th><th scope="col">${t('columns.status')}</th></tr></thead>
  <tbody>${orders.map((o) => html`<tr><td><a href="/orders/${String(o.id)}">${t('orders.orderNumber', { id: String(o.id) })}</a></td>${options.withOrg ? html`<td>${o.org_name}</td>` : ''}<td>${formatDateTime(o.placed_at)}</td><td><span class="status status-${o.status}">${statusLabel(o.status)}</span></td></tr>`)}</tbody>
</table>`;
}

export function cataloguePage(items: CatalogueItem[]): SafeHtml {
  return html`<h1>${t('catalogue.heading')}</h1>
<p>${t('catalogue.intro')}</p>
<table class="usa-table usa-table--stacked data">
  <thead><tr><th scope="col">${t('columns.vaccine')}</th><th scope="col">${t('columns.tradeName')}</th><th scope="col">${t('columns.manufacturer')}</th><th scope="col">NDC</th><th scope="col">${t('columns.dosesPerPackage')}</th></tr></thead>
  <tbody>${items.map((i) => html`<tr><td>${i.vaccine} (CVX ${i.cvx})</td><td>${i.trade_name}</td><td>${i.manufacturer}</td><td>${i.ndc}</td><td>${String(i.doses_per_package)}</td></tr>`)}</tbody>
</table>`;
}

export function newOrderPage(p: { org: OrgAccess; items: CatalogueItem[]; csrf: SafeHtml; values: Record<string, string>; errors: Record<string, string> }): SafeHtml {
  return html`<h1>${t('newOrder.heading', { org: p.org.name })}</h1>
${errorSummary(p.errors)}
<form method="post" action="/orders" novalidate>
  ${p.csrf}
  <input type="hidden" name="org" value="${p.org.iis_id}">
  <p id="form">${t('newOrder.introBefore')} <strong>${t('newOrder.introPackages')}</strong> ${t('newOrder.introAfter', { max: number(maxPackagesPerLine) })}</p>
  <fieldset><legend>${t('newOrder.vaccines')}</legend>
  ${p.items.map((i) =>
    textField({ id: `qty-${i.ndc}`, label: `${i.trade_name} — ${i.vaccine}`, hint: t('newOrder.hint', { ndc: i.ndc, doses: i.doses_per_package }), value: p.values[`qty-${i.ndc}`], error: p.errors[`qty-${i.ndc}`], inputmode: 'numeric', maxlength: 6 }),
  )}
  </fieldset>
  <button class="usa-button" type="submit">${t('newOrder.submit')}</button>
</form>`;
}

export function orderPage(p: { view: OrderView; csrf: SafeHtml; canReceive: boolean; canCancel: boolean; stateSteps: ('approved' | 'rejected' | 'shipped')[]; values: Record<string, string>; errors: Record<string, string>; notice?: string }): SafeHtml {
  const { order, lines, history } = p.view;
  const labels = { approved: 'order.approve', rejected: 'order.reject', shipped: 'order.ship' } as const;
  return html`<h1>${t('orders.orderNumber', { id: String(order.id) })}</h1>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
${errorSummary(p.errors)}
<dl class="facts"><div><dt>${t('columns.organization')}</dt><dd>${order.org_name}</dd></div><div><dt>${t('columns.status')}</dt><dd><span class="status status-${order.status}">${statusLabel(order.status)}</span></dd></div><div><dt>${t('columns.placed')}</dt><dd>${formatDateTime(order.placed_at)}</dd></div></dl>
<h2>${t('order.lines')}</h2>
<table class="usa-table usa-table--stacked data">
  <thead><tr><th scope="col">${t('columns.vaccine')}</th><th scope="col">NDC</th><th scope="col">${t('columns.packages')}</th><th scope="col">${t('columns.doses')}</th></tr></thead>
  <tbody>${lines.map((l) => html`<tr><td>${l.trade_name} — ${l.vaccine}</td><td>${l.ndc}</td><td>${String(l.packages)}</td><td>${String(l.packages * l.doses_per_package)}</td></tr>`)}</tbody>
</table>
${p.canReceive
    ? html`<h2>${t('order.receive')}</h2>
<form method="post" action="/orders/${String(order.id)}/receive" novalidate>
  ${p.csrf}
  ${lines.map((l) => html`<fieldset><legend>${t('order.lineLegend', { tradeName: l.trade_name, ndc: l.ndc, doses: String(l.packages * l.doses_per_package) })}</legend>
  ${textField({ id: `lot-${l.id}`, label: t('order.lotNumber'), value: p.values[`lot-${l.id}`], error: p.errors[`lot-${l.id}`], required: true, maxlength: 30 })}
  ${textField({ id: `expiry-${l.id}`, label: t('order.expiryDate'), hint: t('order.expiryHint'), value: p.values[`expiry-${l.id}`], error: p.errors[`expiry-${l.id}`], required: true, maxlength: 10 })}
  </fieldset>`)}
  <button class="usa-button" type="submit">${t('order.addToInventory')}</button>
</form>`
    : ''}
${p.stateSteps.length || p.canCancel
    ? html`<h2>${t('order.nextStep')}</h2>
<form method="post" action="/orders/${String(order.id)}/status" novalidate>
  ${p.csrf}
  ${textField({ id: 'comment', label: t('order.comment'), value: p.values.comment, error: p.errors.comment, maxlength: 500 })}
  ${p.stateSteps.map((s) => html`<button class="usa-button" type="submit" name="to" value="${s}">${t(labels[s])}</button> `)}
  ${p.canCancel ? html`<button class="usa-button usa-button--outline" type="submit" name="to" value="cancelled">${t('order.cancel')}</button>` : ''}
</form>`
    : ''}
<h2>${t('order.history')}</h2>
<ol class="history">${history.map((e) => html`<li><strong>${statusLabel(e.to_status)}</strong> ${t('order.by', { name: e.by_name, at: formatDateTime(e.at) })}${e.comment ? html` — “${e.comment}”` : ''}</li>`)}</ol>`;
}

export function lotsTable(lots: LotRow[]): SafeHtml {
  if (!lots.length) return html`<p>${t('inventory.none')}</p>`;
  return html`<table class="usa-table usa-table--stacked data">
  <thead><tr><th scope="col">${t('columns.vaccine')}</th><th scope="col">NDC</th><th scope="col">${t('columns.lot')}</th><th scope="col">${t('columns.expiry')}</th><th scope="col">${t('columns.dosesOnHand')}</th></tr></thead>
  <tbody>${lots.map((l) => html`<tr><td>${l.trade_name} — ${l.vaccine}</td><td>${l.ndc}</td><td>${l.lot}</td><td>${formatDate(l.expires_on)}</td><td class="number">${String(l.on_hand)}</td></tr>`)}</tbody>
</table>`;
}
