import { html, type SafeHtml } from '@portal/common';
import { reasonCodes, type ReasonCode } from '../libraries/administration/reasons.js';
import { t } from '../locales/consoles.js';

/** What a form shows again after a refusal: the person's own input. */
export type ReasonValues = Record<string, string | string[] | undefined>;

const value = (values: ReasonValues | undefined, name: string): string => {
  const v = values?.[name];
  return typeof v === 'string' ? v : '';
};

/** The reason every change needs (issue #8): a code from the list, why in words, an optional ticket. */
export function reasonFields(values: ReasonValues | undefined): SafeHtml {
  return html`<fieldset class="question"><legend>${t('consoles.reason.legend')}</legend>
    <label class="usa-label" for="reason_code">${t('consoles.reason.label')}</label>
    <select class="usa-select" id="reason_code" name="reason_code" required><option value="">${t('consoles.reason.choose')}</option>${(Object.keys(reasonCodes) as ReasonCode[]).map(
      (code) => html`<option value="${code}"${value(values, 'reason_code') === code ? html` selected` : ''}>${t(`reasons.${code}`)}</option>`,
    )}</select>
    <label class="usa-label" for="reason">${t('consoles.reason.why')}</label>
    <input class="usa-input" id="reason" name="reason" type="text" minlength="10" maxlength="500" required value="${value(values, 'reason')}">
    <label class="usa-label" for="ticket">${t('consoles.reason.ticket')}</label>
    <input class="usa-input" id="ticket" name="ticket" type="text" maxlength="40" value="${value(values, 'ticket')}">
  </fieldset>`;
}
