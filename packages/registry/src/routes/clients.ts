import express, { type Request, type Response, type Router } from 'express';
import { html } from '@portal/rp-kit';
import { z } from 'zod';
import { can } from '../libraries/access.js';
import type { ClientRecords } from '../libraries/client-records.js';
import { InvalidForm, RegistryError } from '../libraries/errors.js';
import {
  akaInput, addressInput, commentInput, consentInput, fieldErrors, immunizationInput, newClientInput, noteInput, personalInput, responsibleInput, searchInput,
} from '../libraries/input.js';
import type { ReferenceQueries } from '../queries/reference.js';
import type { ImmunizationFields } from '../queries/immunizations.js';
import { usDate } from '../search/dates.js';
import { clientInformation, immunizationForm, immunizationTable, searchPage, type SearchMode } from '../views/clients.js';
import { demographicTabs, demographicsPage, type DemographicTab } from '../views/demographics.js';
import { errorSummary } from '../views/layout.js';
import { dateHint, selectField, textField } from '../views/forms.js';
import { actorOf, csrfField, formPost, renderWorkspace, requireWorkspace, type Context } from './context.js';

export interface ClientRouteDeps extends Context {
  records: ClientRecords;
  reference: ReferenceQueries;
  /** The "vaccines recommended" section of a record (the forecast), given the client and doses. */
  recommended: (record: Awaited<ReturnType<ClientRecords['record']>>, today: string) => ReturnType<typeof html>;
  today: () => string;
}

const modes = ['quick', 'basic', 'smart'] as const;
const isMode = (v: unknown): v is SearchMode => (modes as readonly unknown[]).includes(v);

/** Client search, the client immunization record, demographics and immunizations (seed 000). */
export function createClientRoutes(deps: ClientRouteDeps): Router {
  const { records, reference } = deps;
  const router = express.Router();
  const guard = requireWorkspace(deps);

  /** Validates a form against a schema; on failure the page is drawn again with the messages. */
  function validate<S extends z.ZodType>(schema: S, body: Record<string, string>): { data: z.output<S> } | { errors: Record<string, string> } {
    const parsed = schema.safeParse(body);
    return parsed.success ? { data: parsed.data } : { errors: fieldErrors(parsed.error) };
  }

  // --- Search ---------------------------------------------------------------------------------
  router.get('/clients/search', ...guard, (req, res) => {
    const mode = isMode(req.query.mode) ? req.query.mode : 'quick';
    renderWorkspace(deps, res, { title: 'Client search', current: '/clients/search', body: searchPage({ mode, csrf: csrfField(res), values: {}, errors: {} }) });
  });

  // A POST, not a query string: names and dates of birth stay out of URLs, logs and history.
  router.post(
    '/clients/search',
    ...guard,
    ...formPost(deps, async (_req, res, body) => {
      const mode = isMode(body.mode) ? body.mode : 'quick';
      // A field the form did not send is an empty one (a person leaves most of a basic search blank).
      const blank = { lastName: '', firstName: '', middleName: '', birthDate: '', sex: '', motherMaidenName: '', phone: '', zip: '', registryId: '' };
      const values = { ...blank, ...body };
      const checked = validate(searchInput[mode], values);
      if ('errors' in checked) {
        return renderWorkspace(deps, res, { status: 400, title: 'Error: Client search', current: '/clients/search', body: searchPage({ mode, csrf: csrfField(res), values, errors: checked.errors }) });
      }
      const results = await records.search(actorOf(res), { mode, ...checked.data } as Parameters<ClientRecords['search']>[1]);
      // Seed 000: "If an exact match is found, the client's record will display."
      if (results.length === 1) return res.redirect(303, `/clients/${results[0]!.registry_id}`);
      renderWorkspace(deps, res, { title: 'Client list', current: '/clients/search', body: searchPage({ mode, csrf: csrfField(res), values, errors: {}, results }) });
    }),
  );

  // --- Add a client ---------------------------------------------------------------------------
  const newClientForm = (res: Response, values: Record<string, string>, errors: Record<string, string>) => html`<h1>Add client</h1>
${errorSummary(errors)}
<form method="post" action="/clients/new" novalidate>
  ${csrfField(res)}
  <fieldset><legend>Personal information</legend>
  ${textField({ id: 'firstName', label: 'First name', value: values.firstName, error: errors.firstName, required: true })}
  ${textField({ id: 'middleName', label: 'Middle name', value: values.middleName, error: errors.middleName })}
  ${textField({ id: 'lastName', label: 'Last name', value: values.lastName, error: errors.lastName, required: true })}
  ${selectField({ id: 'suffix', label: 'Suffix', value: values.suffix, error: errors.suffix, options: [['', 'None'], ['JR', 'Jr.'], ['SR', 'Sr.'], ['II', 'II'], ['III', 'III'], ['IV', 'IV']] })}
  ${textField({ id: 'birthDate', label: 'Date of birth', value: values.birthDate, error: errors.birthDate, hint: dateHint, required: true })}
  ${selectField({ id: 'sex', label: 'Sex', value: values.sex, error: errors.sex, options: [['', 'Choose'], ['F', 'Female'], ['M', 'Male'], ['U', 'Unknown']], required: true })}
  ${textField({ id: 'motherMaidenName', label: 'Mother\u2019s maiden name', value: values.motherMaidenName, error: errors.motherMaidenName })}
  ${textField({ id: 'birthState', label: 'State of birth', value: values.birthState, error: errors.birthState, maxlength: 2 })}
  ${textField({ id: 'phone', label: 'Phone', value: values.phone, error: errors.phone, type: 'tel' })}
  ${textField({ id: 'email', label: 'Email', value: values.email, error: errors.email, type: 'email' })}
  </fieldset>
  <fieldset><legend>Address</legend>
  ${textField({ id: 'line1', label: 'Street address', value: values.line1, error: errors.line1, required: true })}
  ${textField({ id: 'line2', label: 'Apartment, suite', value: values.line2, error: errors.line2 })}
  ${textField({ id: 'city', label: 'City', value: values.city, error: errors.city, required: true })}
  ${textField({ id: 'county', label: 'County', value: values.county, error: errors.county })}
  ${textField({ id: 'state', label: 'State', value: values.state ?? 'TX', error: errors.state, maxlength: 2, required: true })}
  ${textField({ id: 'zip', label: 'ZIP code', value: values.zip, error: errors.zip, required: true, inputmode: 'numeric' })}
  </fieldset>
  <fieldset><legend>Consent</legend>
  ${selectField({ id: 'consent', label: 'Consent form on file', value: values.consent, error: errors.consent, options: [['', 'Choose'], ['minor', 'Minor consent (parent or guardian)'], ['adult', 'Adult consent']], required: true })}
  ${textField({ id: 'signedOn', label: 'Date signed', value: values.signedOn, error: errors.signedOn, hint: dateHint, required: true })}
  </fieldset>
  <button class="usa-button" type="submit">Add client</button>
</form>`;

  router.get('/clients/new', ...guard, (_req, res) => {
    if (!can(actorOf(res), 'clients:edit')) throw new RegistryError('access.role', 403);
    renderWorkspace(deps, res, { title: 'Add client', current: '/clients/new', body: newClientForm(res, {}, {}) });
  });

  router.post(
    '/clients/new',
    ...guard,
    ...formPost(deps, async (_req, res, body) => {
      const actor = actorOf(res);
      if (!can(actor, 'clients:edit')) throw new RegistryError('access.role', 403);
      const again = (errors: Record<string, string>) => renderWorkspace(deps, res, { status: 400, title: 'Error: Add client', current: '/clients/new', body: newClientForm(res, body, errors) });
      const checked = validate(newClientInput, body);
      if ('errors' in checked) return again(checked.errors);
      const d = checked.data;
      if (d.consent === 'withdrawn') return again({ consent: 'A new client is registered with a consent form, not a withdrawal.' });
      try {
        const registryId = await records.create(actor, { personal: personal(d), address: { line1: d.line1, line2: d.line2, city: d.city, county: d.county, state: d.state, zip: d.zip }, consent: d.consent, signedOn: d.signedOn });
        res.redirect(303, `/clients/${registryId}`);
      } catch (err) {
        if (err instanceof InvalidForm) return again(err.fields);
        throw err;
      }
    }),
  );

  // --- The client immunization record -----------------------------------------------------------
  router.get('/clients/:registryId', ...guard, async (req, res) => {
    const actor = actorOf(res);
    const record = await records.record(actor, String(req.params.registryId));
    const { client } = record;
    const editable = can(actor, 'immunizations:edit');
    renderWorkspace(deps, res, {
      title: `${client.first_name} ${client.last_name}`,
      current: '/clients/search',
      body: html`<h1>Client immunizations</h1>
${clientInformation(client, record.organizationName)}
<nav class="record-actions" aria-label="Client">
  ${editable ? html`<a class="usa-button" href="/clients/${client.registry_id}/immunizations/new">Add new immunization</a>
  <a class="usa-button usa-button--outline" href="/clients/${client.registry_id}/immunizations/new?historical=1">Add historical immunization</a>` : ''}
  <a class="usa-button usa-button--outline" href="/clients/${client.registry_id}/demographics/personal">Demographics</a>
  <a class="usa-button usa-button--outline" href="/clients/${client.registry_id}/official-record.pdf">Official Immunization Record (PDF)</a>
  <a class="usa-button usa-button--outline" href="/clients/${client.registry_id}/official-record">Print</a>
  ${can(actor, 'reports:provider') ? html`<a class="usa-button usa-button--outline" href="/reports?client=${client.registry_id}">Reports</a>` : ''}
  <a class="usa-button usa-button--outline" href="/clients/search">Cancel</a>
</nav>
<section class="panel" aria-labelledby="record-title"><h2 id="record-title">Immunization record</h2>
${immunizationTable(record.doses, { registryId: client.registry_id, canEdit: editable, csrf: csrfField(res) })}
</section>
${deps.recommended(record, deps.today())}`,
    });
  });

  // --- Immunizations: add, edit, delete (Full Access Provider and above) -------------------------
  async function doseForm(res: Response, p: { registryId: string; action: string; title: string; values: Record<string, string>; errors: Record<string, string>; status?: number }) {
    const [vaccines, manufacturers] = await Promise.all([reference.vaccines(), reference.manufacturers()]);
    renderWorkspace(deps, res, {
      status: p.status,
      title: Object.keys(p.errors).length ? `Error: ${p.title}` : p.title,
      current: '/clients/search',
      body: immunizationForm({ action: p.action, title: p.title, csrf: csrfField(res), vaccines, manufacturers, values: p.values, errors: p.errors, cancel: `/clients/${p.registryId}` }),
    });
  }

  const doseFields = (d: z.output<typeof immunizationInput>): ImmunizationFields => ({
    cvx: d.cvx.padStart(2, '0'), ndc: null, given_on: d.givenOn, trade_name: d.tradeName, mvx: d.mvx, lot: d.lot, site: d.site, route: d.route, historical: d.historical, administered_by: d.administeredBy,
  });

  router.get('/clients/:registryId/immunizations/new', ...guard, async (req, res) => {
    const actor = actorOf(res);
    if (!can(actor, 'immunizations:edit')) throw new RegistryError('access.role', 403);
    const { client } = await records.record(actor, String(req.params.registryId));
    await doseForm(res, { registryId: client.registry_id, action: `/clients/${client.registry_id}/immunizations/new`, title: 'Add immunization', values: { historical: req.query.historical === '1' ? '1' : '0', givenOn: usDate(deps.today()) }, errors: {} });
  });

  router.post(
    '/clients/:registryId/immunizations/new',
    ...guard,
    ...formPost(deps, async (req, res, body) => {
      const actor = actorOf(res);
      const registryId = String(req.params.registryId);
      const again = (errors: Record<string, string>) => doseForm(res, { registryId, action: `/clients/${registryId}/immunizations/new`, title: 'Add immunization', values: body, errors, status: 400 });
      const checked = validate(immunizationInput, body);
      if (!can(actor, 'immunizations:edit')) throw new RegistryError('access.role', 403);
      if ('errors' in checked) return again(checked.errors);
      try {
        await records.addImmunization(actor, registryId, doseFields(checked.data));
        res.redirect(303, `/clients/${registryId}`);
      } catch (err) {
        if (err instanceof InvalidForm) return again(err.fields);
        throw err;
      }
    }),
  );

  router.get('/clients/:registryId/immunizations/:id/edit', ...guard, async (req, res) => {
    const actor = actorOf(res);
    if (!can(actor, 'immunizations:edit')) throw new RegistryError('access.role', 403);
    const { client, dose } = await records.immunization(actor, String(req.params.registryId), doseId(req));
    await doseForm(res, {
      registryId: client.registry_id, action: `/clients/${client.registry_id}/immunizations/${dose.id}/edit`, title: 'Edit immunization', errors: {},
      values: { cvx: dose.cvx, givenOn: usDate(dose.given_on), tradeName: dose.trade_name ?? '', mvx: dose.mvx ?? '', lot: dose.lot ?? '', site: dose.site ?? '', route: dose.route ?? '', historical: dose.historical ? '1' : '0', administeredBy: dose.administered_by ?? '' },
    });
  });

  router.post(
    '/clients/:registryId/immunizations/:id/edit',
    ...guard,
    ...formPost(deps, async (req, res, body) => {
      const actor = actorOf(res);
      const registryId = String(req.params.registryId);
      const id = doseId(req);
      const again = (errors: Record<string, string>) => doseForm(res, { registryId, action: `/clients/${registryId}/immunizations/${id}/edit`, title: 'Edit immunization', values: body, errors, status: 400 });
      if (!can(actor, 'immunizations:edit')) throw new RegistryError('access.role', 403);
      const checked = validate(immunizationInput, body);
      if ('errors' in checked) return again(checked.errors);
      try {
        await records.updateImmunization(actor, registryId, id, doseFields(checked.data));
        res.redirect(303, `/clients/${registryId}`);
      } catch (err) {
        if (err instanceof InvalidForm) return again(err.fields);
        throw err;
      }
    }),
  );

  router.post(
    '/clients/:registryId/immunizations/:id/delete',
    ...guard,
    ...formPost(deps, async (req, res) => {
      const registryId = String(req.params.registryId);
      await records.deleteImmunization(actorOf(res), registryId, doseId(req));
      res.redirect(303, `/clients/${registryId}`);
    }),
  );

  // --- Demographics ---------------------------------------------------------------------------
  const isTab = (v: unknown): v is DemographicTab => demographicTabs.some(([k]) => k === v);

  async function showDemographics(req: Request, res: Response, extra: { values?: Record<string, string>; errors?: Record<string, string>; saved?: boolean; status?: number } = {}) {
    const actor = actorOf(res);
    const tab = req.params.tab;
    if (!isTab(tab)) throw new RegistryError('client.not_found', 404);
    const d = await records.demographics(actor, String(req.params.registryId));
    const errors = extra.errors ?? {};
    renderWorkspace(deps, res, {
      status: extra.status,
      title: `${Object.keys(errors).length ? 'Error: ' : ''}Demographics: ${d.client.first_name} ${d.client.last_name}`,
      current: '/clients/search',
      body: demographicsPage({ d, tab, canEdit: can(actor, 'clients:edit'), csrf: csrfField(res), values: extra.values ?? {}, errors, saved: extra.saved }),
    });
  }

  router.get('/clients/:registryId/demographics/:tab', ...guard, async (req, res) => showDemographics(req, res, { saved: req.query.saved === '1' }));

  /** Each tab's form: its schema and what saving it does. */
  const tabSaves: Record<DemographicTab, { schema: z.ZodType; save: (actor: ReturnType<typeof actorOf>, registryId: string, data: never) => Promise<void> }> = {
    personal: { schema: personalInput, save: (a, id, d: z.output<typeof personalInput>) => records.updatePersonal(a, id, personal(d)) },
    consent: { schema: consentInput, save: (a, id, d: z.output<typeof consentInput>) => records.setConsent(a, id, d.consent, d.signedOn) },
    aka: { schema: akaInput, save: (a, id, d: z.output<typeof akaInput>) => records.addAka(a, id, { first_name: d.firstName, middle_name: d.middleName, last_name: d.lastName }) },
    organization: { schema: z.object({}), save: (a, id) => records.claimForOrganization(a, id) },
    address: { schema: addressInput, save: (a, id, d: z.output<typeof addressInput>) => records.setAddress(a, id, d) },
    responsible: { schema: responsibleInput, save: (a, id, d: z.output<typeof responsibleInput>) => records.addResponsiblePerson(a, id, { first_name: d.firstName, last_name: d.lastName, relationship: d.relationship, phone: d.phone }) },
    comments: { schema: commentInput, save: (a, id, d: z.output<typeof commentInput>) => records.addComment(a, id, d) },
    notes: { schema: noteInput, save: (a, id, d: z.output<typeof noteInput>) => records.addNote(a, id, d.text) },
  };

  router.post(
    '/clients/:registryId/demographics/:tab',
    ...guard,
    ...formPost(deps, async (req, res, body) => {
      const actor = actorOf(res);
      const tab = req.params.tab;
      if (!isTab(tab)) throw new RegistryError('client.not_found', 404);
      if (!can(actor, 'clients:edit')) throw new RegistryError('access.role', 403);
      const registryId = String(req.params.registryId);
      const { schema, save } = tabSaves[tab];
      const { csrf: _csrf, ...fields } = body;
      const checked = validate(schema, fields);
      if ('errors' in checked) return showDemographics(req, res, { values: body, errors: checked.errors, status: 400 });
      try {
        await save(actor, registryId, checked.data as never);
      } catch (err) {
        if (err instanceof InvalidForm) return showDemographics(req, res, { values: body, errors: err.fields, status: 400 });
        throw err;
      }
      // A withdrawn client is no longer visible to this person: back to the search.
      if (tab === 'consent' && fields.consent === 'withdrawn' && !can(actor, 'clients:withdrawn')) return res.redirect(303, '/clients/search');
      res.redirect(303, `/clients/${registryId}/demographics/${tab}?saved=1`);
    }),
  );

  return router;
}

function doseId(req: Request): number {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new RegistryError('immunization.not_found', 404);
  return id;
}

function personal(d: z.output<typeof personalInput>) {
  return {
    first_name: d.firstName, middle_name: d.middleName, last_name: d.lastName, suffix: d.suffix, birth_date: d.birthDate, sex: d.sex,
    mother_maiden_name: d.motherMaidenName, birth_state: d.birthState, phone: d.phone, email: d.email,
  };
}
