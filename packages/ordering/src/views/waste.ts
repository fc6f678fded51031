import { formatDate, html, type OrgAccess, type SafeHtml } from '@portal/rp-kit';
import { wasteReasons } from '../data/catalogue.js';
import { t } from '../locales.js';
import type { LotRow } from '../queries/inventory.js';
import { selectField, textField } from './forms.js';
import { errorSummary } from './layout.js';

export function wastePage(p: { org: OrgAccess; lots: LotRow[]; csrf: SafeHtml; values: Record<string, string>; errors: Record<string, string>; notice?: string }): SafeHtml {
  return html`<h1>${t('waste.heading', { org: p.org.name })}</h1>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
${errorSummary(p.errors)}
${p.lots.length
    ? html`<form method="post" action="/waste" novalidate>
  ${p.csrf}
  ${selectField({ id: 'lot', label: t('waste.lot'), required: true, value: p.values.lot, error: p.errors.lot, options: [['', t('waste.chooseLot')], ...p.lots.map((l) => [String(l.id), t('waste.lotOption', { tradeName: l.trade_name, lot: l.lot, expires: formatDate(l.expires_on), doses: l.on_hand })] as const)] })}
  ${selectField({ id: 'reason', label: t('waste.reason'), required: true, value: p.values.reason, error: p.errors.reason, options: [['', t('waste.chooseReason')], ...wasteReasons.map((reason) => [reason, t(`reasons.${reason}`)] as const)] })}
  ${textField({ id: 'doses', label: t('waste.doses'), hint: t('waste.dosesHint'), required: true, value: p.values.doses, error: p.errors.doses, inputmode: 'numeric', maxlength: 6 })}
  <button class="usa-button" type="submit">${t('waste.submit')}</button>
</form>`
    : html`<p>${t('waste.nothing')}</p>`}`;
}
