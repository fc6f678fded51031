import express, { type Response, type Router } from 'express';
import { html, registryRoles, roleLabel, coordinatorLabel, type Clock, type RegistryRole, type RelyingParty } from '@portal/rp-kit';
import { z } from 'zod';
import { fieldErrors } from '../libraries/input.js';
import { assignableRoles, MembersRefused, TokenNeeded, createPortalMembers, type Member } from '../libraries/portal-members.js';
import { requireCapability } from '../libraries/access.js';
import type { AuditQueries } from '../queries/audit.js';
import { errorSummary } from '../views/layout.js';
import { selectField, textField } from '../views/forms.js';
import { actorOf, csrfField, formPost, renderWorkspace, requireWorkspace, type Context } from './context.js';

const roleInput = z.enum(registryRoles, { message: 'Choose a role.' });
const addInput = z.object({
  username: z.string().trim().min(1, 'Enter the person\u2019s Enterprise Portal username.').max(64, 'A username has at most 64 characters.'),
  email: z.string().trim().min(1, 'Enter the email address on their account.').max(254).email('Enter an email address like name@example.org.'),
  role: roleInput,
});

/** Manage Users (Provider Supervisor and above): the organization's people and their roles. */
export function createUserRoutes(deps: Context & { rp: RelyingParty; apiBase: string; audit: AuditQueries; clock: Clock }): Router {
  const { rp, audit, clock } = deps;
  const router = express.Router();
  const guard = requireWorkspace(deps);
  const membersFor = (res: Response) => createPortalMembers({ apiBase: deps.apiBase, tokenOf: () => rp.accessTokenOf(rp.sessionOf(res)) });

  async function page(res: Response, extra: { values?: Record<string, string>; errors?: Record<string, string>; notice?: string; status?: number } = {}) {
    const actor = actorOf(res);
    const members = await membersFor(res).list(actor);
    const roles = assignableRoles(actor);
    const errors = extra.errors ?? {};
    const v = extra.values ?? {};
    renderWorkspace(deps, res, {
      status: extra.status,
      title: `${Object.keys(errors).length ? 'Error: ' : ''}Manage users`,
      current: '/users',
      body: html`<h1>Manage users: ${actor.org.name}</h1>
${extra.notice ? html`<p class="notice" role="status">${extra.notice}</p>` : ''}
${errorSummary(errors)}
<table class="usa-table usa-table--stacked responsive">
  <caption>People with ImmTrac2 access at ${actor.org.name}</caption>
  <thead><tr><th scope="col">Name</th><th scope="col">Username</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Change</th></tr></thead>
  <tbody>
  ${members.map((m) => memberRow(res, m, actor.sub, roles))}
  </tbody>
</table>
<h2>Add a person</h2>
<p class="hint">They need an Enterprise Portal account already; enter its username and the email address on it.</p>
<form method="post" action="/users/add" novalidate>
  ${csrfField(res)}
  ${textField({ id: 'username', label: 'Username', value: v.username, error: errors.username, required: true, maxlength: 64 })}
  ${textField({ id: 'email', label: 'Email', value: v.email, error: errors.email, required: true, type: 'email' })}
  ${selectField({ id: 'role', label: 'Role', value: v.role ?? 'view_only', error: errors.role, options: roles.map((r) => [r, roleLabel(r)] as const) })}
  <button class="usa-button" type="submit">Add</button>
</form>`,
    });
  }

  function memberRow(res: Response, m: Member, selfSub: string, roles: RegistryRole[]) {
    const self = m.userId === selfSub;
    const changeable = !self && roles.includes(m.role);
    return html`<tr><td data-label="Name">${m.name}${coordinatorLabel(m.coordinator as never) ? html` <span class="hint">(${coordinatorLabel(m.coordinator as never)})</span>` : ''}</td><td data-label="Username">${m.username}</td><td data-label="Email">${m.email}</td><td data-label="Role">${roleLabel(m.role)}</td>
<td data-label="Change">${changeable
      ? html`<form method="post" action="/users/${m.userId}/role" class="inline">${csrfField(res)}<label class="usa-label visually-hidden" for="role-${m.userId}">Role of ${m.name}</label>
  <select class="usa-select" id="role-${m.userId}" name="role">${roles.map((r) => html`<option value="${r}"${r === m.role ? html` selected` : ''}>${roleLabel(r)}</option>`)}</select>
  <button class="usa-button usa-button--outline" type="submit">Change role<span class="visually-hidden"> of ${m.name}</span></button></form>
  <form method="post" action="/users/${m.userId}/remove" class="inline">${csrfField(res)}<button type="submit" class="link danger">Remove<span class="visually-hidden"> ${m.name}</span></button></form>`
      : self ? html`<span class="hint">You</span>` : ''}</td></tr>`;
  }

  /** Runs an API call; an expired token goes through the portal for a new one (SSO) and back. */
  async function attempt(res: Response, back: string, work: () => Promise<void>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (err) {
      if (err instanceof TokenNeeded) {
        res.redirect(303, rp.renewPath(back));
        return false;
      }
      if (err instanceof MembersRefused) {
        await page(res, { errors: { form: err.portalMessage }, status: err.status === 404 || err.status === 409 ? 400 : err.status });
        return false;
      }
      throw err;
    }
  }

  router.get('/users', ...guard, async (req, res) => {
    requireCapability(actorOf(res), 'users:manage');
    await attempt(res, '/users', () => page(res, { notice: typeof req.query.done === 'string' ? doneMessages[req.query.done] : undefined }));
  });

  router.post(
    '/users/add',
    ...guard,
    ...formPost(deps, async (_req, res, body) => {
      const actor = actorOf(res);
      requireCapability(actor, 'users:manage');
      const parsed = addInput.safeParse(body);
      if (!parsed.success) return void (await attempt(res, '/users', () => page(res, { values: body, errors: fieldErrors(parsed.error), status: 400 })));
      const ok = await attempt(res, '/users', async () => {
        const member = await membersFor(res).add(actor, parsed.data);
        await audit.record({ at: clock.now(), sub: actor.sub, organization_id: actor.org.iis_id, action: 'users.add', details: `user ${member.userId} as ${member.role}` });
      });
      if (ok) res.redirect(303, '/users?done=added');
    }),
  );

  router.post(
    '/users/:userId/role',
    ...guard,
    ...formPost(deps, async (req, res, body) => {
      const actor = actorOf(res);
      requireCapability(actor, 'users:manage');
      const role = roleInput.safeParse(body.role);
      if (!role.success) return void (await attempt(res, '/users', () => page(res, { errors: { form: 'Choose a role.' }, status: 400 })));
      const userId = String(req.params.userId);
      const ok = await attempt(res, '/users', async () => {
        await membersFor(res).setRole(actor, userId, role.data);
        await audit.record({ at: clock.now(), sub: actor.sub, organization_id: actor.org.iis_id, action: 'users.role', details: `user ${userId} to ${role.data}` });
      });
      if (ok) res.redirect(303, '/users?done=role');
    }),
  );

  router.post(
    '/users/:userId/remove',
    ...guard,
    ...formPost(deps, async (req, res) => {
      const actor = actorOf(res);
      requireCapability(actor, 'users:manage');
      const userId = String(req.params.userId);
      const ok = await attempt(res, '/users', async () => {
        await membersFor(res).remove(actor, userId);
        await audit.record({ at: clock.now(), sub: actor.sub, organization_id: actor.org.iis_id, action: 'users.remove', details: `user ${userId}` });
      });
      if (ok) res.redirect(303, '/users?done=removed');
    }),
  );

  return router;
}

const doneMessages: Record<string, string> = { added: 'The person was added.', role: 'The role was changed.', removed: 'The person no longer has access at this organization.' };
