import { unitOfWork, type Db } from '@portal/db';
import type { Clock } from '@portal/rp-kit';
import { can, requireCapability, type Actor } from './access.js';
import { InvalidForm, RegistryError } from './errors.js';
import type { AuditQueries } from '../queries/audit.js';
import { createClientQueries, type AddressFields, type ClientRow, type ClientSummary, type Consent, type PersonalFields } from '../queries/clients.js';
import { createImmunizationQueries, type DoseView, type ImmunizationFields } from '../queries/immunizations.js';
import type { ReferenceQueries } from '../queries/reference.js';
import { nameKey } from '../search/names.js';
import { smartSearch, type ScoredClient } from '../search/index.js';
import { createInventoryFeed } from './inventory-feed.js';

export type SearchRequest =
  | { mode: 'quick'; lastName: string; firstName: string; birthDate: string }
  | { mode: 'basic'; lastName: string | null; firstName: string | null; middleName: string | null; birthDate: string | null; sex: 'F' | 'M' | 'U' | null; motherMaidenName: string | null; phone: string | null; zip: string | null; registryId: string | null }
  | { mode: 'smart'; lastName: string; firstName: string; birthDate: string | null };

export interface ClientRecord {
  client: ClientRow;
  organizationName: string;
  doses: DoseView[];
}

/**
 * Clients and their immunizations as each role may see and change them (seed 000). Every function
 * checks the actor's role first; a withdrawn client does not exist for anyone but Full Access State.
 */
export function createClientRecords(deps: { db: Db; clock: Clock; audit: AuditQueries; reference: ReferenceQueries; afterDoses?: () => void }) {
  const { db, clock, audit, reference } = deps;
  const clients = createClientQueries(db);
  const immunizations = createImmunizationQueries(db);
  const unit = unitOfWork(db);
  const feed = createInventoryFeed({ db, clock });
  // After a dose is written (or refused): the inventory feed may deliver soon.
  const afterDoses = () => deps.afterDoses?.();
  const today = () => new Date(clock.now()).toISOString().slice(0, 10);

  async function visibleClient(actor: Actor, registryId: string): Promise<ClientRow> {
    requireCapability(actor, 'clients:view');
    const client = /^\d{10}$/.test(registryId) ? await clients.findByRegistryId(registryId) : undefined;
    // Withdrawn consent: the record is no longer shown to anyone but Full Access State — the same
    // answer as an unknown id, so the page does not tell that the client exists.
    if (!client || (client.consent === 'withdrawn' && !can(actor, 'clients:withdrawn'))) throw new RegistryError('client.not_found', 404);
    return client;
  }

  const record = (actor: Actor, action: string, clientId: number | null, details?: string) =>
    audit.record({ at: clock.now(), sub: actor.sub, organization_id: actor.org.iis_id, action, client_id: clientId, details: details ?? null });

  function notInFuture(date: string, field: string, label: string): void {
    if (date > today()) throw new InvalidForm({ [field]: `The ${label} cannot be in the future.` });
  }

  return {
    async search(actor: Actor, request: SearchRequest): Promise<(ClientSummary | ScoredClient)[]> {
      requireCapability(actor, 'clients:search');
      const withdrawnToo = can(actor, 'clients:withdrawn');
      switch (request.mode) {
        case 'quick':
          return clients.quick({ lastKey: nameKey(request.lastName), firstKey: nameKey(request.firstName), birthDate: request.birthDate }, withdrawnToo);
        case 'basic':
          return clients.basic(
            {
              lastName: request.lastName ?? undefined, firstName: request.firstName ?? undefined, middleName: request.middleName ?? undefined,
              birthDate: request.birthDate ?? undefined, sex: request.sex ?? undefined, motherMaidenName: request.motherMaidenName ?? undefined,
              phone: request.phone ?? undefined, zip: request.zip ?? undefined, registryId: request.registryId ?? undefined,
            },
            withdrawnToo,
          );
        case 'smart':
          return smartSearch(clients, { firstName: request.firstName, lastName: request.lastName, birthDate: request.birthDate ?? undefined }, withdrawnToo);
      }
    },

    async record(actor: Actor, registryId: string): Promise<ClientRecord> {
      const client = await visibleClient(actor, registryId);
      const org = await db('organizations').where({ iis_id: client.organization_id }).first('name');
      return { client, organizationName: (org as { name: string } | undefined)?.name ?? client.organization_id, doses: await immunizations.ofClient(client.id) };
    },

    /** The demographic tabs (seed 000: "Client Demographics"). */
    async demographics(actor: Actor, registryId: string) {
      const client = await visibleClient(actor, registryId);
      const [akas, addresses, responsible, comments, notes, consents] = await Promise.all([
        clients.akas(client.id), clients.addresses(client.id), clients.responsiblePersons(client.id), clients.comments(client.id), clients.notes(client.id), clients.consents(client.id),
      ]);
      const org = await db('organizations').where({ iis_id: client.organization_id }).first('name', 'code');
      return { client, organization: org as { name: string; code: string } | undefined, akas, addresses, responsible, comments, notes, consents };
    },

    async create(actor: Actor, input: { personal: PersonalFields; address: AddressFields; consent: Consent; signedOn: string }): Promise<string> {
      requireCapability(actor, 'clients:edit');
      notInFuture(input.personal.birth_date, 'birthDate', 'date of birth');
      notInFuture(input.signedOn, 'signedOn', 'date the form was signed');
      return unit(async () => {
        const registryId = await clients.nextRegistryId();
        const id = await clients.insert({ registry_id: registryId, personal: input.personal, consent: input.consent, consent_date: input.signedOn, organization_id: actor.org.iis_id, address: input.address }, clock.now());
        await db('client_consents').insert({ client_id: id, kind: input.consent, signed_on: input.signedOn, organization_id: actor.org.iis_id, recorded_at: clock.now() });
        await record(actor, 'client.create', id);
        return registryId;
      });
    },

    async updatePersonal(actor: Actor, registryId: string, personal: PersonalFields): Promise<void> {
      requireCapability(actor, 'clients:edit');
      const client = await visibleClient(actor, registryId);
      notInFuture(personal.birth_date, 'birthDate', 'date of birth');
      await unit(async () => {
        await clients.updatePersonal(client.id, personal, clock.now());
        await record(actor, 'client.personal.update', client.id);
      });
    },

    async setConsent(actor: Actor, registryId: string, consent: Consent, signedOn: string): Promise<void> {
      requireCapability(actor, 'clients:edit');
      const client = await visibleClient(actor, registryId);
      notInFuture(signedOn, 'signedOn', 'date the form was signed');
      await unit(async () => {
        await clients.setConsent(client.id, consent, signedOn, actor.org.iis_id, clock.now());
        await record(actor, 'client.consent', client.id, consent);
      });
    },

    async setAddress(actor: Actor, registryId: string, address: AddressFields): Promise<void> {
      requireCapability(actor, 'clients:edit');
      const client = await visibleClient(actor, registryId);
      await unit(async () => {
        await clients.setAddress(client.id, address);
        await record(actor, 'client.address', client.id);
      });
    },

    /** "Organization information": the client's organization of record becomes the actor's. */
    async claimForOrganization(actor: Actor, registryId: string): Promise<void> {
      requireCapability(actor, 'clients:edit');
      const client = await visibleClient(actor, registryId);
      await unit(async () => {
        await clients.setOrganization(client.id, actor.org.iis_id, clock.now());
        await record(actor, 'client.organization', client.id);
      });
    },

    async addAka(actor: Actor, registryId: string, aka: { first_name: string; middle_name: string | null; last_name: string }): Promise<void> {
      requireCapability(actor, 'clients:edit');
      const client = await visibleClient(actor, registryId);
      await unit(async () => {
        await clients.addAka(client.id, aka);
        await record(actor, 'client.aka.add', client.id);
      });
    },

    async addResponsiblePerson(actor: Actor, registryId: string, person: { first_name: string; last_name: string; relationship: string; phone: string | null }): Promise<void> {
      requireCapability(actor, 'clients:edit');
      const client = await visibleClient(actor, registryId);
      await unit(async () => {
        await clients.addResponsiblePerson(client.id, person);
        await record(actor, 'client.responsible.add', client.id);
      });
    },

    async addComment(actor: Actor, registryId: string, comment: { code: string; text: string | null; appliesOn: string }): Promise<void> {
      requireCapability(actor, 'clients:edit');
      const client = await visibleClient(actor, registryId);
      await unit(async () => {
        await clients.addComment(client.id, { code: comment.code, text: comment.text, applies_on: comment.appliesOn, organization_id: actor.org.iis_id });
        await record(actor, 'client.comment.add', client.id, comment.code);
      });
    },

    async addNote(actor: Actor, registryId: string, text: string): Promise<void> {
      requireCapability(actor, 'clients:edit');
      const client = await visibleClient(actor, registryId);
      await unit(async () => {
        await clients.addNote(client.id, { text, author: actor.name, organization_id: actor.org.iis_id }, clock.now());
        await record(actor, 'client.note.add', client.id);
      });
    },

    /** New (administered here) or historical doses; the recording organization is the actor's. */
    async addImmunization(actor: Actor, registryId: string, fields: ImmunizationFields): Promise<number> {
      requireCapability(actor, 'immunizations:edit');
      const client = await visibleClient(actor, registryId);
      await checkDose(client, fields);
      return unit(async () => {
        const id = await immunizations.insert(client.id, actor.org.iis_id, fields, 'manual', clock.now());
        await feed.added({ id, organization_id: actor.org.iis_id, ...fields });
        await record(actor, fields.historical ? 'immunization.add_historical' : 'immunization.add', client.id, `immunization ${id}`);
        return id;
      }).finally(afterDoses);
    },

    async immunization(actor: Actor, registryId: string, immunizationId: number) {
      const client = await visibleClient(actor, registryId);
      const dose = await immunizations.find(client.id, immunizationId);
      if (!dose) throw new RegistryError('immunization.not_found', 404);
      return { client, dose };
    },

    async updateImmunization(actor: Actor, registryId: string, immunizationId: number, fields: ImmunizationFields): Promise<void> {
      requireCapability(actor, 'immunizations:edit');
      const client = await visibleClient(actor, registryId);
      await checkDose(client, fields);
      await unit(async () => {
        const before = await immunizations.find(client.id, immunizationId);
        if (!before || !(await immunizations.update(client.id, immunizationId, fields, clock.now()))) throw new RegistryError('immunization.not_found', 404);
        await feed.changed(before, { ...before, ...fields });
        await record(actor, 'immunization.update', client.id, `immunization ${immunizationId}`);
      }).finally(afterDoses);
    },

    async deleteImmunization(actor: Actor, registryId: string, immunizationId: number): Promise<void> {
      requireCapability(actor, 'immunizations:edit');
      const client = await visibleClient(actor, registryId);
      await unit(async () => {
        const before = await immunizations.find(client.id, immunizationId);
        if (!before || !(await immunizations.remove(client.id, immunizationId))) throw new RegistryError('immunization.not_found', 404);
        await feed.removed(before);
        await record(actor, 'immunization.delete', client.id, `immunization ${immunizationId}`);
      }).finally(afterDoses);
    },
  };

  async function checkDose(client: ClientRow, fields: ImmunizationFields): Promise<void> {
    const problems: Record<string, string> = {};
    const vaccine = await reference.vaccine(fields.cvx);
    // 998 "no vaccine administered" is a code for HL7 refusals, not a dose a person records.
    if (!vaccine || vaccine.groups === '') problems.cvx = 'Choose the vaccine from the list.';
    else if (vaccine.status !== 'Active' && !fields.historical) problems.cvx = `${vaccine.short_name} is no longer given: record it as historical.`;
    if (fields.given_on > today()) problems.givenOn = 'The date given cannot be in the future.';
    else if (fields.given_on < client.birth_date) problems.givenOn = 'The date given is before the client\u2019s date of birth.';
    if (fields.mvx && !(await reference.manufacturer(fields.mvx))) problems.mvx = 'Choose the manufacturer from the list.';
    if (Object.keys(problems).length) throw new InvalidForm(problems);
  }
}

export type ClientRecords = ReturnType<typeof createClientRecords>;
