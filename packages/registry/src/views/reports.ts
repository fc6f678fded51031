import { html, type SafeHtml } from '@portal/rp-kit';
import type { RecallCriteria, RecallEntry, RecallList } from '../libraries/recall.js';
import type { ReportPeriod } from '../libraries/report-dates.js';
import type { ActivityReport, ClientReport, ClientReportGroup, GroupActivity, OrganizationActivity, OrganizationInformation, ReportScope } from '../libraries/reports.js';
import { usDate } from '../search/dates.js';
import { officialRecordStaticPath } from '../official-record/index.js';
import { clientInformation } from './clients.js';
import { dateHint, selectField, textField } from './forms.js';
import { errorSummary, fieldError } from './layout.js';

export const regionLabel = (region: number | null) => (region === null ? 'No region' : `Health Service Region ${region}`);

/** What the reader's reports cover, in words. */
export function scopeSentence(scope: ReportScope): SafeHtml {
  switch (scope.kind) {
    case 'organization':
      return html`Your organization only: ${scope.organization.name} (${scope.organization.code}).`;
    case 'region':
      return html`Every organization of your area, ${regionLabel(scope.region)}.`;
    case 'state':
      return scope.region === undefined ? html`The whole state, by Health Service Region.` : html`${regionLabel(scope.region)} only.`;
    case 'no_region':
      return html`Your organization, ${scope.organization.name} (${scope.organization.code}), has no Health Service Region on file, so there is no area to report on. Ask the DSHS ImmTrac2 team to record your region.`;
  }
}

// --- Reports ------------------------------------------------------------------------------------

export const activityHeader = ['Region', 'Organization', 'Code', 'TX IIS ID', 'Clients with doses', 'Doses administered', 'Historical doses', 'Total doses'];
export const activityRow = (o: OrganizationActivity) => [regionLabel(o.region), o.name, o.code, o.iis_id, o.clients, o.administered, o.historical, o.administered + o.historical];
export const groupHeader = ['Region', 'Organization', 'Code', 'Vaccine group', 'Doses administered', 'Historical doses', 'Total doses'];
export const groupRow = (g: GroupActivity) => [regionLabel(g.region), g.name, g.code, g.label, g.administered, g.historical, g.administered + g.historical];

/** Rows of one table, with a heading row before each region's and its subtotal after (the state's report). */
function byRegion<T extends { region: number | null }>(rows: T[], columns: number, cells: (row: T) => SafeHtml, subtotal?: (rows: T[]) => SafeHtml): SafeHtml[] {
  const regions = [...new Set(rows.map((r) => r.region))];
  return regions.map((region) => {
    const of = rows.filter((r) => r.region === region);
    return html`<tbody>
    <tr class="region-heading"><th scope="colgroup" colspan="${columns}">${regionLabel(region)}</th></tr>
    ${of.map(cells)}
    ${subtotal ? subtotal(of) : ''}
    </tbody>`;
  });
}

const sum = <T>(rows: T[], of: (row: T) => number) => rows.reduce((n, r) => n + of(r), 0);

export function reportsPage(p: { scope: ReportScope; values: { from?: string; to?: string }; errors: Record<string, string>; report?: ActivityReport }): SafeHtml {
  const { scope, report } = p;
  const byRegionToo = scope.kind === 'state' || scope.kind === 'region';
  return html`<h1>Reports</h1>
${errorSummary(p.errors)}
<p>${scopeSentence(scope)}</p>
${scope.kind === 'no_region' ? '' : html`<form method="get" action="/reports" class="report-period" novalidate>
  <fieldset><legend>Period (doses given between these dates, both included)</legend>
  ${textField({ id: 'from', label: 'From', value: p.values.from, error: p.errors.from, hint: dateHint })}
  ${textField({ id: 'to', label: 'To', value: p.values.to, error: p.errors.to, hint: dateHint })}
  </fieldset>
  <button class="usa-button" type="submit">Run report</button>
</form>`}
${report ? activitySections(report, byRegionToo) : ''}
<p class="hint">A client\u2019s own immunization report opens from the client\u2019s record (Reports button).</p>`;
}

function activitySections(report: ActivityReport, withRegions: boolean): SafeHtml {
  const { period, organizations, groups } = report;
  const query = `from=${period.from}&to=${period.to}`;
  const administered = sum(organizations, (o) => o.administered);
  const historical = sum(organizations, (o) => o.historical);
  const orgCells = (o: OrganizationActivity) => html`<tr><th scope="row" data-label="Organization">${o.name} <span class="code">(${o.code})</span></th>
    <td data-label="TX IIS ID">${o.iis_id}</td><td data-label="Clients with doses" class="number">${o.clients}</td><td data-label="Doses administered" class="number">${o.administered}</td>
    <td data-label="Historical doses" class="number">${o.historical}</td><td data-label="Total doses" class="number">${o.administered + o.historical}</td></tr>`;
  const orgSubtotal = (rows: OrganizationActivity[]) => html`<tr class="subtotal"><th scope="row">Region total</th><td></td><td class="number" data-label="Clients with doses">—</td>
    <td class="number" data-label="Doses administered">${sum(rows, (o) => o.administered)}</td><td class="number" data-label="Historical doses">${sum(rows, (o) => o.historical)}</td>
    <td class="number" data-label="Total doses">${sum(rows, (o) => o.administered + o.historical)}</td></tr>`;
  const groupCells = (g: GroupActivity) => html`<tr><th scope="row" data-label="Organization">${g.name} <span class="code">(${g.code})</span></th><td data-label="Vaccine group">${g.label}</td>
    <td data-label="Doses administered" class="number">${g.administered}</td><td data-label="Historical doses" class="number">${g.historical}</td><td data-label="Total doses" class="number">${g.administered + g.historical}</td></tr>`;
  return html`<section class="panel" aria-labelledby="summary-title">
  <h2 id="summary-title">Summary, ${usDate(period.from)} to ${usDate(period.to)}</h2>
  <dl class="facts">
    <div><dt>Organizations</dt><dd>${organizations.length}</dd></div>
    <div><dt>Clients with doses recorded</dt><dd>${report.clientsWithDoses}</dd></div>
    <div><dt>Doses administered</dt><dd>${administered}</dd></div>
    <div><dt>Historical doses</dt><dd>${historical}</dd></div>
  </dl>
  <p class="hint">A client with doses from two organizations counts once in the total, and once at each organization.</p>
</section>
<section class="panel" aria-labelledby="by-org-title">
  <h2 id="by-org-title">Doses and clients by organization</h2>
  <p><a class="usa-button usa-button--outline" href="/reports/organizations.csv?${query}" download>Download CSV</a></p>
  <table class="usa-table usa-table--stacked responsive report" id="by-organization">
    <caption class="visually-hidden">Doses given and clients with doses recorded, by organization</caption>
    <thead><tr><th scope="col">Organization</th><th scope="col">TX IIS ID</th><th scope="col">Clients with doses</th><th scope="col">Doses administered</th><th scope="col">Historical doses</th><th scope="col">Total doses</th></tr></thead>
    ${withRegions ? byRegion(organizations, 6, orgCells, orgSubtotal) : html`<tbody>${organizations.map(orgCells)}</tbody>`}
  </table>
</section>
<section class="panel" aria-labelledby="by-group-title">
  <h2 id="by-group-title">Doses by organization and vaccine group</h2>
  <p class="hint">A combination vaccine counts in each of its groups (Pediarix: DTaP, Hepatitis B and Polio).</p>
  ${groups.length
    ? html`<p><a class="usa-button usa-button--outline" href="/reports/vaccine-groups.csv?${query}" download>Download CSV</a></p>
  <table class="usa-table usa-table--stacked responsive report" id="by-group">
    <caption class="visually-hidden">Doses given by organization and vaccine group</caption>
    <thead><tr><th scope="col">Organization</th><th scope="col">Vaccine group</th><th scope="col">Doses administered</th><th scope="col">Historical doses</th><th scope="col">Total doses</th></tr></thead>
    ${withRegions ? byRegion(groups, 5, groupCells) : html`<tbody>${groups.map(groupCells)}</tbody>`}
  </table>`
    : html`<p>No doses were recorded in this period.</p>`}
</section>`;
}

// --- A client's immunization report ----------------------------------------------------------------

const seriesLabels = { not_complete: 'Not complete', complete: 'Complete', immune: 'Immune', aged_out: 'Aged out', not_recommended: 'Not recommended' } as const;
const dueLabels = { up_to_date: 'Up to date', due: 'Due now', overdue: 'Overdue', complete: 'Complete' } as const;

export const clientReportHeader = ['Vaccine group', 'Doses', 'Dates given', 'Status', 'Next dose', 'Recommended', 'Past due'];
export function clientReportRow(g: ClientReportGroup): (string | number)[] {
  const f = g.forecast;
  const status = !f ? 'No tracking schedule' : f.nextDose ? dueLabels[f.due] : seriesLabels[f.status];
  return [g.label, g.doses.length, g.doses.map((d) => `${usDate(d.given_on)}${d.historical ? ' (historical)' : ''}`).join('; '), status, f?.nextDose ? `Dose ${f.nextDose}` : '', f?.recommended ? usDate(f.recommended) : '', f?.pastDue ? usDate(f.pastDue) : ''];
}

export function clientReportPage(report: ClientReport, csrf: SafeHtml): SafeHtml {
  const { client } = report.record;
  return html`<h1>Client immunization report</h1>
${clientInformation(client, report.record.organizationName)}
<nav class="record-actions" aria-label="Client report">
  <form method="post" action="/reports/client.csv">${csrf}<input type="hidden" name="client" value="${client.registry_id}"><button class="usa-button usa-button--outline" type="submit">Download CSV</button></form>
  <a class="usa-button usa-button--outline" href="/clients/${client.registry_id}">Back to the record</a>
</nav>
<section class="panel" aria-labelledby="client-report-title">
  <h2 id="client-report-title">Doses by vaccine group, status as of ${usDate(report.today)}</h2>
  <table class="usa-table usa-table--stacked responsive report" id="client-report">
    <caption class="visually-hidden">Doses by vaccine group with the forecast status</caption>
    <thead><tr>${clientReportHeader.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
    <tbody>
    ${report.groups.map((g) => {
      const [label, doses, dates, status, next, recommended, pastDue] = clientReportRow(g);
      return html`<tr class="status-${g.forecast?.due ?? 'none'}"><th scope="row" data-label="Vaccine group">${label}</th><td data-label="Doses" class="number">${doses}</td>
      <td data-label="Dates given">${dates || '—'}</td><td data-label="Status" class="status">${status}</td><td data-label="Next dose">${next}</td>
      <td data-label="Recommended">${recommended}</td><td data-label="Past due">${pastDue}</td></tr>`;
    })}
    </tbody>
  </table>
</section>`;
}

// --- Organization information ---------------------------------------------------------------------

export const organizationHeader = ['Region', 'Organization', 'Code', 'TX IIS ID', 'Kind', 'City', 'County', 'Phone', 'Clients of record', 'Doses in the last year'];
export const organizationRow = (o: OrganizationInformation) => [regionLabel(o.region), o.name, o.code, o.iis_id, o.kind, o.city, o.county, o.phone, o.clients_of_record, o.doses_last_year];

export function organizationsPage(p: { scope: ReportScope; since: string; today: string; organizations: OrganizationInformation[]; regionFilter?: string; regionOptions?: readonly (readonly [string, string])[]; error?: string }): SafeHtml {
  const { scope } = p;
  const cells = (o: OrganizationInformation) => html`<tr><th scope="row" data-label="Organization">${o.name}</th><td data-label="Code">${o.code}</td><td data-label="TX IIS ID">${o.iis_id}</td>
    <td data-label="Kind">${o.kind}</td><td data-label="City / county">${o.city ?? ''}${o.county ? html`, ${o.county} County` : ''}</td><td data-label="Phone">${o.phone ?? ''}</td>
    <td data-label="Region">${o.region ?? '—'}</td><td data-label="Clients of record" class="number">${o.clients_of_record}</td><td data-label="Doses in the last year" class="number">${o.doses_last_year}</td></tr>`;
  const query = p.regionFilter ? `?region=${encodeURIComponent(p.regionFilter)}` : '';
  return html`<h1>Organizations</h1>
${errorSummary(p.error ? { region: p.error } : {})}
<p>${scopeSentence(scope)}</p>
${p.regionOptions ? html`<form method="get" action="/organizations" class="report-period" novalidate>
  ${selectField({ id: 'region', label: 'Health Service Region', options: p.regionOptions, value: p.regionFilter ?? '', error: p.error })}
  <button class="usa-button" type="submit">Show</button>
</form>` : ''}
${scope.kind === 'no_region' ? '' : html`<p>${p.organizations.length} organization${p.organizations.length === 1 ? '' : 's'}; doses counted from ${usDate(p.since)} to ${usDate(p.today)}.
  <a class="usa-button usa-button--outline" href="/organizations.csv${query}" download>Download CSV</a></p>
<table class="usa-table usa-table--stacked responsive report" id="organizations">
  <caption class="visually-hidden">Organizations with their clients of record and doses in the last year</caption>
  <thead><tr><th scope="col">Organization</th><th scope="col">Code</th><th scope="col">TX IIS ID</th><th scope="col">Kind</th><th scope="col">City / county</th><th scope="col">Phone</th><th scope="col">Region</th><th scope="col">Clients of record</th><th scope="col">Doses in the last year</th></tr></thead>
  ${scope.kind === 'state' && p.regionFilter === undefined ? byRegion(p.organizations, 9, cells) : html`<tbody>${p.organizations.map(cells)}</tbody>`}
</table>`}`;
}

// --- Recall and reminder ----------------------------------------------------------------------------

export function recallForm(p: { groups: readonly { code: string; label: string }[]; organizationName: string; values: Record<string, string>; errors: Record<string, string>; csrf: SafeHtml }): SafeHtml {
  const { values, errors } = p;
  const groupError = Object.entries(errors).find(([k]) => k.startsWith('group_'));
  return html`<h1>Recall and reminder</h1>
${errorSummary(errors)}
<p>Clients of ${p.organizationName} (organization of record, or a dose recorded here) who are due or overdue today, by the ACIP schedule as the forecast evaluates it. Clients who withdrew consent are never listed, nor those whose record says deceased or moved out of state.</p>
<form method="post" action="/recall" novalidate>
  ${p.csrf}
  <fieldset${groupError ? html` class="field has-error" aria-describedby="${groupError[0]}-error"` : ''}><legend>Vaccine groups</legend>
  ${groupError ? fieldError(groupError[0], groupError[1]) : ''}
  ${p.groups.map((g) => html`<div class="choice"><input type="checkbox" id="group_${g.code}" name="group_${g.code}" value="1"${values[`group_${g.code}`] === '1' ? html` checked` : ''}><label class="usa-label" for="group_${g.code}">${g.label}</label></div>`)}
  </fieldset>
  <fieldset><legend>Age (whole years, both included)</legend>
  ${textField({ id: 'minAge', label: 'From age', value: values.minAge, error: errors.minAge, inputmode: 'numeric', maxlength: 3, required: true })}
  ${textField({ id: 'maxAge', label: 'To age', value: values.maxAge, error: errors.maxAge, inputmode: 'numeric', maxlength: 3, required: true })}
  </fieldset>
  ${selectField({ id: 'status', label: 'List clients who are', value: values.status, error: errors.status, options: [['due', 'Due or overdue'], ['overdue', 'Overdue only']] })}
  <button class="usa-button" type="submit">Find clients</button>
</form>`;
}

export const recallHeader = ['ImmTrac2 ID', 'Last name', 'First name', 'Middle name', 'Date of birth', 'Age', 'Responsible person', 'Address', 'City', 'State', 'ZIP', 'Phone', 'Vaccines due'];
const dueText = (e: RecallEntry) => e.due.map((d) => `${d.label} ${d.status} since ${usDate(d.since)}`).join('; ');
export const recallRow = (e: RecallEntry) => {
  const c = e.client;
  return [c.registry_id, c.last_name, c.first_name, c.middle_name, usDate(c.birth_date), e.age, e.responsible ? `${e.responsible.first_name} ${e.responsible.last_name} (${e.responsible.relationship})` : null,
    [c.line1, c.line2].filter(Boolean).join(', ') || null, c.city, c.state, c.zip, e.responsible?.phone ?? c.phone, dueText(e)];
};

const criteriaText = (c: RecallCriteria, groups: readonly { code: string; label: string }[]) =>
  `${groups.filter((g) => c.groups.includes(g.code as never)).map((g) => g.label).join(', ')}; ages ${c.minAge} to ${c.maxAge}; ${c.overdueOnly ? 'overdue only' : 'due or overdue'}`;

export function recallListPage(p: { list: RecallList; groups: readonly { code: string; label: string }[]; criteriaFields: Record<string, string>; csrf: SafeHtml }): SafeHtml {
  const { list } = p;
  const hidden = html`${p.csrf}${Object.entries(p.criteriaFields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}`;
  const overdue = list.entries.filter((e) => e.due.some((d) => d.status === 'overdue')).length;
  return html`<h1>Recall and reminder: clients due</h1>
<p>${criteriaText(list.criteria, p.groups)}, as of ${usDate(list.today)}. <a href="/recall">Change the criteria</a></p>
${list.capped ? html`<div class="error-summary" role="alert"><h2>Only part of the list</h2><p>More than ${list.cap.toLocaleString('en-US')} clients match: only the first ${list.cap.toLocaleString('en-US')} by name were checked. Narrow the age range and run the recall again in parts.</p></div>` : ''}
<section class="panel" aria-labelledby="counts-title">
  <h2 id="counts-title">Counts</h2>
  <dl class="facts">
    <div><dt>Clients checked</dt><dd>${list.checked}</dd></div>
    <div><dt>Clients due or overdue</dt><dd id="recall-count">${list.entries.length}</dd></div>
    <div><dt>Of them overdue</dt><dd>${overdue}</dd></div>
    ${list.byGroup.map((g) => html`<div><dt>${g.label}</dt><dd>${g.overdue} overdue, ${g.due} due</dd></div>`)}
  </dl>
</section>
${list.entries.length
    ? html`<div class="record-actions">
  <form method="post" action="/recall/letters">${hidden}<button class="usa-button" type="submit">Reminder letters</button></form>
  <form method="post" action="/recall/export.csv">${hidden}<button class="usa-button usa-button--outline" type="submit">Download CSV</button></form>
</div>
<p class="hint">Letters and the CSV file are recorded on the audit trail, client by client.</p>
<table class="usa-table usa-table--stacked responsive report" id="recall-list">
  <caption class="visually-hidden">Clients due or overdue</caption>
  <thead><tr><th scope="col">Client</th><th scope="col">Date of birth</th><th scope="col">Age</th><th scope="col">Responsible person</th><th scope="col">Address</th><th scope="col">Phone</th><th scope="col">Vaccines due</th></tr></thead>
  <tbody>
  ${list.entries.map((e) => {
    const c = e.client;
    return html`<tr data-registry-id="${c.registry_id}"><th scope="row" data-label="Client"><a href="/clients/${c.registry_id}">${c.last_name}, ${c.first_name}${c.middle_name ? ` ${c.middle_name}` : ''}</a></th>
    <td data-label="Date of birth">${usDate(c.birth_date)}</td><td data-label="Age">${e.age}</td>
    <td data-label="Responsible person">${e.responsible ? `${e.responsible.first_name} ${e.responsible.last_name} (${e.responsible.relationship})` : ''}</td>
    <td data-label="Address">${c.line1 ? `${c.line1}${c.line2 ? `, ${c.line2}` : ''}, ${c.city}, ${c.state} ${c.zip}` : html`<span class="tag">No address on file</span>`}</td>
    <td data-label="Phone">${e.responsible?.phone ?? c.phone ?? ''}</td>
    <td data-label="Vaccines due"><ul class="plain">${e.due.map((d) => html`<li class="status-${d.status}">${d.label}: ${d.status === 'overdue' ? html`<strong>overdue</strong>` : 'due'} since ${usDate(d.since)}</li>`)}</ul></td></tr>`;
  })}
  </tbody>
</table>`
    : html`<p>No client of ${list.organization.name} is due for these vaccines.</p>`}`;
}

/** One reminder letter per client with an address; a printed page each (registry.css, @media print). */
export function lettersPage(p: { list: RecallList }): SafeHtml {
  const { list } = p;
  const org = list.organization;
  const withAddress = list.entries.filter((e) => e.client.line1);
  const without = list.entries.filter((e) => !e.client.line1);
  return html`<div class="no-print">
  <h1>Reminder letters</h1>
  <p>${withAddress.length} letter${withAddress.length === 1 ? '' : 's'}, one a page. <button class="usa-button" type="button" data-print-record hidden>Print the letters</button></p>
  ${without.length ? html`<p>No letter for ${without.length} client${without.length === 1 ? '' : 's'} without a current address on file: ${without.map((e) => `${e.client.first_name} ${e.client.last_name}`).join(', ')}.</p>` : ''}
</div>
<script src="${officialRecordStaticPath}/print-record.js" defer></script>
${withAddress.map((e, i) => letter(e, i, org, list.today))}`;
}

function letter(e: RecallEntry, index: number, org: RecallList['organization'], today: string): SafeHtml {
  const c = e.client;
  const name = `${c.first_name}${c.middle_name ? ` ${c.middle_name}` : ''} ${c.last_name}${c.suffix ? ` ${c.suffix}` : ''}`;
  const minor = e.age < 18;
  const addressee = e.responsible ? `${e.responsible.first_name} ${e.responsible.last_name}` : minor ? `Parent or guardian of ${name}` : name;
  const greeting = e.responsible ? `Dear ${e.responsible.first_name} ${e.responsible.last_name},` : minor ? 'Dear parent or guardian,' : `Dear ${c.first_name} ${c.last_name},`;
  const whose = minor ? `${c.first_name}\u2019s` : 'your';
  return html`<article class="letter" aria-labelledby="letter-${index}-title">
  <header class="letter-sender"><strong>${org.name}</strong>${org.city ? html`<br>${org.city}, Texas` : ''}${org.phone ? html`<br>${org.phone}` : ''}</header>
  <p class="letter-date">${usDate(today)}</p>
  <address class="letter-address">${addressee}<br>${c.line1}${c.line2 ? html`<br>${c.line2}` : ''}<br>${c.city}, ${c.state} ${c.zip}</address>
  <h2 id="letter-${index}-title">Immunization reminder for ${name}</h2>
  <p>${greeting}</p>
  <p>Our records in ImmTrac2, the Texas immunization registry, show that ${minor ? html`${name} (born ${usDate(c.birth_date)}) is` : 'you are'} due for these vaccines:</p>
  <ul>${e.due.map((d) => html`<li>${d.label}${d.nextDose ? `, dose ${d.nextDose}` : ''}: ${d.status} since ${usDate(d.since)}</li>`)}</ul>
  <p>Please call ${org.name}${org.phone ? ` at ${org.phone}` : ''} to make an appointment. If ${whose} vaccines were given somewhere else, please bring or send the record so that we can update ImmTrac2.</p>
  <p>Sincerely,<br>${org.name}</p>
</article>`;
}

export type { ReportPeriod };
