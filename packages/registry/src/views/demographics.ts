import { html, type SafeHtml } from '@portal/rp-kit';
import { usDate } from '../search/dates.js';
import { errorSummary } from './layout.js';
import { dateHint, selectField, textField } from './forms.js';
import { consentLabel } from './clients.js';
import type { ClientRecords } from '../libraries/client-records.js';

export const demographicTabs = [
  ['personal', 'Personal'],
  ['consent', 'Consent'],
  ['aka', 'Names also known as'],
  ['organization', 'Organization'],
  ['address', 'Address'],
  ['responsible', 'Responsible persons'],
  ['comments', 'Comments'],
  ['notes', 'Notes'],
] as const;
export type DemographicTab = (typeof demographicTabs)[number][0];

type Demographics = Awaited<ReturnType<ClientRecords['demographics']>>;

const commentLabels: Record<string, string> = {
  parent_refusal: 'Parent refusal', religious_exemption: 'Religious exemption', medical_exemption: 'Medical exemption',
  history_of_disease: 'History of disease', moved_out_of_state: 'Moved out of state', deceased: 'Deceased',
};

/** Seed 000 "Client Demographics": one tab at a time; the forms only for roles that may edit. */
export function demographicsPage(p: { d: Demographics; tab: DemographicTab; canEdit: boolean; csrf: SafeHtml; values: Record<string, string>; errors: Record<string, string>; saved?: boolean }): SafeHtml {
  const { d, tab, canEdit, csrf } = p;
  const c = d.client;
  const v = { ...defaults(d, tab), ...p.values };
  const e = p.errors;
  const action = `/clients/${c.registry_id}/demographics/${tab}`;
  const form = (fields: SafeHtml, label = 'Save') =>
    canEdit ? html`${errorSummary(e)}<form method="post" action="${action}" novalidate>${csrf}${fields}<button class="usa-button" type="submit">${label}</button></form>` : '';
  const bodies: Record<DemographicTab, () => SafeHtml | string> = {
    personal: () => (canEdit
      ? form(html`${textField({ id: 'firstName', label: 'First name', value: v.firstName, error: e.firstName, required: true })}
        ${textField({ id: 'middleName', label: 'Middle name', value: v.middleName, error: e.middleName })}
        ${textField({ id: 'lastName', label: 'Last name', value: v.lastName, error: e.lastName, required: true })}
        ${selectField({ id: 'suffix', label: 'Suffix', value: v.suffix, error: e.suffix, options: [['', 'None'], ['JR', 'Jr.'], ['SR', 'Sr.'], ['II', 'II'], ['III', 'III'], ['IV', 'IV']] })}
        ${textField({ id: 'birthDate', label: 'Date of birth', value: v.birthDate, error: e.birthDate, hint: dateHint, required: true })}
        ${selectField({ id: 'sex', label: 'Sex', value: v.sex, error: e.sex, options: [['F', 'Female'], ['M', 'Male'], ['U', 'Unknown']] })}
        ${textField({ id: 'motherMaidenName', label: 'Mother\u2019s maiden name', value: v.motherMaidenName, error: e.motherMaidenName })}
        ${textField({ id: 'birthState', label: 'State of birth', value: v.birthState, error: e.birthState, maxlength: 2 })}
        ${textField({ id: 'phone', label: 'Phone', value: v.phone, error: e.phone, type: 'tel' })}
        ${textField({ id: 'email', label: 'Email', value: v.email, error: e.email, type: 'email' })}`)
      : html`<dl class="facts"><div><dt>Name</dt><dd>${c.first_name} ${c.middle_name ?? ''} ${c.last_name} ${c.suffix ?? ''}</dd></div><div><dt>Date of birth</dt><dd>${usDate(c.birth_date)}</dd></div>
        <div><dt>Sex</dt><dd>${c.sex}</dd></div><div><dt>Mother\u2019s maiden name</dt><dd>${c.mother_maiden_name ?? '—'}</dd></div><div><dt>Phone</dt><dd>${c.phone ?? '—'}</dd></div></dl>`),
    consent: () => html`<p>In force: <strong>${consentLabel(c.consent)}</strong>${c.consent_date ? ` signed ${usDate(c.consent_date)}` : ''}.</p>
      ${list(d.consents.map((x: { kind: string; signed_on: string }) => `${consentLabel(x.kind)} — signed ${usDate(x.signed_on)}`), 'Consent forms on file')}
      ${form(html`${selectField({ id: 'consent', label: 'Consent form received', value: v.consent, error: e.consent, options: [['minor', 'Minor consent (parent or guardian)'], ['adult', 'Adult consent'], ['withdrawn', 'Withdrawal of consent']] })}
        ${textField({ id: 'signedOn', label: 'Date signed', value: v.signedOn, error: e.signedOn, hint: dateHint, required: true })}
        <p class="hint">A withdrawal removes the client from every search and record view except Full Access State.</p>`, 'Record consent')}`,
    aka: () => html`${list(d.akas.map((a: { first_name: string; middle_name: string | null; last_name: string }) => `${a.last_name}, ${a.first_name}${a.middle_name ? ` ${a.middle_name}` : ''}`), 'Other names')}
      ${form(html`${textField({ id: 'firstName', label: 'First name', value: v.firstName, error: e.firstName, required: true })}
        ${textField({ id: 'middleName', label: 'Middle name', value: v.middleName, error: e.middleName })}
        ${textField({ id: 'lastName', label: 'Last name', value: v.lastName, error: e.lastName, required: true })}`, 'Add name')}`,
    organization: () => html`<p>Organization of record: <strong>${d.organization?.name ?? c.organization_id}</strong> (TX IIS ID ${c.organization_id}).</p>
      ${canEdit ? html`<form method="post" action="${action}">${csrf}<button class="usa-button" type="submit">Make my organization the organization of record</button></form>` : ''}`,
    address: () => html`${list(d.addresses.map((a: { line1: string; line2: string | null; city: string; state: string; zip: string; current: unknown }) => `${a.line1}${a.line2 ? `, ${a.line2}` : ''}, ${a.city}, ${a.state} ${a.zip}${a.current ? ' (current)' : ''}`), 'Addresses')}
      ${form(html`${textField({ id: 'line1', label: 'Street address', value: v.line1, error: e.line1, required: true, autocomplete: 'off' })}
        ${textField({ id: 'line2', label: 'Apartment, suite', value: v.line2, error: e.line2 })}
        ${textField({ id: 'city', label: 'City', value: v.city, error: e.city, required: true })}
        ${textField({ id: 'county', label: 'County', value: v.county, error: e.county })}
        ${textField({ id: 'state', label: 'State', value: v.state ?? 'TX', error: e.state, maxlength: 2, required: true })}
        ${textField({ id: 'zip', label: 'ZIP code', value: v.zip, error: e.zip, required: true, inputmode: 'numeric' })}`, 'Save as current address')}`,
    responsible: () => html`${list(d.responsible.map((r: { first_name: string; last_name: string; relationship: string; phone: string | null }) => `${r.first_name} ${r.last_name} — ${r.relationship}${r.phone ? `, ${r.phone}` : ''}`), 'Responsible persons')}
      ${form(html`${textField({ id: 'firstName', label: 'First name', value: v.firstName, error: e.firstName, required: true })}
        ${textField({ id: 'lastName', label: 'Last name', value: v.lastName, error: e.lastName, required: true })}
        ${selectField({ id: 'relationship', label: 'Relationship', value: v.relationship, error: e.relationship, options: [['mother', 'Mother'], ['father', 'Father'], ['guardian', 'Guardian'], ['grandparent', 'Grandparent'], ['other', 'Other']] })}
        ${textField({ id: 'phone', label: 'Phone', value: v.phone, error: e.phone, type: 'tel' })}`, 'Add person')}`,
    comments: () => html`${list(d.comments.map((x: { code: string; text: string | null; applies_on: string }) => `${usDate(x.applies_on)} — ${commentLabels[x.code] ?? x.code}${x.text ? `: ${x.text}` : ''}`), 'Comments')}
      ${form(html`${selectField({ id: 'code', label: 'Comment', value: v.code, error: e.code, options: Object.entries(commentLabels) })}
        ${textField({ id: 'appliesOn', label: 'Date', value: v.appliesOn, error: e.appliesOn, hint: dateHint, required: true })}
        ${textField({ id: 'text', label: 'Details', value: v.text, error: e.text, maxlength: 500 })}`, 'Add comment')}`,
    notes: () => html`${list(d.notes.map((n: { text: string; author: string; created_at: number }) => `${new Date(Number(n.created_at)).toISOString().slice(0, 10)} ${n.author}: ${n.text}`), 'Notes')}
      ${form(html`<div class="field${e.text ? ' has-error' : ''}"><label class="usa-label" for="text">Note</label>${e.text ? html`<p class="field-error" id="text-error">${e.text}</p>` : ''}<textarea class="usa-textarea" id="text" name="text" rows="4" maxlength="2000"${e.text ? html` aria-invalid="true" aria-describedby="text-error"` : ''}>${v.text ?? ''}</textarea></div>`, 'Add note')}`,
  };
  return html`<h1>Client demographics: ${c.first_name} ${c.last_name}</h1>
<p><a href="/clients/${c.registry_id}">Back to the immunization record</a></p>
<nav class="tabs" aria-label="Demographic tabs">
  ${demographicTabs.map(([key, label]) => html`<a href="/clients/${c.registry_id}/demographics/${key}"${key === tab ? html` aria-current="page"` : ''}>${label}</a>`)}
</nav>
<section aria-labelledby="tab-title"><h2 id="tab-title">${demographicTabs.find(([k]) => k === tab)![1]}</h2>
${p.saved ? html`<p class="notice" role="status">Saved.</p>` : ''}
${bodies[tab]()}
</section>`;
}

function list(items: string[], label: string): SafeHtml {
  return items.length ? html`<ul aria-label="${label}">${items.map((i) => html`<li>${i}</li>`)}</ul>` : html`<p class="hint">None on file.</p>`;
}

function defaults(d: Demographics, tab: DemographicTab): Record<string, string> {
  const c = d.client;
  if (tab === 'personal') {
    return { firstName: c.first_name, middleName: c.middle_name ?? '', lastName: c.last_name, suffix: c.suffix ?? '', birthDate: usDate(c.birth_date), sex: c.sex, motherMaidenName: c.mother_maiden_name ?? '', birthState: c.birth_state ?? '', phone: c.phone ?? '', email: c.email ?? '' };
  }
  if (tab === 'consent') return { consent: c.consent };
  return {};
}
