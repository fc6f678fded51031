import { coordinatorLabel, html, type OrgAccess, type SafeHtml } from '@portal/rp-kit';
import type { LotRow } from '../queries/inventory.js';
import type { OrderRow } from '../queries/orders.js';
import { ordersTable } from './orders.js';

export function homePage(p: { name: string; org: OrgAccess; lots: LotRow[]; orders: OrderRow[]; today: string }): SafeHtml {
  const byVaccine = new Map<string, number>();
  for (const lot of p.lots) byVaccine.set(`${lot.trade_name} — ${lot.vaccine}`, (byVaccine.get(`${lot.trade_name} — ${lot.vaccine}`) ?? 0) + lot.on_hand);
  const soon = p.lots.filter((l) => l.on_hand > 0 && l.expires_on <= addDays(p.today, 30));
  return html`<h1 id="home-title">VAOS</h1>
<p>Welcome, ${p.name}. You are the ${coordinatorLabel(p.org.coordinator) ?? 'Vaccine Coordinator'} of ${p.org.name} (TX IIS ID ${p.org.iis_id}).</p>
<section aria-labelledby="inventory-summary"><h2 id="inventory-summary">Inventory</h2>
${byVaccine.size
    ? html`<table class="usa-table usa-table--stacked data"><thead><tr><th scope="col">Vaccine</th><th scope="col">Doses on hand</th></tr></thead><tbody>${[...byVaccine].map(([v, n]) => html`<tr><td>${v}</td><td class="number">${String(n)}</td></tr>`)}</tbody></table>`
    : html`<p>No vaccine in inventory.</p>`}
${soon.length ? html`<p class="warning">Expiring within 30 days: ${soon.map((l) => `${l.trade_name} lot ${l.lot} (${l.expires_on})`).join(', ')}.</p>` : ''}
<p><a href="/inventory">All lots</a> · <a href="/waste/new">Report wasted doses</a></p></section>
<section aria-labelledby="recent-orders"><h2 id="recent-orders">Recent orders</h2>
${ordersTable(p.orders)}
<p><a class="usa-button" href="/orders/new">Place an order</a></p></section>`;
}

export function choosePage(p: { orgs: OrgAccess[]; csrf: SafeHtml }): SafeHtml {
  return html`<section class="card" aria-labelledby="choose-title">
<h1 id="choose-title">Choose an organization</h1>
<p>You coordinate vaccines for more than one organization. Which one are you working for?</p>
<table class="usa-table usa-table--stacked data"><thead><tr><th scope="col">Organization</th><th scope="col">Your role</th><th scope="col"></th></tr></thead>
<tbody>${p.orgs.map((o) => html`<tr><td>${o.name} (${o.code})</td><td>${coordinatorLabel(o.coordinator) ?? ''}</td><td><form method="post" action="/choose">${p.csrf}<button class="usa-button" type="submit" name="org" value="${o.iis_id}" aria-label="Select ${o.name}">Select</button></form></td></tr>`)}</tbody></table>
</section>`;
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
