import { html, registryRoles, type SafeHtml } from '@portal/common';
import type { StatusCard } from '../libraries/administration/support.js';
import type { ClientView } from '../libraries/administration/admin.js';
import { orgTypes } from '../libraries/administration/admin.js';
import { auaTextIn } from '../flows/aua/aua-text.js';
import { pageDateTime } from '../libraries/dates.js';
import { coordinatorName, roleName, t, tHtml } from '../locales/consoles.js';
import { questionText } from '../locales/sign-in.js';
import { reasonFields } from './reason-fields.js';
import type { OrgRow } from '../queries/orgs.js';
import type { UserSearchField, UserSearchRow } from '../queries/users.js';
import { layout, type SignedInHeader } from './layout.js';
import { errorSummary } from './form-problems.js';
import { pager, userSearchForm, userSearchResults } from './user-search-form.js';

interface Page {
  header: SignedInHeader;
  supportContact: string;
  timeZone: string;
}

/** What a form page re-shows after a refusal: the person's own input, never a secret. */
export type FormValues = Record<string, string | string[] | undefined>;

interface FormPage extends Page {
  csrfToken: string;
  problems?: string[] | undefined;
  values?: FormValues | undefined;
}

function page(v: Page, title: string, body: SafeHtml): string {
  return layout({ title: `${title} · ${t('admin.title')}`, supportContact: v.supportContact, signedInAs: v.header, body });
}

/** A moment in the page's language and the programme's time zone; "Never" for none. */
const when = (at: number | null, timeZone: string) => (at === null ? t('consoles.never') : pageDateTime(at, timeZone));

const value = (values: FormValues | undefined, name: string): string => {
  const v = values?.[name];
  return typeof v === 'string' ? v : '';
};

const selected = (on: boolean) => (on ? html` selected` : '');
const checked = (on: boolean) => (on ? html` checked` : '');
const back = (href: string, label: string) => html`<p><a href="${href}">${t('consoles.back', { label })}</a></p>`;
const done = (message: string | undefined) => (message ? html`<p class="success" role="status">${message}</p>` : '');

export const systemRoleLabel = (role: 'helpdesk' | 'admin' | null) => t(`consoles.staffRole.${role ?? 'none'}`);

const orgTypeLabel = (type: string | null) => (type && (orgTypes as readonly string[]).includes(type) ? t(`admin.orgs.types.${type}`) : '—');

/**
 * Every change is one of these: what will happen, the fields, the reason, one button. It is also
 * the confirmation step — nothing changes until it is submitted.
 */
function changeForm(v: FormPage & { title: string; intro?: SafeHtml | string; action: string; fields?: SafeHtml; button: string; cancel: string; wide?: boolean }): string {
  return page(
    v,
    v.title,
    html`<section class="card${v.wide ? ' wide' : ''}" aria-labelledby="form-title">
  <h1 id="form-title">${v.title}</h1>
  ${v.intro ? html`<p>${v.intro}</p>` : ''}
  ${errorSummary(v.problems)}
  <form method="post" action="${v.action}" novalidate>
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    ${v.fields ?? ''}
    ${reasonFields(v.values)}
    <button class="usa-button" type="submit">${v.button}</button>
  </form>
  <p><a href="${v.cancel}">${t('consoles.cancel')}</a></p>
</section>`,
  );
}

/** A secret or password, shown once: the page is not cached and is never shown again. */
function shownOnce(v: Page & { title: string; lead: SafeHtml; secret: string; after: SafeHtml; next: { href: string; label: string } }): string {
  return page(
    v,
    v.title,
    html`<section class="card" aria-labelledby="secret-title">
  <h1 id="secret-title">${v.title}</h1>
  <p>${v.lead} ${t('consoles.shownOnce')}</p>
  <p class="temporary-password"><code>${v.secret}</code></p>
  <p>${v.after}</p>
  <p><a class="usa-button" href="${v.next.href}">${v.next.label}</a></p>
</section>`,
  );
}

/** The administration index: each section's page and its name in the catalogue (`admin.index`). */
const sections = [
  ['/admin/users', 'users'],
  ['/admin/organizations', 'orgs'],
  ['/admin/applications', 'apps'],
  ['/admin/aua', 'aua'],
  ['/admin/security-questions', 'questions'],
  ['/admin/audit', 'audit'],
] as const;

export function adminIndexPage(v: Page): string {
  return page(
    v,
    t('admin.title'),
    html`<section class="card wide" aria-labelledby="admin-title">
  <h1 id="admin-title">${t('admin.title')}</h1>
  <ul class="apps">
    ${sections.map(([href, name]) => html`<li><a href="${href}">${t(`admin.index.${name}`)}</a><span class="hint"> — ${t(`admin.index.${name}What`)}</span></li>`)}
  </ul>
  <p>${tHtml('admin.index.helpdesk', { link: html`<a href="/helpdesk">${t('admin.index.helpdeskLink')}</a>` })}</p>
</section>`,
  );
}

/* ---------- Users ---------- */


export function userSearchPage(v: Page & { field: UserSearchField; text: string; results?: { rows: UserSearchRow[]; page: number; more: boolean }; problems?: string[] }): string {
  const link = (p: number) => `/admin/users?${new URLSearchParams({ field: v.field, q: v.text, page: String(p) })}`;
  return page(
    v,
    t('admin.users.title'),
    html`<section class="card wide" aria-labelledby="users-title">
  ${back('/admin', t('admin.title'))}
  <h1 id="users-title">${t('admin.users.title')}</h1>
  <p><a class="usa-button" href="/admin/users/new">${t('admin.users.create')}</a></p>
  ${errorSummary(v.problems)}
  ${userSearchForm('/admin/users', v.field, v.text)}
  ${v.results
    ? userSearchResults({
        results: v.results,
        hrefOf: (r) => `/admin/users/${r.id}`,
        pageHref: link,
        extra: { heads: [t('admin.users.role'), t('admin.users.account')], cells: (r) => [r.system_role ? systemRoleLabel(r.system_role) : '—', r.disabled_at ? t('consoles.disabled') : t('consoles.active')] },
      })
    : ''}
</section>`,
  );
}

/** The three role changes an administrator can make; the button and the confirmation say them (`admin.roleChanges`). */
export const roleChanges = ['helpdesk', 'admin', 'none'] as const;
export type RoleChange = (typeof roleChanges)[number];
const roleChangeText = (role: RoleChange, part: 'button' | 'question' | 'effect') => t(`admin.roleChanges.${role}.${part}`);

/** Disable and re-enable, from the support library (administrators may act on staff too); the help desk's words, a longer effect for disabling. */
export const accountActions = ['disable', 'enable'] as const;
export type AccountAction = (typeof accountActions)[number];
const accountActionText = (action: AccountAction, part: 'button' | 'question' | 'effect') =>
  action === 'disable' && part === 'effect' ? t('admin.disableEffect') : t(`helpdesk.actions.${action}.${part}`);

const who = (card: Pick<StatusCard, 'user'>) => html`<strong>${card.user.name}</strong> (${card.user.username})`;

export function userPage(v: Page & { card: StatusCard; done?: string | undefined }): string {
  const { card } = v;
  const id = card.user.id;
  const at = (moment: number | null) => when(moment, v.timeZone);
  const roles = roleChanges.filter((r) => (r === 'none' ? card.user.systemRole !== null : card.user.systemRole !== r));
  return page(
    v,
    card.user.username,
    html`<section class="card wide" aria-labelledby="user-title">
  ${back('/admin/users', t('admin.users.title'))}
  <h1 id="user-title">${card.user.name} <span class="hint">(${card.user.username})</span></h1>
  ${done(v.done)}
  ${card.actionable ? '' : html`<p class="notice">${t('admin.user.ownAccount')}</p>`}
  <dl class="profile">
    <dt>${t('consoles.username')}</dt><dd>${card.user.username}</dd>
    <dt>${t('consoles.name')}</dt><dd>${card.user.name}</dd>
    <dt>${t('consoles.email')}</dt><dd>${card.user.email}</dd>
    <dt>${t('consoles.phone')}</dt><dd>${card.user.phone ?? '—'}</dd>
    <dt>${t('admin.user.staffRole')}</dt><dd>${systemRoleLabel(card.user.systemRole)}</dd>
    <dt>${t('admin.user.account')}</dt><dd>${card.user.disabledAt ? html`<strong>${t('consoles.disabled')}</strong> ${t('consoles.since', { when: at(card.user.disabledAt) })}` : t('consoles.active')}</dd>
    <dt>${t('admin.user.password')}</dt><dd>${card.password.temporary ? t('admin.user.temporary') : t('admin.user.changed', { when: at(card.password.changedAt) })}</dd>
    <dt>${t('admin.user.created')}</dt><dd>${at(card.user.createdAt)}</dd>
    <dt>${t('admin.user.lastSignIn')}</dt><dd>${at(card.lastSignInAt)}</dd>
  </dl>
  ${card.actionable ? html`<p class="actions"><a class="usa-button" href="/admin/users/${id}/details">${t('admin.user.edit')}</a></p>` : ''}
  <p><a href="/helpdesk/users/${id}">${t('admin.user.statusCard')}</a> ${t('admin.user.statusCardWhat')}</p>

  <h2>${t('admin.user.organizations')}</h2>
  ${card.orgs.length
    ? html`<table class="usa-table usa-table--stacked orgs"><thead><tr><th scope="col">${t('consoles.heads.organization')}</th><th scope="col">${t('consoles.heads.code')}</th><th scope="col">${t('consoles.heads.iisId')}</th><th scope="col">${t('consoles.heads.role')}</th><th scope="col">${t('consoles.heads.coordinator')}</th>${card.actionable ? html`<th scope="col"><span class="visually-hidden">${t('consoles.heads.actions')}</span></th>` : ''}</tr></thead>
  <tbody>${card.orgs.map(
    (o) => html`<tr><td>${o.name}</td><td>${o.code}</td><td>${o.iis_id}</td><td>${roleName(o.role)}</td><td>${o.coordinator ? coordinatorName(o.coordinator) : '—'}</td>${
      card.actionable
        ? html`<td><a href="/admin/users/${id}/memberships?${new URLSearchParams({ org: o.code })}">${t('admin.user.change')}<span class="visually-hidden"> ${o.code}</span></a> · <a href="/admin/users/${id}/memberships/${o.id}/remove">${t('admin.user.remove')}<span class="visually-hidden"> ${o.code}</span></a></td>`
        : ''
    }</tr>`,
  )}</tbody></table>`
    : html`<p>${t('consoles.none')}</p>`}
  ${card.actionable ? html`<p class="actions"><a class="usa-button" href="/admin/users/${id}/memberships">${t('admin.user.addMembership')}</a></p>` : ''}

  ${card.actionable
    ? html`<h2>${t('admin.user.staffRole')}</h2>
  <p>${t('admin.user.staffRoleNow', { role: systemRoleLabel(card.user.systemRole) })}</p>
  <p class="actions">${roles.map((r) => html`<a class="usa-button" href="/admin/users/${id}/role/${r}">${roleChangeText(r, 'button')}</a>`)}</p>
  <h2>${t('admin.user.account')}</h2>
  <p class="actions">${card.user.disabledAt ? html`<a class="usa-button" href="/admin/users/${id}/enable">${accountActionText('enable', 'button')}</a>` : html`<a class="usa-button" href="/admin/users/${id}/disable">${accountActionText('disable', 'button')}</a>`}</p>`
    : ''}
</section>`,
  );
}

export function userDetailsPage(v: FormPage & { card: Pick<StatusCard, 'user'> }): string {
  const values = v.values ?? { name: v.card.user.name, email: v.card.user.email, phone: v.card.user.phone ?? '' };
  return changeForm({
    ...v,
    values,
    title: t('admin.user.edit'),
    intro: tHtml('admin.details.intro', { who: who(v.card) }),
    action: `/admin/users/${v.card.user.id}/details`,
    fields: html`<label class="usa-label" for="name">${t('consoles.name')}</label>
    <input class="usa-input" id="name" name="name" type="text" maxlength="200" required value="${value(values, 'name')}">
    <label class="usa-label" for="email">${t('consoles.email')}</label>
    <input class="usa-input" id="email" name="email" type="email" maxlength="254" required value="${value(values, 'email')}">
    <label class="usa-label" for="phone">${t('consoles.phoneOptional')}</label>
    <input class="usa-input" id="phone" name="phone" type="tel" maxlength="40" value="${value(values, 'phone')}">`,
    button: t('admin.details.save'),
    cancel: `/admin/users/${v.card.user.id}`,
  });
}

export function roleConfirmPage(v: FormPage & { card: Pick<StatusCard, 'user'>; role: RoleChange }): string {
  return changeForm({
    ...v,
    title: roleChangeText(v.role, 'question'),
    intro: html`${tHtml('admin.role.intro', { who: who(v.card) }, { role: systemRoleLabel(v.card.user.systemRole) })} ${roleChangeText(v.role, 'effect')} ${t('consoles.told')}`,
    action: `/admin/users/${v.card.user.id}/role/${v.role}`,
    button: roleChangeText(v.role, 'button'),
    cancel: `/admin/users/${v.card.user.id}`,
  });
}

function membershipFields(values: FormValues | undefined, prefix = ''): SafeHtml {
  const n = (name: string) => `${prefix}${name}`;
  return html`<label class="usa-label" for="${n('org')}">${t('admin.membership.orgCode')}</label>
    <input class="usa-input" id="${n('org')}" name="${n('org')}" type="text" maxlength="40" value="${value(values, n('org'))}" autocomplete="off" aria-describedby="${n('org')}-hint">
    <p class="hint" id="${n('org')}-hint">${tHtml('admin.membership.orgCodeHint', { link: html`<a href="/admin/organizations">${t('admin.membership.orgsLink')}</a>` })}</p>
    <label class="usa-label" for="${n('role')}">${t('admin.membership.role')}</label>
    <select class="usa-select" id="${n('role')}" name="${n('role')}"><option value="">${t('admin.membership.chooseRole')}</option>${registryRoles.map((r) => html`<option value="${r}"${selected(value(values, n('role')) === r)}>${roleName(r)}</option>`)}</select>
    <label class="usa-label" for="${n('coordinator')}">${t('admin.membership.coordinator')}</label>
    <select class="usa-select" id="${n('coordinator')}" name="${n('coordinator')}"><option value="">${t('admin.membership.notCoordinator')}</option>${(['primary', 'secondary'] as const).map(
      (c) => html`<option value="${c}"${selected(value(values, n('coordinator')) === c)}>${coordinatorName(c)}</option>`,
    )}</select>`;
}

export function membershipPage(v: FormPage & { card: Pick<StatusCard, 'user'>; changing: boolean }): string {
  return changeForm({
    ...v,
    title: t(v.changing ? 'admin.membership.change' : 'admin.membership.add'),
    intro: tHtml('admin.membership.intro', { who: who(v.card) }),
    action: `/admin/users/${v.card.user.id}/memberships`,
    fields: membershipFields(v.values),
    button: t(v.changing ? 'admin.membership.save' : 'admin.membership.addButton'),
    cancel: `/admin/users/${v.card.user.id}`,
  });
}

export function removeMembershipPage(v: FormPage & { card: Pick<StatusCard, 'user'>; org: { id: string; code: string; name: string } }): string {
  return changeForm({
    ...v,
    title: t('admin.membership.removeTitle'),
    intro: html`${tHtml('admin.membership.removeIntro', { who: who(v.card), org: html`<strong>${v.org.name}</strong>` }, { code: v.org.code })} ${t('consoles.told')}`,
    action: `/admin/users/${v.card.user.id}/memberships/${v.org.id}/remove`,
    button: t('admin.membership.removeButton'),
    cancel: `/admin/users/${v.card.user.id}`,
  });
}

export function accountActionPage(v: FormPage & { card: Pick<StatusCard, 'user'>; action: AccountAction }): string {
  return changeForm({
    ...v,
    title: accountActionText(v.action, 'question'),
    intro: html`${who(v.card)}. ${accountActionText(v.action, 'effect')} ${t('consoles.told')}`,
    action: `/admin/users/${v.card.user.id}/${v.action}`,
    button: accountActionText(v.action, 'button'),
    cancel: `/admin/users/${v.card.user.id}`,
  });
}

export function createUserPage(v: FormPage): string {
  return changeForm({
    ...v,
    wide: true,
    title: t('admin.createUser.title'),
    intro: t('admin.createUser.intro'),
    action: '/admin/users/new',
    fields: html`<label class="usa-label" for="username">${t('consoles.username')}</label>
    <input class="usa-input" id="username" name="username" type="text" maxlength="100" required value="${value(v.values, 'username')}" autocomplete="off" aria-describedby="username-hint">
    <p class="hint" id="username-hint">${t('admin.createUser.usernameHint')}</p>
    <label class="usa-label" for="email">${t('consoles.email')}</label>
    <input class="usa-input" id="email" name="email" type="email" maxlength="254" required value="${value(v.values, 'email')}">
    <label class="usa-label" for="name">${t('admin.createUser.nameOptional')}</label>
    <input class="usa-input" id="name" name="name" type="text" maxlength="200" value="${value(v.values, 'name')}">
    <label class="usa-label" for="phone">${t('consoles.phoneOptional')}</label>
    <input class="usa-input" id="phone" name="phone" type="tel" maxlength="40" value="${value(v.values, 'phone')}">
    <label class="usa-label" for="role">${t('admin.user.staffRole')}</label>
    <select class="usa-select" id="role" name="role">${(['', 'helpdesk', 'admin'] as const).map((r) => html`<option value="${r}"${selected(value(v.values, 'role') === r)}>${r ? systemRoleLabel(r) : t('admin.createUser.noStaffRole')}</option>`)}</select>
    <fieldset class="question"><legend>${t('admin.createUser.firstMembership')}</legend>
    ${membershipFields(v.values, 'member_')}
    </fieldset>`,
    button: t('admin.createUser.button'),
    cancel: '/admin/users',
  });
}

export function userCreatedPage(v: Page & { user: { id: string; username: string }; password: string }): string {
  return shownOnce({
    ...v,
    title: t('admin.createUser.createdTitle'),
    lead: tHtml('admin.createUser.createdLead', { username: html`<strong>${v.user.username}</strong>` }),
    secret: v.password,
    after: html`${t('admin.createUser.createdAfter')}`,
    next: { href: `/admin/users/${v.user.id}`, label: t('admin.createUser.goToAccount') },
  });
}

/* ---------- Organizations ---------- */

export function orgListPage(v: Page & { prefix: string; page: number; rows: OrgRow[]; more: boolean; problems?: string[] }): string {
  const link = (p: number) => `/admin/organizations?${new URLSearchParams({ prefix: v.prefix, page: String(p) })}`;
  return page(
    v,
    t('admin.orgs.title'),
    html`<section class="card wide" aria-labelledby="orgs-title">
  ${back('/admin', t('admin.title'))}
  <h1 id="orgs-title">${t('admin.orgs.title')}</h1>
  <p><a class="usa-button" href="/admin/organizations/new">${t('admin.orgs.create')}</a></p>
  ${errorSummary(v.problems)}
  <form method="get" action="/admin/organizations" class="search" role="search">
    <label class="usa-label" for="prefix">${t('admin.orgs.prefix')}</label>
    <input class="usa-input" id="prefix" name="prefix" type="text" value="${v.prefix}" maxlength="40" autocomplete="off">
    <button class="usa-button" type="submit">${t('admin.orgs.filter')}</button>
  </form>
  ${v.rows.length
    ? html`<table class="usa-table usa-table--stacked orgs">
    <thead><tr><th scope="col">${t('admin.orgs.code')}</th><th scope="col">${t('admin.orgs.iisId')}</th><th scope="col">${t('consoles.name')}</th><th scope="col">${t('admin.orgs.type')}</th></tr></thead>
    <tbody>${v.rows.map((o) => html`<tr><td><a href="/admin/organizations/${o.id}">${o.code}</a></td><td>${o.iis_id}</td><td>${o.name}</td><td>${orgTypeLabel(o.type)}</td></tr>`)}</tbody>
  </table>`
    : html`<p role="status">${t(v.prefix ? 'admin.orgs.noneWithPrefix' : 'admin.orgs.noneYet')}</p>`}
  ${pager(v.page, v.more, link)}
</section>`,
  );
}

function orgTypeSelect(values: FormValues | undefined): SafeHtml {
  return html`<label class="usa-label" for="type">${t('admin.orgs.type')}</label>
    <select class="usa-select" id="type" name="type"><option value="">${t('admin.orgs.notSaid')}</option>${orgTypes.map((type) => html`<option value="${type}"${selected(value(values, 'type') === type)}>${t(`admin.orgs.types.${type}`)}</option>`)}</select>`;
}

export function createOrgPage(v: FormPage): string {
  return changeForm({
    ...v,
    title: t('admin.orgs.create'),
    action: '/admin/organizations/new',
    fields: html`<label class="usa-label" for="code">${t('admin.orgs.orgCode')}</label>
    <input class="usa-input" id="code" name="code" type="text" maxlength="40" required value="${value(v.values, 'code')}" autocomplete="off" aria-describedby="code-hint">
    <p class="hint" id="code-hint">${t('admin.orgs.codeHint')}</p>
    <label class="usa-label" for="iis_id">${t('admin.orgs.iisId')}</label>
    <input class="usa-input" id="iis_id" name="iis_id" type="text" inputmode="numeric" maxlength="10" required value="${value(v.values, 'iis_id')}" autocomplete="off" aria-describedby="iis-hint">
    <p class="hint" id="iis-hint">${t('admin.orgs.iisHint')}</p>
    <label class="usa-label" for="name">${t('consoles.name')}</label>
    <input class="usa-input" id="name" name="name" type="text" maxlength="200" required value="${value(v.values, 'name')}">
    ${orgTypeSelect(v.values)}`,
    button: t('admin.orgs.createButton'),
    cancel: '/admin/organizations',
  });
}

export function orgPage(v: FormPage & { org: OrgRow; done?: string | undefined }): string {
  const values = v.values ?? { name: v.org.name, type: v.org.type ?? '' };
  return page(
    v,
    v.org.code,
    html`<section class="card" aria-labelledby="org-title">
  ${back('/admin/organizations', t('admin.orgs.title'))}
  <h1 id="org-title">${v.org.name} <span class="hint">(${v.org.code})</span></h1>
  ${done(v.done)}
  <dl class="profile">
    <dt>${t('admin.orgs.orgCode')}</dt><dd>${v.org.code}</dd>
    <dt>${t('admin.orgs.iisId')}</dt><dd>${v.org.iis_id}</dd>
    <dt>${t('consoles.name')}</dt><dd>${v.org.name}</dd>
    <dt>${t('admin.orgs.type')}</dt><dd>${orgTypeLabel(v.org.type)}</dd>
    <dt>${t('admin.orgs.created')}</dt><dd>${when(Number(v.org.created_at), v.timeZone)}</dd>
  </dl>
  <p><a href="/admin/users?${new URLSearchParams({ field: 'org', q: v.org.code })}">${t('admin.orgs.itsUsers')}</a></p>
  <h2 id="edit-title">${t('admin.orgs.edit')}</h2>
  ${errorSummary(v.problems)}
  <form method="post" action="/admin/organizations/${v.org.id}" aria-labelledby="edit-title" novalidate>
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    <label class="usa-label" for="name">${t('consoles.name')}</label>
    <input class="usa-input" id="name" name="name" type="text" maxlength="200" required value="${value(values, 'name')}">
    ${orgTypeSelect(values)}
    ${reasonFields(values)}
    <button class="usa-button" type="submit">${t('admin.details.save')}</button>
  </form>
</section>`,
  );
}

/* ---------- Applications ---------- */

const grants = ['authorization_code', 'refresh_token', 'client_credentials'];
const grantLabel = (grant: string) => (grants.includes(grant) ? t(`admin.clients.grants.${grant}`) : grant);
const apps = ['registry', 'enrollment', 'ordering'] as const;
const appLabel = (app: string | null) => (app === null ? '—' : (apps as readonly string[]).includes(app) ? t(`admin.clients.apps.${app}`) : app);
const list = (items: string[]) => (items.length ? html`<ul class="plain">${items.map((i) => html`<li>${i}</li>`)}</ul>` : '—');

function previousSecret(c: ClientView, timeZone: string): string {
  if (c.public) return t('admin.clients.noSecret');
  return c.previousSecretExpiresAt ? t('admin.clients.previousUntil', { when: when(c.previousSecretExpiresAt, timeZone) }) : t('admin.clients.onlyCurrent');
}

export function clientListPage(v: Page & { clients: ClientView[] }): string {
  const at = (moment: number | null) => when(moment, v.timeZone);
  return page(
    v,
    t('admin.clients.title'),
    html`<section class="card full" aria-labelledby="clients-title">
  ${back('/admin', t('admin.title'))}
  <h1 id="clients-title">${t('admin.clients.title')}</h1>
  <p><a class="usa-button" href="/admin/applications/new">${t('admin.clients.register')}</a></p>
  <table class="usa-table usa-table--stacked orgs clients">
    <thead><tr>${(['name', 'clientId', 'app', 'grantTypes', 'uris', 'lastRotation', 'previousSecret'] as const).map((head) => html`<th scope="col">${t(`admin.clients.${head}`)}</th>`)}</tr></thead>
    <tbody>${v.clients.map(
      (c) => html`<tr><td><a href="/admin/applications/${encodeURIComponent(c.clientId)}">${c.name}</a></td><td><code>${c.clientId}</code></td><td>${appLabel(c.app)}</td><td>${c.grantTypes.join(', ') || '—'}</td>
      <td>${c.redirectUris.length || c.postLogoutRedirectUris.length || c.backchannelLogoutUri
        ? html`<dl class="uris">${c.redirectUris.length ? html`<dt>${t('admin.clients.redirect')}</dt>${c.redirectUris.map((u) => html`<dd>${u}</dd>`)}` : ''}${c.postLogoutRedirectUris.length ? html`<dt>${t('admin.clients.afterSignOut')}</dt>${c.postLogoutRedirectUris.map((u) => html`<dd>${u}</dd>`)}` : ''}${c.backchannelLogoutUri ? html`<dt>${t('admin.clients.backChannel')}</dt><dd>${c.backchannelLogoutUri}</dd>` : ''}</dl>`
        : '—'}</td>
      <td>${c.public ? '—' : at(c.secretRotatedAt)}</td><td>${c.public ? '—' : c.previousSecretExpiresAt ? t('admin.clients.worksUntil', { when: at(c.previousSecretExpiresAt) }) : t('admin.clients.none')}</td></tr>`,
    )}</tbody>
  </table>
</section>`,
  );
}

export function clientPage(v: Page & { client: ClientView; done?: string | undefined }): string {
  const c = v.client;
  const path = `/admin/applications/${encodeURIComponent(c.clientId)}`;
  const signsIn = c.grantTypes.includes('authorization_code');
  return page(
    v,
    c.name,
    html`<section class="card wide" aria-labelledby="client-title">
  ${back('/admin/applications', t('admin.clients.title'))}
  <h1 id="client-title">${c.name}</h1>
  ${done(v.done)}
  <dl class="profile">
    <dt>${t('admin.clients.clientId')}</dt><dd><code>${c.clientId}</code></dd>
    <dt>${t('admin.clients.app')}</dt><dd>${appLabel(c.app)}</dd>
    <dt>${t('admin.clients.grantTypes')}</dt><dd>${list(c.grantTypes.map(grantLabel))}</dd>
    <dt>${t('admin.clients.redirectUris')}</dt><dd>${list(c.redirectUris)}</dd>
    <dt>${t('admin.clients.afterSignOut')}</dt><dd>${list(c.postLogoutRedirectUris)}</dd>
    <dt>${t('admin.clients.backChannel')}</dt><dd>${c.backchannelLogoutUri ?? '—'}</dd>
    ${c.scope ? html`<dt>${t('admin.clients.scopes')}</dt><dd>${c.scope}</dd>` : ''}
    <dt>${t('admin.clients.registered')}</dt><dd>${when(c.createdAt, v.timeZone)}</dd>
    <dt>${t('admin.clients.secret')}</dt><dd>${c.public ? t('admin.clients.publicSecret') : c.secretRotatedAt ? t('admin.clients.lastRotated', { when: when(c.secretRotatedAt, v.timeZone) }) : t('admin.clients.neverRotated')}</dd>
    <dt>${t('admin.clients.previousSecret')}</dt><dd>${previousSecret(c, v.timeZone)}</dd>
  </dl>
  <p class="actions">${signsIn ? html`<a class="usa-button" href="${path}/uris">${t('admin.clients.editUris')}</a>` : ''}${c.public ? '' : html`<a class="usa-button" href="${path}/rotate">${t('admin.clients.rotate')}</a>`}</p>
</section>`,
  );
}

export function createClientPage(v: FormPage): string {
  const chosen = v.values?.grant === undefined ? ['authorization_code'] : ([] as string[]).concat(v.values.grant);
  return changeForm({
    ...v,
    wide: true,
    title: t('admin.clients.register'),
    intro: t('admin.clients.registerIntro'),
    action: '/admin/applications/new',
    fields: html`<label class="usa-label" for="name">${t('admin.clients.name')}</label>
    <input class="usa-input" id="name" name="name" type="text" maxlength="200" required value="${value(v.values, 'name')}">
    <label class="usa-label" for="app">${t('admin.clients.whichApp')}</label>
    <select class="usa-select" id="app" name="app"><option value="">${t('admin.clients.noApp')}</option>${apps.map((a) => html`<option value="${a}"${selected(value(v.values, 'app') === a)}>${appLabel(a)}</option>`)}</select>
    <fieldset class="question"><legend>${t('admin.clients.grantTypes')}</legend>
      <label class="choice"><input type="checkbox" name="grant" value="authorization_code"${checked(chosen.includes('authorization_code'))}> ${t('admin.clients.signsIn')}</label>
      <label class="choice"><input type="checkbox" name="grant" value="client_credentials"${checked(chosen.includes('client_credentials'))}> ${t('admin.clients.machine')}</label>
    </fieldset>
    <label class="usa-label" for="redirect_uris">${t('admin.clients.redirectUrisSignIn')}</label>
    <textarea class="usa-textarea" id="redirect_uris" name="redirect_uris" rows="3">${value(v.values, 'redirect_uris')}</textarea>
    <label class="usa-label" for="post_logout_redirect_uris">${t('admin.clients.afterSignOutUris')}</label>
    <textarea class="usa-textarea" id="post_logout_redirect_uris" name="post_logout_redirect_uris" rows="2">${value(v.values, 'post_logout_redirect_uris')}</textarea>
    <label class="usa-label" for="backchannel_logout_uri">${t('admin.clients.backChannelUri')}</label>
    <input class="usa-input" id="backchannel_logout_uri" name="backchannel_logout_uri" type="text" maxlength="500" value="${value(v.values, 'backchannel_logout_uri')}">
    <label class="usa-label" for="scopes">${t('admin.clients.scopesLabel')}</label>
    <input class="usa-input" id="scopes" name="scopes" type="text" maxlength="2000" value="${value(v.values, 'scopes')}" aria-describedby="scopes-hint">
    <p class="hint" id="scopes-hint">${t('admin.clients.scopesHint')}</p>`,
    button: t('admin.clients.registerButton'),
    cancel: '/admin/applications',
  });
}

export function clientUrisPage(v: FormPage & { client: ClientView }): string {
  const c = v.client;
  const values = v.values ?? { redirect_uris: c.redirectUris.join('\n'), post_logout_redirect_uris: c.postLogoutRedirectUris.join('\n'), backchannel_logout_uri: c.backchannelLogoutUri ?? '' };
  return changeForm({
    ...v,
    values,
    wide: true,
    title: t('admin.clients.urisTitle', { name: c.name }),
    intro: t('admin.clients.urisIntro'),
    action: `/admin/applications/${encodeURIComponent(c.clientId)}/uris`,
    fields: html`<label class="usa-label" for="redirect_uris">${t('admin.clients.redirectUrisLines')}</label>
    <textarea class="usa-textarea" id="redirect_uris" name="redirect_uris" rows="3">${value(values, 'redirect_uris')}</textarea>
    <label class="usa-label" for="post_logout_redirect_uris">${t('admin.clients.afterSignOutUris')}</label>
    <textarea class="usa-textarea" id="post_logout_redirect_uris" name="post_logout_redirect_uris" rows="2">${value(values, 'post_logout_redirect_uris')}</textarea>
    <label class="usa-label" for="backchannel_logout_uri">${t('admin.clients.backChannelUri')}</label>
    <input class="usa-input" id="backchannel_logout_uri" name="backchannel_logout_uri" type="text" maxlength="500" value="${value(values, 'backchannel_logout_uri')}">`,
    button: t('admin.clients.saveUris'),
    cancel: `/admin/applications/${encodeURIComponent(c.clientId)}`,
  });
}

/** How long the old secret keeps working after a rotation: the choices the page offers (their words: `admin.clients.overlap`). */
export const overlapChoices = {
  now: { ms: 0 },
  '1h': { ms: 3600_000 },
  '24h': { ms: 24 * 3600_000 },
  '7d': { ms: 7 * 24 * 3600_000 },
} as const;
export type OverlapChoice = keyof typeof overlapChoices;

export function rotateSecretPage(v: FormPage & { client: ClientView }): string {
  const c = v.client;
  const chosen = value(v.values, 'old_secret_works') || '24h';
  return changeForm({
    ...v,
    title: t('admin.clients.rotateTitle', { name: c.name }),
    intro: html`${t('admin.clients.rotateIntro')}${c.previousSecretExpiresAt ? html` <strong>${t('admin.clients.rotateAtOnce')}</strong>` : ''}`,
    action: `/admin/applications/${encodeURIComponent(c.clientId)}/rotate`,
    fields: html`<fieldset class="question"><legend>${t('admin.clients.oldSecret')}</legend>
      ${(Object.keys(overlapChoices) as OverlapChoice[]).map(
        (k) => html`<label class="choice"><input type="radio" name="old_secret_works" value="${k}"${checked(chosen === k)}> ${k === 'now' ? t('admin.clients.overlap.now') : t('admin.clients.overlap.keeps', { time: t(`admin.clients.overlap.${k}`) })}</label>`,
      )}
    </fieldset>`,
    button: t('admin.clients.rotateButton'),
    cancel: `/admin/applications/${encodeURIComponent(c.clientId)}`,
  });
}

export function clientSecretPage(v: Page & { client: { clientId: string; name: string }; secret: string; previousSecretExpiresAt?: number | undefined; created: boolean }): string {
  return shownOnce({
    ...v,
    title: t(v.created ? 'admin.clients.registeredTitle' : 'admin.clients.newSecretTitle'),
    lead: tHtml('admin.clients.secretLead', { name: html`<strong>${v.client.name}</strong>`, clientId: html`<code>${v.client.clientId}</code>` }),
    secret: v.secret,
    after: v.created
      ? html`${t('admin.clients.putItCreated')}`
      : html`${t('admin.clients.putIt')} ${
          v.previousSecretExpiresAt !== undefined && v.previousSecretExpiresAt > 0 ? t('admin.clients.oldUntil', { when: when(v.previousSecretExpiresAt, v.timeZone) }) : t('admin.clients.oldGone')
        }`,
    next: { href: `/admin/applications/${encodeURIComponent(v.client.clientId)}`, label: t('admin.clients.goToApp') },
  });
}

/* ---------- Acceptable Use Agreement ---------- */

export function auaPage(v: Page & { current: { version: string; text: string; publishedAt: number }; done?: string | undefined }): string {
  // What a reader of the page's language signs: the shipped version's translation, else the English as published.
  const shown = auaTextIn(v.current.version, v.current.text);
  return page(
    v,
    t('admin.aua.title'),
    html`<section class="card wide" aria-labelledby="aua-title">
  ${back('/admin', t('admin.title'))}
  <h1 id="aua-title">${t('admin.aua.title')}</h1>
  ${done(v.done)}
  <p>${tHtml('admin.aua.current', { version: html`<strong>${v.current.version}</strong>` }, { when: when(v.current.publishedAt, v.timeZone) })}</p>
  <div class="agreement" tabindex="0" aria-label="${t('admin.aua.text')}"${shown.inEnglishOnly ? html` lang="en"` : ''}>${shown.text.split('\n\n').map((p) => html`<p>${p}</p>`)}</div>
  <p class="actions"><a class="usa-button" href="/admin/aua/publish">${t('admin.aua.publishNew')}</a></p>
</section>`,
  );
}

export function publishAuaPage(v: FormPage & { current: { version: string } }): string {
  return changeForm({
    ...v,
    wide: true,
    title: t('admin.aua.publishTitle'),
    intro: tHtml('admin.aua.publishIntro', { version: html`<strong>${v.current.version}</strong>`, everyone: html`<strong>${t('admin.aua.everyone')}</strong>` }),
    action: '/admin/aua/publish',
    fields: html`<label class="usa-label" for="version">${t('admin.aua.versionLabel')}</label>
    <input class="usa-input" id="version" name="version" type="text" maxlength="40" required value="${value(v.values, 'version')}" autocomplete="off" aria-describedby="version-hint">
    <p class="hint" id="version-hint">${t('admin.aua.versionHint')}</p>
    <label class="usa-label" for="text">${t('admin.aua.textLabel')}</label>
    <textarea class="usa-textarea" id="text" name="text" rows="14" required aria-describedby="text-hint">${value(v.values, 'text')}</textarea>
    <p class="hint" id="text-hint">${t('admin.aua.textHint')}</p>`,
    button: t('admin.aua.publishButton'),
    cancel: '/admin/aua',
  });
}

/* ---------- Security-question catalogue ---------- */

export function questionsPage(v: Page & { questions: { id: string; text: string; active: boolean }[]; done?: string | undefined }): string {
  return page(
    v,
    t('admin.questions.title'),
    html`<section class="card wide" aria-labelledby="questions-title">
  ${back('/admin', t('admin.title'))}
  <h1 id="questions-title">${t('admin.questions.title')}</h1>
  ${done(v.done)}
  <p>${t('admin.questions.intro')}</p>
  <table class="usa-table usa-table--stacked orgs">
    <thead><tr><th scope="col">${t('admin.questions.question')}</th><th scope="col">${t('admin.questions.offered')}</th><th scope="col"><span class="visually-hidden">${t('admin.questions.action')}</span></th></tr></thead>
    <tbody>${v.questions.map(
      (q) => html`<tr><td>${questionText(q)}</td><td>${t(q.active ? 'admin.questions.yes' : 'admin.questions.retired')}</td><td><a href="/admin/security-questions/${q.id}/${q.active ? 'retire' : 'restore'}">${t(q.active ? 'admin.questions.retire' : 'admin.questions.offerAgain')}</a></td></tr>`,
    )}</tbody>
  </table>
  <p class="actions"><a class="usa-button" href="/admin/security-questions/new">${t('admin.questions.add')}</a></p>
</section>`,
  );
}

export function addQuestionPage(v: FormPage): string {
  return changeForm({
    ...v,
    title: t('admin.questions.addTitle'),
    intro: t('admin.questions.addIntro'),
    action: '/admin/security-questions/new',
    fields: html`<label class="usa-label" for="text">${t('admin.questions.question')}</label>
    <input class="usa-input" id="text" name="text" type="text" minlength="10" maxlength="200" required value="${value(v.values, 'text')}" aria-describedby="text-hint">
    <p class="hint" id="text-hint">${t('admin.questions.textHint')}</p>`,
    button: t('admin.questions.addButton'),
    cancel: '/admin/security-questions',
  });
}

export function questionOfferedPage(v: FormPage & { question: { id: string; text: string }; offered: boolean }): string {
  return changeForm({
    ...v,
    title: t(v.offered ? 'admin.questions.restoreTitle' : 'admin.questions.retireTitle'),
    intro: t(v.offered ? 'admin.questions.restoreIntro' : 'admin.questions.retireIntro', { question: questionText(v.question) }),
    action: `/admin/security-questions/${v.question.id}/${v.offered ? 'restore' : 'retire'}`,
    button: t(v.offered ? 'admin.questions.offerAgain' : 'admin.questions.retireButton'),
    cancel: '/admin/security-questions',
  });
}
