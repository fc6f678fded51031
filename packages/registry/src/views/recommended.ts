import { html, type SafeHtml } from '@portal/rp-kit';
import { dueStatus, forecast, supportingDataVersion, type GroupForecast } from '../forecast/index.js';
import type { OfficialRecordInput } from '../official-record/index.js';
import type { DoseView } from '../queries/immunizations.js';
import { usDate } from '../search/dates.js';

const statusLabels: Record<GroupForecast['status'], string> = {
  not_complete: 'Not complete', complete: 'Complete', immune: 'Immune', aged_out: 'Aged out', not_recommended: 'Not recommended',
};
const dueLabels = { up_to_date: 'Up to date', due: 'Due now', overdue: 'Overdue', complete: 'Complete' } as const;

/** The forecast of a client's record, as of `today` (the CDSi logic in forecast/). */
export function forecastFor(client: { birth_date: string }, doses: readonly Pick<DoseView, 'cvx' | 'given_on'>[], today: string): GroupForecast[] {
  return forecast({ birthDate: client.birth_date, doses: doses.map((d) => ({ cvx: d.cvx, date: d.given_on })) }, today);
}

/** The record's third section (seed 000): "Vaccines Recommended by Selected Tracking Schedule". */
export function recommendedSection(forecasts: GroupForecast[], today: string): SafeHtml {
  return html`<section class="panel" aria-labelledby="recommended-title">
  <h2 id="recommended-title">Vaccines recommended by selected tracking schedule</h2>
  <p class="hint">Tracking schedule: ACIP childhood schedule, evaluated with CDC\u2019s CDSi logic (supporting data ${supportingDataVersion}), as of ${usDate(today)}.</p>
  <table class="usa-table usa-table--stacked responsive recommended">
    <thead><tr><th scope="col">Vaccine group</th><th scope="col">Status</th><th scope="col">Next dose</th><th scope="col">Earliest</th><th scope="col">Recommended</th><th scope="col">Past due</th></tr></thead>
    <tbody>
    ${forecasts.map((f) => {
      const due = dueStatus(f, today);
      return html`<tr class="due-${due}"><td data-label="Vaccine group">${f.label}</td><td data-label="Status">${f.nextDose ? dueLabels[due] : statusLabels[f.status]}</td>
      <td data-label="Next dose">${f.nextDose ? `Dose ${f.nextDose}` : '—'}</td><td data-label="Earliest">${f.earliest ? usDate(f.earliest) : ''}</td>
      <td data-label="Recommended">${f.recommended ? usDate(f.recommended) : ''}</td><td data-label="Past due">${f.pastDue ? usDate(f.pastDue) : ''}</td></tr>`;
    })}
    </tbody>
  </table>
  ${invalidDoses(forecasts)}
</section>`;
}

/** Doses CDSi did not count, and why: a provider needs to see them to act. */
function invalidDoses(forecasts: GroupForecast[]): SafeHtml | string {
  const invalid = forecasts.flatMap((f) => f.evaluations.filter((e) => e.status === 'not_valid').map((e) => ({ ...e, label: f.label })));
  if (!invalid.length) return '';
  return html`<h3>Doses not counted</h3><ul>${invalid.map((e) => html`<li>${e.label}: ${usDate(e.date)} (CVX ${e.cvx}) — ${e.reason ?? 'not valid'}</li>`)}</ul>`;
}

/** The same forecast for the Official Immunization Record. */
export function recommendedForRecord(forecasts: GroupForecast[]): OfficialRecordInput['recommended'] {
  return forecasts.map((f) => ({
    vaccineGroup: f.label, status: f.nextDose ? 'Not complete' : statusLabels[f.status], nextDose: f.nextDose, earliest: f.earliest, recommended: f.recommended, pastDue: f.pastDue,
  }));
}
