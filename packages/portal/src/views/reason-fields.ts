import { html, type SafeHtml } from '@portal/common';
import { reasonCodes } from '../libraries/administration/reasons.js';

/** What a form shows again after a refusal: the person's own input. */
export type ReasonValues = Record<string, string | string[] | undefined>;

const value = (values: ReasonValues | undefined, name: string): string => {
  const v = values?.[name];
  return typeof v === 'string' ? v : '';
};

/** The reason every change needs (issue #8): a code from the list, why in words, an optional ticket. */
export function reasonFields(values: ReasonValues | undefined): SafeHtml {
  return html`<fieldset class="question"><legend>Reason for this change</legend>
    <label class="usa-label" for="reason_code">Reason</label>
    <select class="usa-select" id="reason_code" name="reason_code" required><option value="">Choose a reason</option>${Object.entries(reasonCodes).map(
      ([code, label]) => html`<option value="${code}"${value(values, 'reason_code') === code ? html` selected` : ''}>${label}</option>`,
    )}</select>
    <label class="usa-label" for="reason">Say why (at least 10 characters)</label>
    <input class="usa-input" id="reason" name="reason" type="text" minlength="10" maxlength="500" required value="${value(values, 'reason')}">
    <label class="usa-label" for="ticket">Ticket number (optional)</label>
    <input class="usa-input" id="ticket" name="ticket" type="text" maxlength="40" value="${value(values, 'ticket')}">
  </fieldset>`;
}

