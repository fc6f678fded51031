import { coordinatorLabel, formatDate, html, type OrgAccess, type SafeHtml } from '@portal/rp-kit';
import { t } from '../locales.js';
import type { LotRow } from '../queries/inventory.js';
import type { OrderRow } from '../queries/orders.js';
import { ordersTable } from './orders.js';

export function homePage(p: { name: string; org: OrgAccess; lots: LotRow[]; orders: OrderRow[]; today: string }): SafeHtml {
  const byVaccine = new Map<string, number>();
  for (const lot of p.lots) byVaccine.set(`${lot.trade_name} — ${lot.vaccine}`, (byVaccine.get(`${lot.trade_name} — ${lot.vaccine}`) ?? 0) + lot.on_hand);
  const soon = p.lots.filter((l) => l.on_hand > 0 && l.expires_on <= addDays(p.today, 30));
  return html`<h1 id="home-title">VAOS</h1>
<p>${t('home.welcome', { name: p.name, role: coordinatorLabel(p.org.coordinator) ?? t('vaccineCoordinator'), org: p.org.name, iisId: p.org.iis_id })}</p>
<section aria-labelledby="inventory-summary"><h2 id="inventory-summary">${t('home.inventory')}</h2>
${byVaccine.size
    ? html`<table class="usa-table usa-table--stacked data"><thead><tr><th scope="col">${t('columns.vaccine')}</th><th scope="col">${t('columns.dosesOnHand')}</th></tr></thead><tbody>${[...byVaccine].map(([v, n]) => html`<tr><td>${v}</td><td class="number">${String(n)}</td></tr>`)}</tbody></table>`
    : html`<p>${t('inventory.none')}</p>`}
${soon.length ? html`<p class="warning">${t('home.expiring', { lots: soon.map((l) => t('home.expiringLot', { tradeName: l.trade_name, lot: l.lot, expires: formatDate(l.expires_on) })).join(', ') })}</p>` : ''}
<p><a href="/inventory">${t('home.allLots')}</a> · <a href="/waste/new">${t('waste.title')}</a></p></section>
<section aria-labelledby="recent-orders"><h2 id="recent-orders">${t('home.recentOrders')}</h2>
${ordersTable(p.orders)}
<p><a class="usa-button" href="/orders/new">${t('orders.place')}</a></p></section>`;
}

export function choosePage(p: { orgs: OrgAccess[]; csrf: SafeHtml }): SafeHtml {
  return html`<section class="card" aria-labelledby="choose-title">
<h1 id="choose-title">${t('choose.title')}</h1>
<p>${t('choose.intro')}</p>
<table class="usa-table usa-table--stacked data"><thead><tr><th scope="col">${t('columns.organization')}</th><th scope="col">${t('choose.yourRole')}</th><th scope="col"></th></tr></thead>
<tbody>${p.orgs.map((o) => html`<tr><td>${o.name} (${o.code})</td><td>${coordinatorLabel(o.coordinator) ?? ''}</td><td><form method="post" action="/choose">${p.csrf}<button class="usa-button" type="submit" name="org" value="${o.iis_id}" aria-label="${t('choose.selectOrg', { org: o.name })}">${t('choose.select')}</button></form></td></tr>`)}</tbody></table>
</section>`;
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
