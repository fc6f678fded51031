import { html, type SafeHtml } from '@portal/rp-kit';
import type { ClientSummary, ClientRow } from '../queries/clients.js';
import type { DoseView } from '../queries/immunizations.js';
import type { VaccineOption } from '../queries/reference.js';
import { usDate } from '../search/dates.js';
import { bodySites, routes as doseRoutes } from '../data/reference-data.js';
import { errorSummary } from './layout.js';
import { dateHint, selectField, textField } from './forms.js';

export type SearchMode = 'quick' | 'basic' | 'smart';
export const modeLabels: Record<SearchMode, string> = { quick: 'Quick search', basic: 'Basic search', smart: 'Smart search' };
const modeHelp: Record<SearchMode, string> = {
  quick: 'Last name, first name and date of birth, exactly as registered.',
  basic: 'Any of the fields below; names match from their first letters.',
  smart: 'Forgives typing mistakes, nicknames (Bill for William), either part of a two-part last name, and day and month swapped.',
};

/** The fields of each kind of client search (the rules are input.ts's searchInput); Find student uses them too. */
export function searchFields(mode: SearchMode, v: Record<string, string | undefined>, e: Record<string, string | undefined>): SafeHtml {
  const fields: Record<SearchMode, SafeHtml> = {
    quick: html`${textField({ id: 'lastName', label: 'Last name', value: v.lastName, error: e.lastName, required: true, maxlength: 80 })}
      ${textField({ id: 'firstName', label: 'First name', value: v.firstName, error: e.firstName, required: true, maxlength: 60 })}
      ${textField({ id: 'birthDate', label: 'Date of birth', value: v.birthDate, error: e.birthDate, hint: dateHint, required: true, maxlength: 10 })}`,
    basic: html`${textField({ id: 'lastName', label: 'Last name', value: v.lastName, error: e.lastName, maxlength: 80 })}
      ${textField({ id: 'firstName', label: 'First name', value: v.firstName, error: e.firstName, maxlength: 60 })}
      ${textField({ id: 'middleName', label: 'Middle name', value: v.middleName, error: e.middleName, maxlength: 60 })}
      ${textField({ id: 'birthDate', label: 'Date of birth', value: v.birthDate, error: e.birthDate, hint: dateHint, maxlength: 10 })}
      ${selectField({ id: 'sex', label: 'Sex', value: v.sex, error: e.sex, options: [['', 'Any'], ['F', 'Female'], ['M', 'Male'], ['U', 'Unknown']] })}
      ${textField({ id: 'motherMaidenName', label: 'Mother\u2019s maiden name', value: v.motherMaidenName, error: e.motherMaidenName, maxlength: 80 })}
      ${textField({ id: 'phone', label: 'Phone', value: v.phone, error: e.phone, maxlength: 30, type: 'tel' })}
      ${textField({ id: 'zip', label: 'ZIP code', value: v.zip, error: e.zip, maxlength: 5, inputmode: 'numeric' })}
      ${textField({ id: 'registryId', label: 'ImmTrac2 ID', value: v.registryId, error: e.registryId, maxlength: 10, inputmode: 'numeric' })}`,
    smart: html`${textField({ id: 'lastName', label: 'Last name', value: v.lastName, error: e.lastName, required: true, maxlength: 80 })}
      ${textField({ id: 'firstName', label: 'First name', value: v.firstName, error: e.firstName, required: true, maxlength: 60 })}
      ${textField({ id: 'birthDate', label: 'Date of birth (if known)', value: v.birthDate, error: e.birthDate, hint: dateHint, maxlength: 10 })}`,
  };  return fields[mode];
}

export function searchPage(p: { mode: SearchMode; csrf: SafeHtml; values: Record<string, string>; errors: Record<string, string>; results?: (ClientSummary & { score?: number })[] | undefined }): SafeHtml {
  const v = p.values;
  const e = p.errors;

  return html`<h1>Client search</h1>
<nav class="tabs" aria-label="Kind of search">
  ${(['quick', 'basic', 'smart'] as const).map((m) => html`<a href="/clients/search?mode=${m}"${m === p.mode ? html` aria-current="page"` : ''}>${modeLabels[m]}</a>`)}
</nav>
<h2>${modeLabels[p.mode]}</h2>
<p class="hint">${modeHelp[p.mode]}</p>
${errorSummary(e)}
<form method="post" action="/clients/search" class="search-form" novalidate>
  ${p.csrf}
  <input type="hidden" name="mode" value="${p.mode}">
  ${searchFields(p.mode, v, e)}
  <button class="usa-button" type="submit">Search</button>
</form>
${p.results ? resultsTable(p.results, p.mode === 'smart') : ''}`;
}

function resultsTable(results: (ClientSummary & { score?: number })[], scored: boolean): SafeHtml {
  if (!results.length) return html`<section aria-labelledby="results-title"><h2 id="results-title">No clients found</h2><p role="status">No client matches this search. Check the spelling and the date of birth, or try a smart search.</p></section>`;
  return html`<section aria-labelledby="results-title">
<h2 id="results-title">Client list</h2>
<p role="status">${results.length === 50 ? 'The first 50 clients found; add details to narrow the search.' : `${results.length} ${results.length === 1 ? 'client' : 'clients'} found.`}</p>
<table class="usa-table usa-table--stacked responsive">
  <thead><tr><th scope="col">Name</th><th scope="col">Date of birth</th><th scope="col">Sex</th><th scope="col">ZIP</th><th scope="col">ImmTrac2 ID</th>${scored ? html`<th scope="col">Match</th>` : ''}</tr></thead>
  <tbody>
  ${results.map(
    (r) => html`<tr><td data-label="Name"><a href="/clients/${r.registry_id}">${r.last_name}, ${r.first_name}${r.middle_name ? ` ${r.middle_name}` : ''}</a>${r.consent === 'withdrawn' ? html` <strong class="tag">Consent withdrawn</strong>` : ''}</td>
    <td data-label="Date of birth">${usDate(r.birth_date)}</td><td data-label="Sex">${r.sex}</td><td data-label="ZIP">${r.zip ?? ''}</td><td data-label="ImmTrac2 ID">${r.registry_id}</td>${scored ? html`<td data-label="Match">${Math.round((r.score ?? 0) * 100)}%</td>` : ''}</tr>`,
  )}
  </tbody>
</table>
</section>`;
}

export function clientInformation(client: ClientRow, organizationName: string): SafeHtml {
  return html`<section class="panel" aria-labelledby="client-info-title">
  <h2 id="client-info-title">Client information</h2>
  <dl class="facts">
    <div><dt>Name</dt><dd>${client.last_name}, ${client.first_name}${client.middle_name ? ` ${client.middle_name}` : ''}${client.suffix ? ` ${client.suffix}` : ''}</dd></div>
    <div><dt>Date of birth</dt><dd>${usDate(client.birth_date)}</dd></div>
    <div><dt>Sex</dt><dd>${{ F: 'Female', M: 'Male', U: 'Unknown' }[client.sex]}</dd></div>
    <div><dt>ImmTrac2 ID</dt><dd>${client.registry_id}</dd></div>
    <div><dt>Consent</dt><dd>${consentLabel(client.consent)}${client.consent_date ? ` (${usDate(client.consent_date)})` : ''}</dd></div>
    <div><dt>Organization</dt><dd>${organizationName}</dd></div>
  </dl>
</section>`;
}

export const consentLabel = (c: string) => ({ minor: 'Minor consent (parent or guardian)', adult: 'Adult consent', withdrawn: 'Consent withdrawn' })[c] ?? c;

/** The doses, grouped by vaccine group as the Official Immunization Record lists them. */
export function immunizationTable(doses: DoseView[], options: { registryId: string; canEdit: boolean; csrf: SafeHtml }): SafeHtml {
  if (!doses.length) return html`<p>No immunizations are recorded for this client.</p>`;
  return html`<table class="usa-table usa-table--stacked responsive immunizations">
  <caption>Immunization record</caption>
  <thead><tr><th scope="col">Date given</th><th scope="col">Vaccine</th><th scope="col">Trade name</th><th scope="col">Lot</th><th scope="col">Site / route</th><th scope="col">Source</th><th scope="col">Recorded by</th>${options.canEdit ? html`<th scope="col">Change</th>` : ''}</tr></thead>
  <tbody>
  ${doses.map(
    (d) => html`<tr><td data-label="Date given">${usDate(d.given_on)}</td><td data-label="Vaccine">${d.vaccine} <span class="hint">(CVX ${d.cvx})</span></td><td data-label="Trade name">${d.trade_name ?? ''}${d.manufacturer ? html` <span class="hint">${d.manufacturer}</span>` : ''}</td>
    <td data-label="Lot">${d.lot ?? ''}</td><td data-label="Site / route">${[d.site, d.route].filter(Boolean).join(' / ')}</td><td data-label="Source">${d.historical ? 'Historical' : 'Administered'}</td><td data-label="Recorded by">${d.organization_name}</td>
    ${options.canEdit
      ? html`<td data-label="Change"><a href="/clients/${options.registryId}/immunizations/${d.id}/edit">Edit<span class="visually-hidden"> the ${d.vaccine} dose of ${usDate(d.given_on)}</span></a>
      <form method="post" action="/clients/${options.registryId}/immunizations/${d.id}/delete" class="inline">${options.csrf}<button type="submit" class="link danger">Delete<span class="visually-hidden"> the ${d.vaccine} dose of ${usDate(d.given_on)}</span></button></form></td>`
      : ''}</tr>`,
  )}
  </tbody>
</table>`;
}

export function immunizationForm(p: { action: string; title: string; csrf: SafeHtml; vaccines: VaccineOption[]; manufacturers: { mvx: string; name: string }[]; values: Record<string, string>; errors: Record<string, string>; cancel: string }): SafeHtml {
  const v = p.values;
  const e = p.errors;
  return html`<h1>${p.title}</h1>
${errorSummary(e)}
<form method="post" action="${p.action}" novalidate>
  ${p.csrf}
  <fieldset><legend>Dose</legend>
  ${selectField({ id: 'historical', label: 'Given here or historical', value: v.historical ?? '0', error: e.historical, options: [['0', 'Administered by my organization'], ['1', 'Historical (from another record)']] })}
  ${selectField({ id: 'cvx', label: 'Vaccine', value: v.cvx, error: e.cvx, required: true, options: [['', 'Choose a vaccine'], ...p.vaccines.filter((x) => x.groups !== '').map((x) => [x.cvx, `${x.short_name} (CVX ${x.cvx})${x.status === 'Active' ? '' : ' — historical only'}`] as const)] })}
  ${textField({ id: 'givenOn', label: 'Date given', value: v.givenOn, error: e.givenOn, hint: dateHint, required: true, maxlength: 10 })}
  ${textField({ id: 'tradeName', label: 'Trade name', value: v.tradeName, error: e.tradeName, maxlength: 100 })}
  ${selectField({ id: 'mvx', label: 'Manufacturer', value: v.mvx, error: e.mvx, options: [['', 'Unknown'], ...p.manufacturers.map((m) => [m.mvx, m.name] as const)] })}
  ${textField({ id: 'lot', label: 'Lot number', value: v.lot, error: e.lot, maxlength: 30 })}
  ${selectField({ id: 'site', label: 'Body site', value: v.site, error: e.site, options: [['', 'Not recorded'], ...Object.entries(bodySites)] })}
  ${selectField({ id: 'route', label: 'Route', value: v.route, error: e.route, options: [['', 'Not recorded'], ...Object.entries(doseRoutes)] })}
  ${textField({ id: 'administeredBy', label: 'Given by', value: v.administeredBy, error: e.administeredBy, maxlength: 120 })}
  </fieldset>
  <button class="usa-button" type="submit">Save</button> <a class="usa-button usa-button--outline" href="${p.cancel}">Cancel</a>
</form>`;
}
