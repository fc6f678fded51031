import { html, type SafeHtml } from '@portal/rp-kit';
import type { GroupStanding, ReportEntry, ReportStudent, SchoolReport } from '../libraries/schools.js';
import { officialRecordStaticPath } from '../official-record/index.js';
import type { ClientSummary } from '../queries/clients.js';
import type { ListStudent, SchoolListRow, SchoolListSummary } from '../queries/schools.js';
import { usDate } from '../search/dates.js';
import { modeLabels, searchFields, type SearchMode } from './clients.js';
import { dateHint, textField } from './forms.js';
import { errorSummary } from './layout.js';

type Errors = Record<string, string>;
type Values = Record<string, string | undefined>;

/** A moment (epoch ms) as people read it where the registry is: 12/02/2026, 9:30 AM. */
export function localTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: 'numeric', minute: '2-digit' }).format(new Date(ms));
}

const studentName = (s: { last_name: string; first_name: string; middle_name: string | null }) => `${s.last_name}, ${s.first_name}${s.middle_name ? ` ${s.middle_name}` : ''}`;

// --- Manage lists ---------------------------------------------------------------------------------

export function listsPage(p: { lists: SchoolListSummary[]; csrf: SafeHtml; values: Values; errors: Errors; notice?: string | undefined; timeZone: string }): SafeHtml {
  return html`<h1>Manage lists</h1>
<p class="hint">Lists of students at your organization, for example a grade or a class. Add students with Find student; make a school report of a list from its page.</p>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
${p.lists.length
    ? html`<table class="usa-table usa-table--stacked responsive school-lists">
  <caption>Student lists</caption>
  <thead><tr><th scope="col">List</th><th scope="col">Students</th><th scope="col">Created</th></tr></thead>
  <tbody>
  ${p.lists.map((l) => html`<tr><td data-label="List"><a href="/schools/lists/${l.id}">${l.name}</a></td><td data-label="Students">${l.students}</td><td data-label="Created">${localTime(l.created_at, p.timeZone)}</td></tr>`)}
  </tbody>
</table>`
    : html`<p>Your organization has no student lists yet.</p>`}
<section class="panel" aria-labelledby="new-list-title">
<h2 id="new-list-title">Create a list</h2>
${errorSummary(p.errors)}
<form method="post" action="/schools/lists" novalidate>
  ${p.csrf}
  ${textField({ id: 'name', label: 'List name', value: p.values.name, error: p.errors.name, hint: 'Up to 100 characters, different from your other lists.', required: true, maxlength: 100 })}
  <button class="usa-button" type="submit">Create list</button>
</form>
</section>`;
}

export function listPage(p: {
  list: SchoolListRow; students: ListStudent[]; reports: ReportEntry[]; csrf: SafeHtml; values: Values; errors: Errors; notice?: string | undefined; timeZone: string; today: string;
}): SafeHtml {
  const { list, errors } = p;
  return html`<p><a href="/schools/lists">All lists</a></p>
<h1>${list.name}</h1>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
${errorSummary(errors)}
<nav class="record-actions" aria-label="List">
  <a class="usa-button" href="/schools/find-student?list=${list.id}">Find students to add</a>
  <a class="usa-button usa-button--outline" href="#report-title">Make a school report</a>
</nav>
<section class="panel" aria-labelledby="students-title">
<h2 id="students-title">Students (${p.students.length})</h2>
${p.students.length
    ? html`<table class="usa-table usa-table--stacked responsive">
  <thead><tr><th scope="col">Name</th><th scope="col">Date of birth</th><th scope="col">ImmTrac2 ID</th><th scope="col">Added</th><th scope="col">Remove</th></tr></thead>
  <tbody>
  ${p.students.map(
    (s) => html`<tr><td data-label="Name"><a href="/clients/${s.registry_id}">${studentName(s)}</a>${s.consent === 'withdrawn' ? html` <strong class="tag">Consent withdrawn</strong>` : ''}</td>
    <td data-label="Date of birth">${usDate(s.birth_date)}</td><td data-label="ImmTrac2 ID">${s.registry_id}</td><td data-label="Added">${localTime(s.added_at, p.timeZone)}</td>
    <td data-label="Remove"><form method="post" action="/schools/lists/${list.id}/students/${s.registry_id}/remove" class="inline">${p.csrf}<button type="submit" class="link danger">Remove<span class="visually-hidden"> ${studentName(s)} from the list</span></button></form></td></tr>`,
  )}
  </tbody>
</table>`
    : html`<p>No students on this list yet. <a href="/schools/find-student?list=${list.id}">Find students to add</a>.</p>`}
</section>
<section class="panel" aria-labelledby="report-title">
<h2 id="report-title">Make a school report</h2>
<p class="hint">Each student\u2019s Hep B, DTaP, Polio, MMR and Varicella series: complete, up to date, due or overdue on the date you choose (the CDSi forecast). The report is kept as it is made.</p>
<form method="post" action="/schools/lists/${list.id}/report" novalidate>
  ${p.csrf}
  ${textField({ id: 'asOf', label: 'As of', value: p.values.asOf ?? usDate(p.today), error: errors.asOf, hint: dateHint, maxlength: 10 })}
  <button class="usa-button" type="submit">Make report</button>
</form>
${p.reports.length ? html`<h3>Reports of this list</h3>${reportTable(p.reports, p.timeZone)}` : ''}
</section>
<section class="panel" aria-labelledby="rename-title">
<h2 id="rename-title">Rename the list</h2>
<form method="post" action="/schools/lists/${list.id}/rename" novalidate>
  ${p.csrf}
  ${textField({ id: 'name', label: 'List name', value: p.values.name ?? list.name, error: errors.name, required: true, maxlength: 100 })}
  <button class="usa-button" type="submit">Rename</button>
</form>
</section>
<section class="panel" aria-labelledby="delete-title">
<h2 id="delete-title">Delete the list</h2>
<p>Deleting the list also deletes its school reports. The students\u2019 records are not changed.</p>
<form method="post" action="/schools/lists/${list.id}/delete">
  ${p.csrf}
  <button type="submit" class="usa-button usa-button--secondary">Delete \u201c${list.name}\u201d</button>
</form>
</section>`;
}

// --- Find student ---------------------------------------------------------------------------------

export function findStudentPage(p: {
  mode: SearchMode; csrf: SafeHtml; values: Values; errors: Errors; lists: SchoolListSummary[]; preselected?: number | undefined; notice?: string | undefined;
  results?: ClientSummary[] | undefined; onLists?: Map<number, Set<number>> | undefined;
  /** Why adding the (one) student shown failed, e.g. no list chosen. */
  addError?: string | undefined;
}): SafeHtml {
  const listParam = p.preselected ? `&list=${p.preselected}` : '';
  if (!p.lists.length) {
    return html`<h1>Find student</h1><p>Students are added to your organization\u2019s lists. <a href="/schools/lists">Create a list</a> first.</p>`;
  }
  return html`<h1>Find student</h1>
<p class="hint">Search for a student, then add them to one or more of your organization\u2019s lists.</p>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
<nav class="tabs" aria-label="Kind of search">
  ${(['quick', 'basic', 'smart'] as const).map((m) => html`<a href="/schools/find-student?mode=${m}${listParam}"${m === p.mode ? html` aria-current="page"` : ''}>${modeLabels[m]}</a>`)}
</nav>
<h2>${modeLabels[p.mode]}</h2>
${errorSummary(p.errors)}
<form method="post" action="/schools/find-student" class="search-form" novalidate>
  ${p.csrf}
  <input type="hidden" name="mode" value="${p.mode}">
  ${p.preselected ? html`<input type="hidden" name="list" value="${p.preselected}">` : ''}
  ${searchFields(p.mode, p.values, p.errors)}
  <button class="usa-button" type="submit">Search</button>
</form>
${p.results ? studentResults(p) : ''}`;
}

function studentResults(p: Parameters<typeof findStudentPage>[0]): SafeHtml {
  const results = p.results ?? [];
  if (!results.length) {
    return html`<section aria-labelledby="results-title"><h2 id="results-title">No students found</h2><p role="status">No client matches this search. Check the spelling and the date of birth, or try a smart search.</p></section>`;
  }
  return html`<section aria-labelledby="results-title">
<h2 id="results-title">Students found</h2>
${errorSummary({ lists: p.addError })}
<p role="status">${results.length === 50 ? 'The first 50 clients found; add details to narrow the search.' : `${results.length} ${results.length === 1 ? 'client' : 'clients'} found.`}</p>
<table class="usa-table usa-table--stacked responsive find-student">
  <thead><tr><th scope="col">Name</th><th scope="col">Date of birth</th><th scope="col">ImmTrac2 ID</th><th scope="col">Add to lists</th></tr></thead>
  <tbody>
  ${results.map((r) => {
    const on = p.onLists?.get(r.id) ?? new Set<number>();
    const name = studentName(r);
    return html`<tr><td data-label="Name">${name}${r.consent === 'withdrawn' ? html` <strong class="tag">Consent withdrawn</strong>` : ''}</td><td data-label="Date of birth">${usDate(r.birth_date)}</td><td data-label="ImmTrac2 ID">${r.registry_id}</td>
    <td data-label="Add to lists"><form method="post" action="/schools/find-student/add" novalidate>
      ${p.csrf}
      <input type="hidden" name="registryId" value="${r.registry_id}">
      <input type="hidden" name="mode" value="${p.mode}">
      ${p.preselected ? html`<input type="hidden" name="list" value="${p.preselected}">` : ''}
      <fieldset id="${results.length === 1 ? 'lists' : `lists-${r.registry_id}`}" class="list-choices${p.addError ? ' has-error' : ''}"${p.addError ? html` aria-describedby="lists-error"` : ''}><legend>Lists for ${name}</legend>
      ${p.addError ? html`<p class="field-error" id="lists-error">${p.addError}</p>` : ''}
      ${p.lists.map((l) => {
        const id = `list-${r.registry_id}-${l.id}`;
        return on.has(l.id)
          ? html`<div class="choice"><input type="checkbox" id="${id}" checked disabled><label class="usa-label" for="${id}">${l.name} <span class="hint">(on this list)</span></label></div>`
          : html`<div class="choice"><input type="checkbox" id="${id}" name="list-${l.id}" value="1"${l.id === p.preselected ? html` checked` : ''}><label class="usa-label" for="${id}">${l.name}</label></div>`;
      })}
      </fieldset>
      <button class="usa-button" type="submit">Add<span class="visually-hidden"> ${name}</span> to the lists</button>
    </form></td></tr>`;
  })}
  </tbody>
</table>
</section>`;
}

// --- Check school report --------------------------------------------------------------------------

function reportTable(reports: ReportEntry[], timeZone: string): SafeHtml {
  return html`<table class="usa-table usa-table--stacked responsive">
  <thead><tr><th scope="col">Report</th><th scope="col">List</th><th scope="col">As of</th><th scope="col">Students</th><th scope="col">Made by</th></tr></thead>
  <tbody>
  ${reports.map(
    (r) => html`<tr><td data-label="Report"><a href="/schools/reports/${r.id}">${localTime(r.createdAt, timeZone)}</a></td><td data-label="List">${r.listName}</td><td data-label="As of">${usDate(r.asOf)}</td><td data-label="Students">${r.students}</td><td data-label="Made by">${r.createdBy}</td></tr>`,
  )}
  </tbody>
</table>`;
}

export function reportsPage(p: { reports: ReportEntry[]; timeZone: string }): SafeHtml {
  return html`<h1>Check school report</h1>
<p class="hint">The school reports made at your organization, newest first. Each shows the students as they stood when it was made; make a new one from the list\u2019s page.</p>
${p.reports.length ? reportTable(p.reports, p.timeZone) : html`<p>No school reports yet. Open a list under <a href="/schools/lists">Manage lists</a> to make one.</p>`}`;
}

const seriesLabels: Record<GroupStanding['series'], string> = { not_complete: 'Not complete', complete: 'Complete', immune: 'Immune', aged_out: 'Aged out', not_recommended: 'Not recommended' };
const statusLabels: Record<GroupStanding['status'], string> = { complete: 'Complete', up_to_date: 'Up to date', due: 'Due', overdue: 'Overdue' };

/** A group's standing as a word, and the next dose's date that makes it so. */
function standingText(g: GroupStanding): { word: string; detail: string } {
  if (g.status === 'complete') return { word: g.series === 'complete' || g.series === 'not_complete' ? 'Complete' : seriesLabels[g.series], detail: '' };
  const dose = g.nextDose ? `dose ${g.nextDose}` : 'next dose';
  if (g.status === 'overdue') return { word: 'Overdue', detail: g.pastDue ? `${dose}, past due ${usDate(g.pastDue)}` : dose };
  if (g.status === 'due') return { word: 'Due', detail: g.recommended ? `${dose}, due ${usDate(g.recommended)}` : dose };
  return { word: statusLabels.up_to_date, detail: g.recommended ? `${dose} due ${usDate(g.recommended)}` : '' };
}

const groupsWith = (report: SchoolReport, s: ReportStudent, status: GroupStanding['status']) => report.groups.filter((g) => s.groups[g.code]?.status === status).map((g) => g.label);

export function reportPage(p: { report: SchoolReport; organization: string; timeZone: string }): SafeHtml {
  const r = p.report;
  const overdue = r.students.filter((s) => groupsWith(r, s, 'overdue').length).length;
  const due = r.students.filter((s) => !groupsWith(r, s, 'overdue').length && groupsWith(r, s, 'due').length).length;
  return html`<script src="${officialRecordStaticPath}/print-record.js" defer></script>
<article class="school-report" aria-labelledby="school-report-title">
<p class="no-print"><a href="/schools/reports">All school reports</a> · <a href="/schools/lists/${r.listId}">The list</a></p>
<h1 id="school-report-title">School report: ${r.listName}</h1>
<dl class="facts">
  <div><dt>Organization</dt><dd>${p.organization}</dd></div>
  <div><dt>As of</dt><dd>${usDate(r.asOf)}</dd></div>
  <div><dt>Made</dt><dd>${localTime(r.createdAt, p.timeZone)} by ${r.createdBy}</dd></div>
  <div><dt>Students</dt><dd>${r.students.length}: ${overdue} with an overdue series, ${due} more with a dose due</dd></div>
</dl>
<p class="record-actions no-print">
  <button class="usa-button" type="button" data-print-record hidden>Print report</button>
  <a class="usa-button usa-button--outline" href="/schools/reports/${r.id}.csv" download>Download as CSV</a>
</p>
${r.students.length
    ? html`<div class="table-scroll"><table class="usa-table usa-table--stacked school-report-table">
  <caption>Vaccine series of each student as of ${usDate(r.asOf)} (CDSi forecast)</caption>
  <thead><tr><th scope="col">Student</th><th scope="col">Date of birth</th><th scope="col">ImmTrac2 ID</th>${r.groups.map((g) => html`<th scope="col">${g.label}</th>`)}</tr></thead>
  <tbody>
  ${r.students.map(
    (s) => html`<tr><th scope="row">${studentName({ last_name: s.lastName, first_name: s.firstName, middle_name: s.middleName })}</th><td>${usDate(s.birthDate)}</td><td>${s.registryId}</td>
    ${r.groups.map((g) => {
      const standing = s.groups[g.code];
      if (!standing) return html`<td></td>`;
      const t = standingText(standing);
      return html`<td class="standing-${standing.status}"><strong>${t.word}</strong>${t.detail ? html`<br><span class="detail">${t.detail}</span>` : ''}</td>`;
    })}</tr>`,
  )}
  </tbody>
</table></div>`
    : html`<p>No students are shown on this report.</p>`}
</article>`;
}

// --- CSV ----------------------------------------------------------------------------------------

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break. A cell a spreadsheet
 * would run as a formula (= + - @, or a tab or CR before one) gets a leading apostrophe first —
 * CSV injection (OWASP): a list named "=HYPERLINK(…)" must stay text in the nurse's spreadsheet.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The report as a spreadsheet: one row per student, one column per vaccine group. */
export function reportCsv(report: SchoolReport): string {
  const header = ['List', 'As of', 'ImmTrac2 ID', 'Last name', 'First name', 'Middle name', 'Date of birth', ...report.groups.map((g) => g.label), 'Due', 'Overdue'];
  const rows = report.students.map((s) => [
    report.listName, usDate(report.asOf), s.registryId, s.lastName, s.firstName, s.middleName ?? '', usDate(s.birthDate),
    ...report.groups.map((g) => {
      const standing = s.groups[g.code];
      if (!standing) return '';
      const t = standingText(standing);
      return t.detail ? `${t.word} (${t.detail})` : t.word;
    }),
    groupsWith(report, s, 'due').join('; '),
    groupsWith(report, s, 'overdue').join('; '),
  ]);
  // A byte-order mark: spreadsheet programs then read the names' accents as UTF-8.
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
