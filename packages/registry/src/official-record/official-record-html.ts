import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { html, type SafeHtml } from '@portal/common';
import type { OfficialRecordInput } from './official-record-input.js';
import {
  addressLines,
  clientName,
  doseGroups,
  doseSource,
  formatDate,
  issuedLine,
  issuerName,
  recordTitle,
  sexLabel,
  text,
} from './record-text.js';

/** The stylesheet and Print script; the app serves this folder at officialRecordStaticPath. */
export const officialRecordStaticDir = fileURLToPath(new URL('./static', import.meta.url));
export const officialRecordStaticPath = '/static/official-record';
/** The print stylesheet's text, for an app that would rather serve or hash it itself. */
export const officialRecordCss: string = readFileSync(new URL('./static/official-record.css', import.meta.url), 'utf8');

export interface OfficialRecordHtmlOptions {
  /** Where the same record can be downloaded as a PDF; no link when absent. */
  pdfHref?: string;
}

// Heading and the class of its <col> (official-record.css gives the widths).
const doseColumns = [
  ['Date', 'date'],
  ['Vaccine', 'vaccine'],
  ['CVX', 'cvx'],
  ['Trade name', 'trade'],
  ['Manufacturer', 'manufacturer'],
  ['Lot', 'lot'],
  ['Source', 'source'],
  ['Recorded by', 'recorded'],
] as const;
const recommendationColumns = [
  ['Vaccine group', 'group'],
  ['Status', 'status'],
  ['Next dose', 'next'],
  ['Earliest', 'due'],
  ['Recommended', 'due'],
  ['Past due', 'due'],
] as const;

function columns(list: readonly (readonly [string, string])[]): SafeHtml {
  return html`<colgroup>${list.map(([, name]) => html`<col class="official-record-col-${name}">`)}</colgroup>
    <thead><tr>${list.map(([heading]) => html`<th scope="col">${heading}</th>`)}</tr></thead>`;
}

/** `<time>` for a stored ISO date, plain text for anything else. */
function date(value: unknown): SafeHtml {
  const stored = text(value);
  const printed = formatDate(stored);
  return printed !== stored ? html`<time datetime="${stored}">${printed}</time>` : html`${stored}`;
}

/**
 * The print page's body: the record inside `.official-record`, its stylesheet and Print button.
 * Every value is escaped by `html`; the app's page frame adds <html>, <head> and its chrome.
 */
export function officialRecordHtml(input: OfficialRecordInput, options: OfficialRecordHtmlOptions = {}): SafeHtml {
  const { client } = input;
  const address = addressLines(client);
  const groups = doseGroups(input.doses);
  const recommended = input.recommended ?? [];
  return html`<link rel="stylesheet" href="${officialRecordStaticPath}/official-record.css">
<script src="${officialRecordStaticPath}/print-record.js" defer></script>
<article class="official-record" aria-labelledby="official-record-title">
  <header>
    <p class="official-record-issuer">${issuerName}</p>
    <h1 id="official-record-title">${recordTitle}</h1>
  </header>
  <p class="official-record-actions no-print">
    <button type="button" data-print-record hidden>Print this record</button>
    ${options.pdfHref ? html`<a href="${options.pdfHref}">Download as PDF</a>` : ''}
  </p>
  <dl class="official-record-client">
    <dt>Name</dt><dd>${clientName(client)}</dd>
    <dt>Date of birth</dt><dd>${date(client.birthDate)}</dd>
    <dt>Registry ID</dt><dd>${text(client.registryId)}</dd>
    <dt>Sex</dt><dd>${sexLabel(client.sex) || '—'}</dd>
    <dt>Address</dt><dd>${address.length ? address.map((line, i) => html`${i ? html`<br>` : ''}${line}`) : '—'}</dd>
  </dl>
  ${groups.length
    ? html`<table class="official-record-doses">
    <caption>Immunizations</caption>
    ${columns(doseColumns)}
    ${groups.map(
      (group) => html`<tbody>
      <tr class="official-record-group"><th scope="rowgroup" colspan="${doseColumns.length}">${group.vaccineGroup}</th></tr>
      ${group.doses.map(
        (dose) => html`<tr><td>${date(dose.date)}</td><td>${text(dose.vaccine)}</td><td>${text(dose.cvx)}</td><td>${text(dose.tradeName)}</td><td>${text(dose.manufacturer)}</td><td>${text(dose.lot)}</td><td>${doseSource(dose)}</td><td>${text(dose.recordedBy)}</td></tr>`,
      )}
    </tbody>`,
    )}
  </table>`
    : html`<h2>Immunizations</h2>
  <p>No immunizations on record.</p>`}
  ${recommended.length
    ? html`<table class="official-record-recommended">
    <caption>Vaccines Recommended</caption>
    ${columns(recommendationColumns)}
    <tbody>
    ${recommended.map(
      (r) => html`<tr><th scope="row">${text(r.vaccineGroup)}</th><td>${text(r.status)}</td><td>${text(r.nextDose)}</td><td>${date(r.earliest)}</td><td>${date(r.recommended)}</td><td>${date(r.pastDue)}</td></tr>`,
    )}
    </tbody>
  </table>`
    : ''}
  <footer class="official-record-footer"><p>${issuedLine(input)}</p></footer>
</article>`;
}
