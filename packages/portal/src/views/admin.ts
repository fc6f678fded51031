import { html, registryRoles, roleLabel, coordinatorLabel, type SafeHtml } from '@portal/common';
import type { StatusCard } from '../libraries/administration/support.js';
import type { ClientView, OrgType } from '../libraries/administration/admin.js';
import { orgTypes } from '../libraries/administration/admin.js';
import { reasonFields } from './reason-fields.js';
import type { OrgRow } from '../queries/orgs.js';
import type { UserSearchField, UserSearchRow } from '../queries/users.js';
import { layout, type SignedInHeader } from './layout.js';
import { errorSummary } from './form-problems.js';
import { userSearchForm, userSearchResults } from './user-search-form.js';

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
  return layout({ title: `${title} · Administration`, supportContact: v.supportContact, signedInAs: v.header, body });
}

const when = (at: number | null, timeZone: string) =>
  at === null ? 'Never' : new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at)).replace(/[\u202f\u00a0]/g, ' ');

const value = (values: FormValues | undefined, name: string): string => {
  const v = values?.[name];
  return typeof v === 'string' ? v : '';
};

const selected = (on: boolean) => (on ? html` selected` : '');
const checked = (on: boolean) => (on ? html` checked` : '');
const back = (href: string, label: string) => html`<p><a href="${href}">← ${label}</a></p>`;
const done = (message: string | undefined) => (message ? html`<p class="success" role="status">${message}</p>` : '');

export const systemRoleLabel = (role: 'helpdesk' | 'admin' | null) => (role === 'admin' ? 'Administrator' : role === 'helpdesk' ? 'Help desk staff' : 'None');

export const orgTypeLabels: Record<OrgType, string> = {
  clinic: 'Clinic',
  hospital: 'Hospital',
  pharmacy: 'Pharmacy',
  school: 'School',
  public_health: 'Public health',
  long_term_care: 'Long-term care',
  other: 'Other',
};
const orgTypeLabel = (type: string | null) => (type && type in orgTypeLabels ? orgTypeLabels[type as OrgType] : '—');

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
  <p><a href="${v.cancel}">Cancel</a></p>
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
  <p>${v.lead} It is shown only now: copy it before you leave this page.</p>
  <p class="temporary-password"><code>${v.secret}</code></p>
  <p>${v.after}</p>
  <p><a class="usa-button" href="${v.next.href}">${v.next.label}</a></p>
</section>`,
  );
}

export function adminIndexPage(v: Page): string {
  return page(
    v,
    'Administration',
    html`<section class="card wide" aria-labelledby="admin-title">
  <h1 id="admin-title">Administration</h1>
  <ul class="apps">
    <li><a href="/admin/users">Users</a><span class="hint"> — find and create accounts; names, email, phone, staff roles, memberships; disable and re-enable</span></li>
    <li><a href="/admin/organizations">Organizations</a><span class="hint"> — org codes, TX IIS IDs, names and types</span></li>
    <li><a href="/admin/applications">Applications</a><span class="hint"> — OIDC clients: redirect and logout URIs, grant types, secret rotation</span></li>
    <li><a href="/admin/aua">Acceptable Use Agreement</a><span class="hint"> — the current text; publish a new version</span></li>
    <li><a href="/admin/security-questions">Security questions</a><span class="hint"> — the catalogue people choose from: add, retire, offer again</span></li>
    <li><a href="/admin/audit">Audit log</a><span class="hint"> — search by who, whom, what, when and from where; export as CSV</span></li>
  </ul>
  <p>To find a user by name, email or organization and see their status card (lock, password, sessions, recent activity), use the <a href="/helpdesk">Help Desk</a>.</p>
</section>`,
  );
}

/* ---------- Users ---------- */


export function userSearchPage(v: Page & { field: UserSearchField; text: string; results?: { rows: UserSearchRow[]; page: number; more: boolean }; problems?: string[] }): string {
  const link = (p: number) => `/admin/users?${new URLSearchParams({ field: v.field, q: v.text, page: String(p) })}`;
  return page(
    v,
    'Users',
    html`<section class="card wide" aria-labelledby="users-title">
  ${back('/admin', 'Administration')}
  <h1 id="users-title">Users</h1>
  <p><a class="usa-button" href="/admin/users/new">Create a user</a></p>
  ${errorSummary(v.problems)}
  ${userSearchForm('/admin/users', v.field, v.text)}
  ${v.results
    ? userSearchResults({
        results: v.results,
        hrefOf: (r) => `/admin/users/${r.id}`,
        pageHref: link,
        extra: { heads: ['Role', 'Account'], cells: (r) => [r.system_role ? systemRoleLabel(r.system_role) : '—', r.disabled_at ? 'Disabled' : 'Active'] },
      })
    : ''}
</section>`,
  );
}

/** The three role changes an administrator can make, as the button and the confirmation say them. */
export const roleChanges = {
  helpdesk: { button: 'Give the help desk role', question: 'Give this account the help desk role?', effect: 'They can use the Help Desk: find users, see status cards, unlock, send reset codes, set temporary passwords, end sessions, disable and re-enable — never on staff accounts.' },
  admin: { button: 'Make administrator', question: 'Make this account an administrator?', effect: 'They can do everything on these pages: create and change users and staff roles, organizations, applications and their secrets, and publish the Acceptable Use Agreement.' },
  none: { button: 'Remove the staff role', question: 'Remove the staff role from this account?', effect: 'They lose the Help Desk and Administration pages; their organizations and applications stay as they are.' },
} as const;
export type RoleChange = keyof typeof roleChanges;

/** Disable and re-enable, from the support library (administrators may act on staff too). */
export const accountActions = {
  disable: { button: 'Disable account', question: 'Disable this account?', effect: 'The person cannot sign in, every session ends everywhere (each application is told by back-channel logout) and their refresh tokens stop working.' },
  enable: { button: 'Re-enable account', question: 'Re-enable this account?', effect: 'The person can sign in again with their password.' },
} as const;
export type AccountAction = keyof typeof accountActions;

const who = (card: Pick<StatusCard, 'user'>) => html`<strong>${card.user.name}</strong> (${card.user.username})`;

export function userPage(v: Page & { card: StatusCard; done?: string | undefined }): string {
  const { card } = v;
  const id = card.user.id;
  const t = (at: number | null) => when(at, v.timeZone);
  const roles = (Object.keys(roleChanges) as RoleChange[]).filter((r) => (r === 'none' ? card.user.systemRole !== null : card.user.systemRole !== r));
  return page(
    v,
    card.user.username,
    html`<section class="card wide" aria-labelledby="user-title">
  ${back('/admin/users', 'Users')}
  <h1 id="user-title">${card.user.name} <span class="hint">(${card.user.username})</span></h1>
  ${done(v.done)}
  ${card.actionable ? '' : html`<p class="notice">This is your own account: change your details in My Profile; another administrator must change your role or access.</p>`}
  <dl class="profile">
    <dt>Username</dt><dd>${card.user.username}</dd>
    <dt>Name</dt><dd>${card.user.name}</dd>
    <dt>Email</dt><dd>${card.user.email}</dd>
    <dt>Phone</dt><dd>${card.user.phone ?? '—'}</dd>
    <dt>Staff role</dt><dd>${systemRoleLabel(card.user.systemRole)}</dd>
    <dt>Account</dt><dd>${card.user.disabledAt ? html`<strong>Disabled</strong> since ${t(card.user.disabledAt)}` : 'Active'}</dd>
    <dt>Password</dt><dd>${card.password.temporary ? 'Temporary — must be changed at next sign-in' : `Changed ${t(card.password.changedAt)}`}</dd>
    <dt>Created</dt><dd>${t(card.user.createdAt)}</dd>
    <dt>Last sign-in</dt><dd>${t(card.lastSignInAt)}</dd>
  </dl>
  ${card.actionable ? html`<p class="actions"><a class="usa-button" href="/admin/users/${id}/details">Edit name, email and phone</a></p>` : ''}
  <p><a href="/helpdesk/users/${id}">Status card at the Help Desk</a> (lock, password age, sessions, recent activity)</p>

  <h2>Organizations</h2>
  ${card.orgs.length
    ? html`<table class="usa-table usa-table--stacked orgs"><thead><tr><th scope="col">Organization</th><th scope="col">Code</th><th scope="col">IIS ID</th><th scope="col">Role</th><th scope="col">Coordinator</th>${card.actionable ? html`<th scope="col"><span class="visually-hidden">Actions</span></th>` : ''}</tr></thead>
  <tbody>${card.orgs.map(
    (o) => html`<tr><td>${o.name}</td><td>${o.code}</td><td>${o.iis_id}</td><td>${roleLabel(o.role)}</td><td>${o.coordinator ? coordinatorLabel(o.coordinator) : '—'}</td>${
      card.actionable
        ? html`<td><a href="/admin/users/${id}/memberships?${new URLSearchParams({ org: o.code })}">Change<span class="visually-hidden"> ${o.code}</span></a> · <a href="/admin/users/${id}/memberships/${o.id}/remove">Remove<span class="visually-hidden"> ${o.code}</span></a></td>`
        : ''
    }</tr>`,
  )}</tbody></table>`
    : html`<p>None.</p>`}
  ${card.actionable ? html`<p class="actions"><a class="usa-button" href="/admin/users/${id}/memberships">Add a membership</a></p>` : ''}

  ${card.actionable
    ? html`<h2>Staff role</h2>
  <p>${systemRoleLabel(card.user.systemRole)}.</p>
  <p class="actions">${roles.map((r) => html`<a class="usa-button" href="/admin/users/${id}/role/${r}">${roleChanges[r].button}</a>`)}</p>
  <h2>Account</h2>
  <p class="actions">${card.user.disabledAt ? html`<a class="usa-button" href="/admin/users/${id}/enable">${accountActions.enable.button}</a>` : html`<a class="usa-button" href="/admin/users/${id}/disable">${accountActions.disable.button}</a>`}</p>`
    : ''}
</section>`,
  );
}

export function userDetailsPage(v: FormPage & { card: Pick<StatusCard, 'user'> }): string {
  const values = v.values ?? { name: v.card.user.name, email: v.card.user.email, phone: v.card.user.phone ?? '' };
  return changeForm({
    ...v,
    values,
    title: 'Edit name, email and phone',
    intro: html`For ${who(v.card)}. If the email changes, the old address is told.`,
    action: `/admin/users/${v.card.user.id}/details`,
    fields: html`<label class="usa-label" for="name">Name</label>
    <input class="usa-input" id="name" name="name" type="text" maxlength="200" required value="${value(values, 'name')}">
    <label class="usa-label" for="email">Email</label>
    <input class="usa-input" id="email" name="email" type="email" maxlength="254" required value="${value(values, 'email')}">
    <label class="usa-label" for="phone">Phone (optional)</label>
    <input class="usa-input" id="phone" name="phone" type="tel" maxlength="40" value="${value(values, 'phone')}">`,
    button: 'Save changes',
    cancel: `/admin/users/${v.card.user.id}`,
  });
}

export function roleConfirmPage(v: FormPage & { card: Pick<StatusCard, 'user'>; role: RoleChange }): string {
  const change = roleChanges[v.role];
  return changeForm({
    ...v,
    title: change.question,
    intro: html`${who(v.card)}, now: ${systemRoleLabel(v.card.user.systemRole)}. ${change.effect} The person will be told by email.`,
    action: `/admin/users/${v.card.user.id}/role/${v.role}`,
    button: change.button,
    cancel: `/admin/users/${v.card.user.id}`,
  });
}

function membershipFields(values: FormValues | undefined, prefix = ''): SafeHtml {
  const n = (name: string) => `${prefix}${name}`;
  return html`<label class="usa-label" for="${n('org')}">Organization code</label>
    <input class="usa-input" id="${n('org')}" name="${n('org')}" type="text" maxlength="40" value="${value(values, n('org'))}" autocomplete="off" aria-describedby="${n('org')}-hint">
    <p class="hint" id="${n('org')}-hint">As on the <a href="/admin/organizations">Organizations</a> page, e.g. HCP01.</p>
    <label class="usa-label" for="${n('role')}">Registry role</label>
    <select class="usa-select" id="${n('role')}" name="${n('role')}"><option value="">Choose a role</option>${registryRoles.map((r) => html`<option value="${r}"${selected(value(values, n('role')) === r)}>${roleLabel(r)}</option>`)}</select>
    <label class="usa-label" for="${n('coordinator')}">Vaccine coordinator</label>
    <select class="usa-select" id="${n('coordinator')}" name="${n('coordinator')}"><option value="">Not a coordinator</option>${(['primary', 'secondary'] as const).map(
      (c) => html`<option value="${c}"${selected(value(values, n('coordinator')) === c)}>${coordinatorLabel(c)}</option>`,
    )}</select>`;
}

export function membershipPage(v: FormPage & { card: Pick<StatusCard, 'user'>; changing: boolean }): string {
  return changeForm({
    ...v,
    title: v.changing ? 'Change a membership' : 'Add a membership',
    intro: html`For ${who(v.card)}. The role decides what they may do in the applications; VAOS is only for Primary and Secondary Vaccine Coordinators. An existing membership at the same organization is changed.`,
    action: `/admin/users/${v.card.user.id}/memberships`,
    fields: membershipFields(v.values),
    button: v.changing ? 'Save membership' : 'Add membership',
    cancel: `/admin/users/${v.card.user.id}`,
  });
}

export function removeMembershipPage(v: FormPage & { card: Pick<StatusCard, 'user'>; org: { id: string; code: string; name: string } }): string {
  return changeForm({
    ...v,
    title: 'Remove this membership?',
    intro: html`${who(v.card)} will no longer belong to <strong>${v.org.name}</strong> (${v.org.code}); applications see the change at their next sign-in. The person will be told by email.`,
    action: `/admin/users/${v.card.user.id}/memberships/${v.org.id}/remove`,
    button: 'Remove membership',
    cancel: `/admin/users/${v.card.user.id}`,
  });
}

export function accountActionPage(v: FormPage & { card: Pick<StatusCard, 'user'>; action: AccountAction }): string {
  const a = accountActions[v.action];
  return changeForm({
    ...v,
    title: a.question,
    intro: html`${who(v.card)}. ${a.effect} The person will be told by email.`,
    action: `/admin/users/${v.card.user.id}/${v.action}`,
    button: a.button,
    cancel: `/admin/users/${v.card.user.id}`,
  });
}

export function createUserPage(v: FormPage): string {
  return changeForm({
    ...v,
    wide: true,
    title: 'Create a user',
    intro: 'A temporary password is generated and shown to you once; the person must change it at their first sign-in.',
    action: '/admin/users/new',
    fields: html`<label class="usa-label" for="username">Username</label>
    <input class="usa-input" id="username" name="username" type="text" maxlength="100" required value="${value(v.values, 'username')}" autocomplete="off" aria-describedby="username-hint">
    <p class="hint" id="username-hint">3–100 letters, digits or . _ @ -. Leading zeros count: 00012345678 is not 12345678.</p>
    <label class="usa-label" for="email">Email</label>
    <input class="usa-input" id="email" name="email" type="email" maxlength="254" required value="${value(v.values, 'email')}">
    <label class="usa-label" for="name">Name (optional)</label>
    <input class="usa-input" id="name" name="name" type="text" maxlength="200" value="${value(v.values, 'name')}">
    <label class="usa-label" for="phone">Phone (optional)</label>
    <input class="usa-input" id="phone" name="phone" type="tel" maxlength="40" value="${value(v.values, 'phone')}">
    <label class="usa-label" for="role">Staff role</label>
    <select class="usa-select" id="role" name="role">${(['', 'helpdesk', 'admin'] as const).map((r) => html`<option value="${r}"${selected(value(v.values, 'role') === r)}>${r ? systemRoleLabel(r) : 'None (a provider user)'}</option>`)}</select>
    <fieldset class="question"><legend>First membership (optional)</legend>
    ${membershipFields(v.values, 'member_')}
    </fieldset>`,
    button: 'Create user',
    cancel: '/admin/users',
  });
}

export function userCreatedPage(v: Page & { user: { id: string; username: string }; password: string }): string {
  return shownOnce({
    ...v,
    title: 'User created',
    lead: html`The temporary password of <strong>${v.user.username}</strong>.`,
    secret: v.password,
    after: html`Give it to the person by a channel you trust. They must change it when they first sign in.`,
    next: { href: `/admin/users/${v.user.id}`, label: 'Go to the account' },
  });
}

/* ---------- Organizations ---------- */

export function orgListPage(v: Page & { prefix: string; page: number; rows: OrgRow[]; more: boolean; problems?: string[] }): string {
  const link = (p: number) => `/admin/organizations?${new URLSearchParams({ prefix: v.prefix, page: String(p) })}`;
  return page(
    v,
    'Organizations',
    html`<section class="card wide" aria-labelledby="orgs-title">
  ${back('/admin', 'Administration')}
  <h1 id="orgs-title">Organizations</h1>
  <p><a class="usa-button" href="/admin/organizations/new">Create an organization</a></p>
  ${errorSummary(v.problems)}
  <form method="get" action="/admin/organizations" class="search" role="search">
    <label class="usa-label" for="prefix">Org code starts with</label>
    <input class="usa-input" id="prefix" name="prefix" type="text" value="${v.prefix}" maxlength="40" autocomplete="off">
    <button class="usa-button" type="submit">Filter</button>
  </form>
  ${v.rows.length
    ? html`<table class="usa-table usa-table--stacked orgs">
    <thead><tr><th scope="col">Code</th><th scope="col">TX IIS ID</th><th scope="col">Name</th><th scope="col">Type</th></tr></thead>
    <tbody>${v.rows.map((o) => html`<tr><td><a href="/admin/organizations/${o.id}">${o.code}</a></td><td>${o.iis_id}</td><td>${o.name}</td><td>${orgTypeLabel(o.type)}</td></tr>`)}</tbody>
  </table>`
    : html`<p role="status">No organization${v.prefix ? ' has a code starting with that' : ' yet'}.</p>`}
  <nav aria-label="Result pages" class="pager">${v.page > 1 ? html`<a href="${link(v.page - 1)}">Previous page</a>` : ''} <span>Page ${v.page}</span> ${v.more ? html`<a href="${link(v.page + 1)}">Next page</a>` : ''}</nav>
</section>`,
  );
}

function orgTypeSelect(values: FormValues | undefined): SafeHtml {
  return html`<label class="usa-label" for="type">Type</label>
    <select class="usa-select" id="type" name="type"><option value="">Not said</option>${orgTypes.map((t) => html`<option value="${t}"${selected(value(values, 'type') === t)}>${orgTypeLabels[t]}</option>`)}</select>`;
}

export function createOrgPage(v: FormPage): string {
  return changeForm({
    ...v,
    title: 'Create an organization',
    action: '/admin/organizations/new',
    fields: html`<label class="usa-label" for="code">Org code</label>
    <input class="usa-input" id="code" name="code" type="text" maxlength="40" required value="${value(v.values, 'code')}" autocomplete="off" aria-describedby="code-hint">
    <p class="hint" id="code-hint">Letters, digits, - and _ (at most 40). It cannot be changed later.</p>
    <label class="usa-label" for="iis_id">TX IIS ID</label>
    <input class="usa-input" id="iis_id" name="iis_id" type="text" inputmode="numeric" maxlength="10" required value="${value(v.values, 'iis_id')}" autocomplete="off" aria-describedby="iis-hint">
    <p class="hint" id="iis-hint">Exactly 10 digits, leading zeros included (0000012345).</p>
    <label class="usa-label" for="name">Name</label>
    <input class="usa-input" id="name" name="name" type="text" maxlength="200" required value="${value(v.values, 'name')}">
    ${orgTypeSelect(v.values)}`,
    button: 'Create organization',
    cancel: '/admin/organizations',
  });
}

export function orgPage(v: FormPage & { org: OrgRow; done?: string | undefined }): string {
  const values = v.values ?? { name: v.org.name, type: v.org.type ?? '' };
  return page(
    v,
    v.org.code,
    html`<section class="card" aria-labelledby="org-title">
  ${back('/admin/organizations', 'Organizations')}
  <h1 id="org-title">${v.org.name} <span class="hint">(${v.org.code})</span></h1>
  ${done(v.done)}
  <dl class="profile">
    <dt>Org code</dt><dd>${v.org.code}</dd>
    <dt>TX IIS ID</dt><dd>${v.org.iis_id}</dd>
    <dt>Name</dt><dd>${v.org.name}</dd>
    <dt>Type</dt><dd>${orgTypeLabel(v.org.type)}</dd>
    <dt>Created</dt><dd>${when(Number(v.org.created_at), v.timeZone)}</dd>
  </dl>
  <p><a href="/admin/users?${new URLSearchParams({ field: 'org', q: v.org.code })}">Its users</a></p>
  <h2 id="edit-title">Edit name and type</h2>
  ${errorSummary(v.problems)}
  <form method="post" action="/admin/organizations/${v.org.id}" aria-labelledby="edit-title" novalidate>
    <input type="hidden" name="csrf" value="${v.csrfToken}">
    <label class="usa-label" for="name">Name</label>
    <input class="usa-input" id="name" name="name" type="text" maxlength="200" required value="${value(values, 'name')}">
    ${orgTypeSelect(values)}
    ${reasonFields(values)}
    <button class="usa-button" type="submit">Save changes</button>
  </form>
</section>`,
  );
}

/* ---------- Applications ---------- */

const grantLabels: Record<string, string> = { authorization_code: 'Sign-in (authorization code)', refresh_token: 'Refresh token', client_credentials: 'Machine (client credentials)' };
const appLabels: Record<string, string> = { registry: 'ImmTrac2 (registry)', enrollment: 'Syntropi (enrollment)', ordering: 'VAOS (ordering)' };
const list = (items: string[]) => (items.length ? html`<ul class="plain">${items.map((i) => html`<li>${i}</li>`)}</ul>` : '—');

function previousSecret(c: ClientView, timeZone: string): string {
  if (c.public) return 'No secret (public client)';
  return c.previousSecretExpiresAt ? `Previous secret works until ${when(c.previousSecretExpiresAt, timeZone)}` : 'Only the current secret works';
}

export function clientListPage(v: Page & { clients: ClientView[] }): string {
  const t = (at: number | null) => when(at, v.timeZone);
  return page(
    v,
    'Applications',
    html`<section class="card full" aria-labelledby="clients-title">
  ${back('/admin', 'Administration')}
  <h1 id="clients-title">Applications</h1>
  <p><a class="usa-button" href="/admin/applications/new">Register an application</a></p>
  <table class="usa-table usa-table--stacked orgs clients">
    <thead><tr><th scope="col">Name</th><th scope="col">Client ID</th><th scope="col">App</th><th scope="col">Grant types</th><th scope="col">URIs</th><th scope="col">Last secret rotation</th><th scope="col">Previous secret</th></tr></thead>
    <tbody>${v.clients.map(
      (c) => html`<tr><td><a href="/admin/applications/${encodeURIComponent(c.clientId)}">${c.name}</a></td><td><code>${c.clientId}</code></td><td>${c.app ? (appLabels[c.app] ?? c.app) : '—'}</td><td>${c.grantTypes.join(', ') || '—'}</td>
      <td>${c.redirectUris.length || c.postLogoutRedirectUris.length || c.backchannelLogoutUri
        ? html`<dl class="uris">${c.redirectUris.length ? html`<dt>Redirect</dt>${c.redirectUris.map((u) => html`<dd>${u}</dd>`)}` : ''}${c.postLogoutRedirectUris.length ? html`<dt>After sign-out</dt>${c.postLogoutRedirectUris.map((u) => html`<dd>${u}</dd>`)}` : ''}${c.backchannelLogoutUri ? html`<dt>Back-channel logout</dt><dd>${c.backchannelLogoutUri}</dd>` : ''}</dl>`
        : '—'}</td>
      <td>${c.public ? '—' : c.secretRotatedAt ? t(c.secretRotatedAt) : 'Never'}</td><td>${c.public ? '—' : c.previousSecretExpiresAt ? `Works until ${t(c.previousSecretExpiresAt)}` : 'None'}</td></tr>`,
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
  ${back('/admin/applications', 'Applications')}
  <h1 id="client-title">${c.name}</h1>
  ${done(v.done)}
  <dl class="profile">
    <dt>Client ID</dt><dd><code>${c.clientId}</code></dd>
    <dt>App</dt><dd>${c.app ? (appLabels[c.app] ?? c.app) : '—'}</dd>
    <dt>Grant types</dt><dd>${list(c.grantTypes.map((g) => grantLabels[g] ?? g))}</dd>
    <dt>Redirect URIs</dt><dd>${list(c.redirectUris)}</dd>
    <dt>After sign-out</dt><dd>${list(c.postLogoutRedirectUris)}</dd>
    <dt>Back-channel logout</dt><dd>${c.backchannelLogoutUri ?? '—'}</dd>
    ${c.scope ? html`<dt>Scopes</dt><dd>${c.scope}</dd>` : ''}
    <dt>Registered</dt><dd>${when(c.createdAt, v.timeZone)}</dd>
    <dt>Secret</dt><dd>${c.public ? 'None (public client: PKCE)' : `Last rotated ${c.secretRotatedAt ? when(c.secretRotatedAt, v.timeZone) : 'never'}`}</dd>
    <dt>Previous secret</dt><dd>${previousSecret(c, v.timeZone)}</dd>
  </dl>
  <p class="actions">${signsIn ? html`<a class="usa-button" href="${path}/uris">Edit URIs</a>` : ''}${c.public ? '' : html`<a class="usa-button" href="${path}/rotate">Rotate the secret</a>`}</p>
</section>`,
  );
}

export function createClientPage(v: FormPage): string {
  const grants = v.values?.grant === undefined ? ['authorization_code'] : ([] as string[]).concat(v.values.grant);
  return changeForm({
    ...v,
    wide: true,
    title: 'Register an application',
    intro: 'The client secret is generated and shown to you once; only its hash is kept.',
    action: '/admin/applications/new',
    fields: html`<label class="usa-label" for="name">Name</label>
    <input class="usa-input" id="name" name="name" type="text" maxlength="200" required value="${value(v.values, 'name')}">
    <label class="usa-label" for="app">Which programme app (optional)</label>
    <select class="usa-select" id="app" name="app"><option value="">None</option>${Object.entries(appLabels).map(([a, label]) => html`<option value="${a}"${selected(value(v.values, 'app') === a)}>${label}</option>`)}</select>
    <fieldset class="question"><legend>Grant types</legend>
      <label class="choice"><input type="checkbox" name="grant" value="authorization_code"${checked(grants.includes('authorization_code'))}> People sign in to it (authorization code, with refresh tokens)</label>
      <label class="choice"><input type="checkbox" name="grant" value="client_credentials"${checked(grants.includes('client_credentials'))}> It calls APIs as itself (client credentials)</label>
    </fieldset>
    <label class="usa-label" for="redirect_uris">Redirect URIs (one per line; for sign-in)</label>
    <textarea class="usa-textarea" id="redirect_uris" name="redirect_uris" rows="3">${value(v.values, 'redirect_uris')}</textarea>
    <label class="usa-label" for="post_logout_redirect_uris">After sign-out URIs (one per line, optional)</label>
    <textarea class="usa-textarea" id="post_logout_redirect_uris" name="post_logout_redirect_uris" rows="2">${value(v.values, 'post_logout_redirect_uris')}</textarea>
    <label class="usa-label" for="backchannel_logout_uri">Back-channel logout URI (optional)</label>
    <input class="usa-input" id="backchannel_logout_uri" name="backchannel_logout_uri" type="text" maxlength="500" value="${value(v.values, 'backchannel_logout_uri')}">
    <label class="usa-label" for="scopes">Scopes (machine clients; separated by spaces)</label>
    <input class="usa-input" id="scopes" name="scopes" type="text" maxlength="2000" value="${value(v.values, 'scopes')}" aria-describedby="scopes-hint">
    <p class="hint" id="scopes-hint">Only scopes the portal offers to machine clients are accepted; leave empty if unsure.</p>`,
    button: 'Register application',
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
    title: `Edit the URIs of ${c.name}`,
    intro: 'The application must use one of these redirect URIs at its next sign-in.',
    action: `/admin/applications/${encodeURIComponent(c.clientId)}/uris`,
    fields: html`<label class="usa-label" for="redirect_uris">Redirect URIs (one per line)</label>
    <textarea class="usa-textarea" id="redirect_uris" name="redirect_uris" rows="3">${value(values, 'redirect_uris')}</textarea>
    <label class="usa-label" for="post_logout_redirect_uris">After sign-out URIs (one per line, optional)</label>
    <textarea class="usa-textarea" id="post_logout_redirect_uris" name="post_logout_redirect_uris" rows="2">${value(values, 'post_logout_redirect_uris')}</textarea>
    <label class="usa-label" for="backchannel_logout_uri">Back-channel logout URI (optional)</label>
    <input class="usa-input" id="backchannel_logout_uri" name="backchannel_logout_uri" type="text" maxlength="500" value="${value(values, 'backchannel_logout_uri')}">`,
    button: 'Save URIs',
    cancel: `/admin/applications/${encodeURIComponent(c.clientId)}`,
  });
}

/** How long the old secret keeps working after a rotation: the choices the page offers. */
export const overlapChoices = {
  now: { ms: 0, label: 'Stops working now' },
  '1h': { ms: 3600_000, label: '1 hour' },
  '24h': { ms: 24 * 3600_000, label: '24 hours' },
  '7d': { ms: 7 * 24 * 3600_000, label: '7 days' },
} as const;
export type OverlapChoice = keyof typeof overlapChoices;

export function rotateSecretPage(v: FormPage & { client: ClientView }): string {
  const c = v.client;
  const chosen = value(v.values, 'old_secret_works') || '24h';
  return changeForm({
    ...v,
    title: `Rotate the secret of ${c.name}?`,
    intro: html`A new secret is generated and shown to you once. The old one keeps working for the time you choose, so the application can be redeployed with the new one; then it fails at the token endpoint.${
      c.previousSecretExpiresAt ? html` <strong>The secret before the current one stops working at once.</strong>` : ''
    }`,
    action: `/admin/applications/${encodeURIComponent(c.clientId)}/rotate`,
    fields: html`<fieldset class="question"><legend>The old secret</legend>
      ${(Object.keys(overlapChoices) as OverlapChoice[]).map(
        (k) => html`<label class="choice"><input type="radio" name="old_secret_works" value="${k}"${checked(chosen === k)}> ${k === 'now' ? overlapChoices[k].label : `Keeps working for ${overlapChoices[k].label}`}</label>`,
      )}
    </fieldset>`,
    button: 'Rotate secret',
    cancel: `/admin/applications/${encodeURIComponent(c.clientId)}`,
  });
}

export function clientSecretPage(v: Page & { client: { clientId: string; name: string }; secret: string; previousSecretExpiresAt?: number | undefined; created: boolean }): string {
  return shownOnce({
    ...v,
    title: v.created ? 'Application registered' : 'New client secret',
    lead: html`The client secret of <strong>${v.client.name}</strong> (client ID <code>${v.client.clientId}</code>).`,
    secret: v.secret,
    after: v.created
      ? html`Put it in the application's configuration (never in a browser).`
      : html`Put it in the application's configuration. ${
          v.previousSecretExpiresAt !== undefined && v.previousSecretExpiresAt > 0 ? `The old secret works until ${when(v.previousSecretExpiresAt, v.timeZone)}.` : 'The old secret no longer works.'
        }`,
    next: { href: `/admin/applications/${encodeURIComponent(v.client.clientId)}`, label: 'Go to the application' },
  });
}

/* ---------- Acceptable Use Agreement ---------- */

export function auaPage(v: Page & { current: { version: string; text: string; publishedAt: number }; done?: string | undefined }): string {
  return page(
    v,
    'Acceptable Use Agreement',
    html`<section class="card wide" aria-labelledby="aua-title">
  ${back('/admin', 'Administration')}
  <h1 id="aua-title">Acceptable Use Agreement</h1>
  ${done(v.done)}
  <p>Current version <strong>${v.current.version}</strong>, published ${when(v.current.publishedAt, v.timeZone)}.</p>
  <div class="agreement" tabindex="0" aria-label="Agreement text">${v.current.text.split('\n\n').map((p) => html`<p>${p}</p>`)}</div>
  <p class="actions"><a class="usa-button" href="/admin/aua/publish">Publish a new version</a></p>
</section>`,
  );
}

export function publishAuaPage(v: FormPage & { current: { version: string } }): string {
  return changeForm({
    ...v,
    wide: true,
    title: 'Publish a new Acceptable Use Agreement?',
    intro: html`It replaces version <strong>${v.current.version}</strong>. <strong>Everyone must accept the new version at their next sign-in</strong>; whoever declines cannot use the portal.`,
    action: '/admin/aua/publish',
    fields: html`<label class="usa-label" for="version">Version label</label>
    <input class="usa-input" id="version" name="version" type="text" maxlength="40" required value="${value(v.values, 'version')}" autocomplete="off" aria-describedby="version-hint">
    <p class="hint" id="version-hint">1–40 letters, digits, . _ - (e.g. 2026-07). A published version cannot be reused.</p>
    <label class="usa-label" for="text">Text</label>
    <textarea class="usa-textarea" id="text" name="text" rows="14" required aria-describedby="text-hint">${value(v.values, 'text')}</textarea>
    <p class="hint" id="text-hint">The first paragraph is the title. Separate paragraphs with an empty line. At least 50 characters.</p>`,
    button: 'Publish version',
    cancel: '/admin/aua',
  });
}

/* ---------- Security-question catalogue ---------- */

export function questionsPage(v: Page & { questions: { id: string; text: string; active: boolean }[]; done?: string | undefined }): string {
  return page(
    v,
    'Security questions',
    html`<section class="card wide" aria-labelledby="questions-title">
  ${back('/admin', 'Administration')}
  <h1 id="questions-title">Security questions</h1>
  ${done(v.done)}
  <p>People choose three of the offered questions. A retired question is no longer offered, but answers already given to it keep working.</p>
  <table class="usa-table usa-table--stacked orgs">
    <thead><tr><th scope="col">Question</th><th scope="col">Offered</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
    <tbody>${v.questions.map(
      (q) => html`<tr><td>${q.text}</td><td>${q.active ? 'Yes' : 'Retired'}</td><td><a href="/admin/security-questions/${q.id}/${q.active ? 'retire' : 'restore'}">${q.active ? 'Retire' : 'Offer again'}</a></td></tr>`,
    )}</tbody>
  </table>
  <p class="actions"><a class="usa-button" href="/admin/security-questions/new">Add a question</a></p>
</section>`,
  );
}

export function addQuestionPage(v: FormPage): string {
  return changeForm({
    ...v,
    title: 'Add a security question?',
    intro: 'It is offered at once to everyone choosing their questions. Ask for something only the person knows and that is not on a public record or a social-media profile.',
    action: '/admin/security-questions/new',
    fields: html`<label class="usa-label" for="text">Question</label>
    <input class="usa-input" id="text" name="text" type="text" minlength="10" maxlength="200" required value="${value(v.values, 'text')}" aria-describedby="text-hint">
    <p class="hint" id="text-hint">10–200 characters, ending with a question mark.</p>`,
    button: 'Add question',
    cancel: '/admin/security-questions',
  });
}

export function questionOfferedPage(v: FormPage & { question: { id: string; text: string }; offered: boolean }): string {
  return changeForm({
    ...v,
    title: v.offered ? 'Offer this question again?' : 'Retire this question?',
    intro: v.offered
      ? html`“${v.question.text}” will be offered again to people choosing their questions.`
      : html`“${v.question.text}” will no longer be offered. People who already answered it keep their answer, and it still works in Forgot Password.`,
    action: `/admin/security-questions/${v.question.id}/${v.offered ? 'restore' : 'retire'}`,
    button: v.offered ? 'Offer again' : 'Retire question',
    cancel: '/admin/security-questions',
  });
}
