import express, { type Request, type Response, type Router } from 'express';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { PortalConfig } from '../config/index.js';
import type { FormGuards } from './form-guards.js';
import type { Csrf } from '../libraries/csrf.js';
import type { Clock } from '../libraries/clock.js';
import { PortalError, messageFor } from '../libraries/errors.js';
import type { UserQueries } from '../queries/users.js';
import type { Support } from '../libraries/administration/support.js';
import type { Administration } from '../libraries/administration/admin.js';
import type { Actor } from '../libraries/administration/actors.js';
import type { QuestionAdministration } from '../libraries/administration/questions.js';
import {
  accountActionPage,
  accountActions,
  addQuestionPage,
  adminIndexPage,
  questionOfferedPage,
  questionsPage,
  auaPage,
  clientListPage,
  clientPage,
  clientSecretPage,
  clientUrisPage,
  createClientPage,
  createOrgPage,
  createUserPage,
  membershipPage,
  orgListPage,
  orgPage,
  overlapChoices,
  publishAuaPage,
  removeMembershipPage,
  roleChanges,
  roleConfirmPage,
  rotateSecretPage,
  userCreatedPage,
  userDetailsPage,
  userPage,
  userSearchPage,
  type FormValues,
} from '../views/admin.js';
import { t } from '../locales/consoles.js';
import { auditContext } from './request-context.js';
import { searchUsers } from './user-search.js';
import { createSignedIn, type SignedIn } from './signed-in.js';
import { withoutNul } from './refuse-nul.js';

/**
 * One form field as typed: a missing or repeated field reads as empty, so the library's own rules
 * (and their messages) answer every bad input, and the form can be shown again as it was sent.
 */
const field = z.unknown().optional().transform((v) => (typeof v === 'string' ? v : ''));
const reasonFields = { csrf: field, reason_code: field, reason: field, ticket: field };
const form = <T extends z.ZodRawShape>(shape: T) => z.object({ ...reasonFields, ...shape });

const forms = {
  reasonOnly: form({}),
  details: form({ name: field, email: field, phone: field }),
  membership: form({ org: field, role: field, coordinator: field }),
  createUser: form({ username: field, email: field, name: field, phone: field, role: field, member_org: field, member_role: field, member_coordinator: field }),
  org: form({ code: field, iis_id: field, name: field, type: field }),
  client: form({
    name: field,
    app: field,
    redirect_uris: field,
    post_logout_redirect_uris: field,
    backchannel_logout_uri: field,
    scopes: field,
    // Checkboxes: absent, one value, or both.
    grant: z.unknown().optional().transform((v) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((g): g is string => typeof g === 'string') : [])),
  }),
  uris: form({ redirect_uris: field, post_logout_redirect_uris: field, backchannel_logout_uri: field }),
  rotate: form({ old_secret_works: field }),
  aua: form({ version: field, text: field }),
  question: form({ text: field }),
};

type Values<K extends keyof typeof forms> = Partial<z.output<(typeof forms)[K]>>;

function read<K extends keyof typeof forms>(name: K, req: Request): Values<K> {
  return forms[name].parse(req.body ?? {}) as Values<K>;
}

const reasonOf = (v: Partial<Record<'reason_code' | 'reason' | 'ticket', string>>) => ({ code: v.reason_code, text: v.reason ?? '', ticket: v.ticket });
const lines = (text: string | undefined) => (text ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
const orEmpty = (text: string | undefined) => (text?.trim() ? text.trim() : undefined);

// The AUA's text may be up to 100,000 characters: its own, larger limit, read only once the person is known to be an administrator.
const auaBody = withoutNul(express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 10 }));
const readAuaBody = (req: Request, res: Response) => new Promise<void>((resolve, reject) => auaBody(req, res, (err?: unknown) => (err ? reject(err) : resolve())));

/** Said on the page after a change: the redirect carries only a name from this list; its words are `admin.done`. */
const doneMessages = ['details', 'role', 'membership', 'removed', 'disable', 'enable', 'unchanged', 'created', 'saved', 'published', 'question_added', 'question_retired', 'question_restored'];
const doneFor = (req: Request) => (typeof req.query.done === 'string' && doneMessages.includes(req.query.done) ? t(`admin.done.${req.query.done}`) : undefined);


/**
 * Administration (SPEC §3.10, issue #8, role `admin`): HTTP only, the shape of the help desk
 * console. Who may do what is decided by the administration and support libraries from the actor
 * built here; these routes parse, call and render. Every change is a GET page saying what will
 * happen, then a CSRF-protected POST with a reason, then a redirect (post/redirect/get).
 */
export function createAdminRoutes(deps: {
  config: PortalConfig;
  provider: Provider;
  csrf: Csrf;
  users: UserQueries;
  clock: Clock;
  support: Support;
  administration: Administration;
  questions: QuestionAdministration;
  guards: FormGuards;
}): Router {
  const { config, csrf, support, administration: admin, questions } = deps;
  const router = express.Router();
  const { attemptLimit, parseBody } = deps.guards;
  const signedIn = createSignedIn({ provider: deps.provider, users: deps.users, csrf, config, clock: deps.clock });
  const view = (who: SignedIn) => ({ header: who.header, supportContact: config.supportContact, timeZone: config.mail.timeZone });
  const messages = { support: config.supportContact };

  /** Administrators only: the help desk and everyone else get 403 here, before anything is looked up. */
  const administrator = (handler: Parameters<typeof signedIn.staff>[1]) => signedIn.staff(['admin'], handler);
  const checkCsrf = signedIn.checkFormCsrf;

  /** Runs a change; a refusal for its content (400) shows the form again with the message, nothing changed. */
  async function attempt(res: Response, change: () => Promise<unknown>, form: (problems: string[]) => string | Promise<string>) {
    try {
      await change();
    } catch (err) {
      if (!(err instanceof PortalError) || err.status !== 400) throw err;
      res.status(400).type('html').send(await form([messageFor(err.code, { ...messages, ...err.params })]));
    }
  }

  const card = (req: Request, who: SignedIn, actor: Actor) => support.statusCard(actor, req.params.id, auditContext(req, who.user.id));
  const userPath = (id: string) => `/admin/users/${encodeURIComponent(id)}`;
  /**
   * A change: CSRF checked on the raw body before anything else, then the form read, so no handler
   * can forget either. The handler gets the form's values as typed.
   */
  function post<K extends keyof typeof forms>(path: string, formName: K, handler: (req: Request, res: Response, who: SignedIn, actor: Actor, v: Values<K>) => Promise<unknown>) {
    router.post(
      path,
      parseBody,
      attemptLimit,
      administrator(async (req, res, who, actor) => {
        checkCsrf(who, req);
        await handler(req, res, who, actor, read(formName, req));
      }),
    );
  }

  router.get(
    '/admin',
    administrator(async (_req, res, who) => res.type('html').send(adminIndexPage(view(who)))),
  );

  /* ---------- Users ---------- */

  router.get(
    '/admin/users',
    administrator(searchUsers(support, config.supportContact, (found, who) => userSearchPage({ ...view(who), ...found }))),
  );

  router.get(
    '/admin/users/new',
    administrator(async (_req, res, who) => res.type('html').send(createUserPage({ ...view(who), csrfToken: who.csrfToken }))),
  );

  post('/admin/users/new', 'createUser', async (req, res, who, actor, v) => {
    await attempt(
      res,
      async () => {
        // The first membership, if any, in the directory's CODE:ROLE[:coordinator] form; a code is letters, digits, - and _.
        const org = v.member_org?.trim();
        if (org && !/^[A-Za-z0-9_-]{1,40}$/.test(org)) throw new PortalError('admin.invalid', 400, { problems: t('admin.problems.orgCode') });
        if (org && !v.member_role) throw new PortalError('admin.invalid', 400, { problems: t('admin.problems.memberRole') });
        const membership = org ? [[org, v.member_role, v.member_coordinator].filter(Boolean).join(':')] : [];
        const role = v.role === 'helpdesk' || v.role === 'admin' ? v.role : undefined;
        if (v.role && !role) throw new PortalError('admin.invalid', 400, { problems: t('admin.problems.staffRole') });
        const input = { username: v.username ?? '', email: v.email ?? '', name: orEmpty(v.name), phone: orEmpty(v.phone), role, orgs: membership } as Parameters<Administration['createUser']>[1];
        const created = await admin.createUser(actor, input, reasonOf(v), auditContext(req, who.user.id));
        res.set('cache-control', 'no-store');
        res.type('html').send(userCreatedPage({ ...view(who), user: created, password: created.temporary_password! }));
      },
      (problems) => createUserPage({ ...view(who), csrfToken: who.csrfToken, problems, values: v as FormValues }),
    );
  });

  router.get(
    '/admin/users/:id',
    administrator(async (req, res, who, actor) => res.type('html').send(userPage({ ...view(who), card: await card(req, who, actor), done: doneFor(req) }))),
  );

  /** A page that changes one account: shown only when this administrator may act on it. */
  async function actionableCard(req: Request, who: SignedIn, actor: Actor) {
    const c = await card(req, who, actor);
    if (!c.actionable) throw new PortalError('admin.not_on_self', 403);
    return c;
  }

  router.get(
    '/admin/users/:id/details',
    administrator(async (req, res, who, actor) => res.type('html').send(userDetailsPage({ ...view(who), card: await actionableCard(req, who, actor), csrfToken: who.csrfToken }))),
  );

  post('/admin/users/:id/details', 'details', async (req, res, who, actor, v) => {
    const id = String(req.params.id);
    await attempt(
      res,
      async () => {
        const { changed } = await admin.updateUser(actor, id, { name: v.name ?? '', email: v.email ?? '', phone: v.phone ?? '' }, reasonOf(v), auditContext(req, who.user.id));
        res.redirect(303, `${userPath(id)}?done=${changed.length ? 'details' : 'unchanged'}`);
      },
      async (problems) => userDetailsPage({ ...view(who), card: await card(req, who, actor), csrfToken: who.csrfToken, problems, values: v as FormValues }),
    );
  });

  // One route per role change, so an unknown one is simply not a page (404), CSRF or not.
  for (const role of roleChanges) {
    router.get(
      `/admin/users/:id/role/${role}`,
      administrator(async (req, res, who, actor) => res.type('html').send(roleConfirmPage({ ...view(who), card: await actionableCard(req, who, actor), role, csrfToken: who.csrfToken }))),
    );

    post(`/admin/users/:id/role/${role}`, 'reasonOnly', async (req, res, who, actor, v) => {
      const id = String(req.params.id);
      await attempt(
        res,
        async () => {
          await admin.setRole(actor, id, role, reasonOf(v), auditContext(req, who.user.id));
          res.redirect(303, `${userPath(id)}?done=role`);
        },
        async (problems) => roleConfirmPage({ ...view(who), card: await card(req, who, actor), role, csrfToken: who.csrfToken, problems, values: v as FormValues }),
      );
    });
  }

  router.get(
    '/admin/users/:id/memberships',
    administrator(async (req, res, who, actor) => {
      const c = await actionableCard(req, who, actor);
      // "Change" links name the organization: the form starts from the membership as it is.
      const current = typeof req.query.org === 'string' ? c.orgs.find((o) => o.code === req.query.org) : undefined;
      const values = current ? { org: current.code, role: current.role, coordinator: current.coordinator ?? '' } : undefined;
      res.type('html').send(membershipPage({ ...view(who), card: c, changing: !!current, csrfToken: who.csrfToken, values }));
    }),
  );

  post('/admin/users/:id/memberships', 'membership', async (req, res, who, actor, v) => {
    const id = String(req.params.id);
    await attempt(
      res,
      async () => {
        let org;
        try {
          org = await admin.getOrgByCode(actor, v.org);
        } catch (err) {
          // Typed by a person: an unknown code is a mistake in the form, not a missing page.
          if (err instanceof PortalError && err.code === 'admin.no_such_org') throw new PortalError('admin.invalid', 400, { problems: v.org ? t('admin.problems.noSuchOrg', { code: v.org.slice(0, 40) }) : t('admin.problems.enterOrg') });
          throw err;
        }
        await admin.setMembership(actor, id, { orgId: org.id, role: v.role, coordinator: v.coordinator || null }, reasonOf(v), auditContext(req, who.user.id));
        res.redirect(303, `${userPath(id)}?done=membership`);
      },
      async (problems) => {
        const c = await card(req, who, actor);
        return membershipPage({ ...view(who), card: c, changing: c.orgs.some((o) => o.code === v.org), csrfToken: who.csrfToken, problems, values: v as FormValues });
      },
    );
  });

  /** The membership a remove page is about: one this person has. */
  async function membershipOf(req: Request, who: SignedIn, actor: Actor, mustAct: boolean) {
    const c = mustAct ? await actionableCard(req, who, actor) : await card(req, who, actor);
    const org = c.orgs.find((o) => o.id === req.params.orgId);
    if (!org) throw new PortalError('admin.no_such_org', 404);
    return { card: c, org };
  }

  router.get(
    '/admin/users/:id/memberships/:orgId/remove',
    administrator(async (req, res, who, actor) => res.type('html').send(removeMembershipPage({ ...view(who), ...(await membershipOf(req, who, actor, true)), csrfToken: who.csrfToken }))),
  );

  post('/admin/users/:id/memberships/:orgId/remove', 'reasonOnly', async (req, res, who, actor, v) => {
    const id = String(req.params.id);
    await attempt(
      res,
      async () => {
        await admin.removeMembership(actor, id, req.params.orgId, reasonOf(v), auditContext(req, who.user.id));
        res.redirect(303, `${userPath(id)}?done=removed`);
      },
      async (problems) => removeMembershipPage({ ...view(who), ...(await membershipOf(req, who, actor, false)), csrfToken: who.csrfToken, problems, values: v as FormValues }),
    );
  });

  for (const action of accountActions) {
    router.get(
      `/admin/users/:id/${action}`,
      administrator(async (req, res, who, actor) => res.type('html').send(accountActionPage({ ...view(who), card: await actionableCard(req, who, actor), action, csrfToken: who.csrfToken }))),
    );

    post(`/admin/users/:id/${action}`, 'reasonOnly', async (req, res, who, actor, v) => {
      const id = String(req.params.id);
      await attempt(
        res,
        async () => {
          // The support library's disable ends every session everywhere (back-channel logout) and revokes grants.
          await (action === 'disable' ? support.disable : support.enable)(actor, id, reasonOf(v), auditContext(req, who.user.id));
          res.redirect(303, `${userPath(id)}?done=${action}`);
        },
        async (problems) => accountActionPage({ ...view(who), card: await card(req, who, actor), action, csrfToken: who.csrfToken, problems, values: v as FormValues }),
      );
    });
  }

  /* ---------- Organizations ---------- */

  router.get(
    '/admin/organizations',
    administrator(async (req, res, who, actor) => {
      const prefix = typeof req.query.prefix === 'string' ? req.query.prefix.trim().slice(0, 40) : '';
      const requested = typeof req.query.page === 'string' ? Number(req.query.page) : 1;
      const page = Number.isInteger(requested) && requested >= 1 && requested <= 10_000 ? requested : 1;
      const { rows, more } = await admin.listOrgs(actor, prefix, page);
      res.type('html').send(orgListPage({ ...view(who), prefix, page, rows, more }));
    }),
  );

  router.get(
    '/admin/organizations/new',
    administrator(async (_req, res, who) => res.type('html').send(createOrgPage({ ...view(who), csrfToken: who.csrfToken }))),
  );

  post('/admin/organizations/new', 'org', async (req, res, who, actor, v) => {
    await attempt(
      res,
      async () => {
        // The IIS ID stays a string: its leading zeros are part of it.
        const org = await admin.createOrg(actor, { code: v.code?.trim() ?? '', iisId: v.iis_id?.trim() ?? '', name: v.name ?? '', type: v.type || null }, reasonOf(v), auditContext(req, who.user.id));
        res.redirect(303, `/admin/organizations/${org.id}?done=created`);
      },
      (problems) => createOrgPage({ ...view(who), csrfToken: who.csrfToken, problems, values: v as FormValues }),
    );
  });

  router.get(
    '/admin/organizations/:id',
    administrator(async (req, res, who, actor) => res.type('html').send(orgPage({ ...view(who), org: await admin.getOrg(actor, req.params.id), csrfToken: who.csrfToken, done: doneFor(req) }))),
  );

  post('/admin/organizations/:id', 'org', async (req, res, who, actor, v) => {
    await attempt(
      res,
      async () => {
        const org = await admin.updateOrg(actor, req.params.id, { name: v.name ?? '', type: v.type || null }, reasonOf(v), auditContext(req, who.user.id));
        res.redirect(303, `/admin/organizations/${org.id}?done=saved`);
      },
      async (problems) => orgPage({ ...view(who), org: await admin.getOrg(actor, req.params.id), csrfToken: who.csrfToken, problems, values: v as FormValues }),
    );
  });

  /* ---------- Applications ---------- */

  const clientPath = (id: string) => `/admin/applications/${encodeURIComponent(id)}`;

  router.get(
    '/admin/applications',
    administrator(async (_req, res, who, actor) => res.type('html').send(clientListPage({ ...view(who), clients: await admin.listClients(actor) }))),
  );

  router.get(
    '/admin/applications/new',
    administrator(async (_req, res, who) => res.type('html').send(createClientPage({ ...view(who), csrfToken: who.csrfToken }))),
  );

  post('/admin/applications/new', 'client', async (req, res, who, actor, v) => {
    await attempt(
      res,
      async () => {
        const input = {
          name: v.name ?? '',
          app: orEmpty(v.app),
          grants: v.grant ?? [],
          redirectUris: lines(v.redirect_uris),
          postLogoutRedirectUris: lines(v.post_logout_redirect_uris),
          backchannelLogoutUri: orEmpty(v.backchannel_logout_uri),
          scopes: (v.scopes ?? '').split(/[\s,]+/).filter(Boolean),
        } as Parameters<Administration['createClient']>[1];
        const created = await admin.createClient(actor, input, reasonOf(v), auditContext(req, who.user.id));
        if (!created.client_secret) return res.redirect(303, `${clientPath(created.client_id)}?done=created`);
        res.set('cache-control', 'no-store');
        res.type('html').send(clientSecretPage({ ...view(who), client: { clientId: created.client_id, name: input.name.trim() }, secret: created.client_secret, created: true }));
      },
      (problems) => createClientPage({ ...view(who), csrfToken: who.csrfToken, problems, values: v as FormValues }),
    );
  });

  router.get(
    '/admin/applications/:clientId',
    administrator(async (req, res, who, actor) => res.type('html').send(clientPage({ ...view(who), client: await admin.getClient(actor, req.params.clientId), done: doneFor(req) }))),
  );

  router.get(
    '/admin/applications/:clientId/uris',
    administrator(async (req, res, who, actor) => res.type('html').send(clientUrisPage({ ...view(who), client: await admin.getClient(actor, req.params.clientId), csrfToken: who.csrfToken }))),
  );

  post('/admin/applications/:clientId/uris', 'uris', async (req, res, who, actor, v) => {
    const clientId = String(req.params.clientId);
    await attempt(
      res,
      async () => {
        const uris = { redirectUris: lines(v.redirect_uris), postLogoutRedirectUris: lines(v.post_logout_redirect_uris), backchannelLogoutUri: orEmpty(v.backchannel_logout_uri) ?? null };
        await admin.updateClientUris(actor, clientId, uris, reasonOf(v), auditContext(req, who.user.id));
        res.redirect(303, `${clientPath(clientId)}?done=saved`);
      },
      async (problems) => clientUrisPage({ ...view(who), client: await admin.getClient(actor, clientId), csrfToken: who.csrfToken, problems, values: v as FormValues }),
    );
  });

  router.get(
    '/admin/applications/:clientId/rotate',
    administrator(async (req, res, who, actor) => res.type('html').send(rotateSecretPage({ ...view(who), client: await admin.getClient(actor, req.params.clientId), csrfToken: who.csrfToken }))),
  );

  post('/admin/applications/:clientId/rotate', 'rotate', async (req, res, who, actor, v) => {
    const clientId = String(req.params.clientId);
    await attempt(
      res,
      async () => {
        const choice = v.old_secret_works && Object.hasOwn(overlapChoices, v.old_secret_works) ? overlapChoices[v.old_secret_works as keyof typeof overlapChoices] : undefined;
        if (!choice) throw new PortalError('admin.invalid', 400, { problems: t('admin.problems.overlap') });
        const client = await admin.getClient(actor, clientId);
        const rotated = await admin.rotateSecret(actor, clientId, choice.ms, reasonOf(v), auditContext(req, who.user.id));
        res.set('cache-control', 'no-store');
        res.type('html').send(clientSecretPage({ ...view(who), client, secret: rotated.clientSecret, previousSecretExpiresAt: choice.ms ? rotated.previousSecretExpiresAt : 0, created: false }));
      },
      async (problems) => rotateSecretPage({ ...view(who), client: await admin.getClient(actor, clientId), csrfToken: who.csrfToken, problems, values: v as FormValues }),
    );
  });

  /* ---------- Acceptable Use Agreement ---------- */

  router.get(
    '/admin/aua',
    administrator(async (req, res, who, actor) => res.type('html').send(auaPage({ ...view(who), current: await admin.currentAua(actor), done: doneFor(req) }))),
  );

  router.get(
    '/admin/aua/publish',
    administrator(async (_req, res, who, actor) => res.type('html').send(publishAuaPage({ ...view(who), current: await admin.currentAua(actor), csrfToken: who.csrfToken }))),
  );

  router.post(
    '/admin/aua/publish',
    attemptLimit,
    administrator(async (req, res, who, actor) => {
      await readAuaBody(req, res);
      checkCsrf(who, req);
      const v = read('aua', req);
      await attempt(
        res,
        async () => {
          // A textarea sends CRLF; paragraphs are split on blank lines when the agreement is shown.
          await admin.publishAua(actor, { version: v.version ?? '', text: (v.text ?? '').replace(/\r\n?/g, '\n') }, reasonOf(v), auditContext(req, who.user.id));
          res.redirect(303, '/admin/aua?done=published');
        },
        async (problems) => publishAuaPage({ ...view(who), current: await admin.currentAua(actor), csrfToken: who.csrfToken, problems, values: v as FormValues }),
      );
    }),
  );

  /* ---------- Security-question catalogue ---------- */

  router.get(
    '/admin/security-questions',
    administrator(async (req, res, who, actor) => res.type('html').send(questionsPage({ ...view(who), questions: questions.list(actor), done: doneFor(req) }))),
  );

  router.get(
    '/admin/security-questions/new',
    administrator(async (_req, res, who) => res.type('html').send(addQuestionPage({ ...view(who), csrfToken: who.csrfToken }))),
  );

  post('/admin/security-questions/new', 'question', async (req, res, who, actor, v) => {
    await attempt(
      res,
      async () => {
        await questions.add(actor, v.text ?? '', reasonOf(v), auditContext(req, who.user.id));
        res.redirect(303, '/admin/security-questions?done=question_added');
      },
      (problems) => addQuestionPage({ ...view(who), csrfToken: who.csrfToken, problems, values: v as FormValues }),
    );
  });

  const questionOf = (actor: Actor, id: unknown) => {
    const question = questions.list(actor).find((q) => q.id === id);
    if (!question) throw new PortalError('page.not_found', 404);
    return question;
  };
  for (const [path, offered] of [['retire', false], ['restore', true]] as const) {
    router.get(
      `/admin/security-questions/:id/${path}`,
      administrator(async (req, res, who, actor) => res.type('html').send(questionOfferedPage({ ...view(who), csrfToken: who.csrfToken, question: questionOf(actor, req.params.id), offered }))),
    );
    post(`/admin/security-questions/:id/${path}`, 'reasonOnly', async (req, res, who, actor, v) => {
      const question = questionOf(actor, req.params.id);
      await attempt(
        res,
        async () => {
          await questions.setOffered(actor, question.id, offered, reasonOf(v), auditContext(req, who.user.id));
          res.redirect(303, `/admin/security-questions?done=${offered ? 'question_restored' : 'question_retired'}`);
        },
        (problems) => questionOfferedPage({ ...view(who), csrfToken: who.csrfToken, question, offered, problems, values: v as FormValues }),
      );
    });
  }

  return router;
}
