import express, { type Router } from 'express';
import { html, roleLabel, RpError, type Clock } from '@portal/rp-kit';
import { can } from '../libraries/access.js';
import { confidentialityStatement, statementVersion } from '../libraries/statement.js';
import type { AuditQueries } from '../queries/audit.js';
import { createAgreementQueries } from '../queries/agreements.js';
import { actorOf, activeOrgOf, csrfField, dataOf, formPost, nextStep, personName, renderWorkspace, requireWorkspace, type Context } from './context.js';
import type { Db } from '@portal/db';

/**
 * Seed 004's way in: portal home → ImmTrac2 → Confidentiality Statement ("I Agree", once per user
 * and text version) → landing screen (the "Manage Access" portal view: one "ImmTrac2" button per
 * organization) → pandemic message ("OK") → ImmTrac2 home.
 */
export function createJourneyRoutes(ctx: Context & { db: Db; audit: AuditQueries; clock: Clock }): Router {
  const { rp, orgs, audit, clock } = ctx;
  const agreements = createAgreementQueries(ctx.db);
  const router = express.Router();

  router.get('/', rp.requireSession, (_req, res) => {
    res.redirect(302, nextStep(rp, rp.sessionOf(res)) ?? '/home');
  });

  router.get('/statement', rp.requireSession, async (_req, res) => {
    const session = rp.sessionOf(res);
    // Agreed before (another session, another day) to this very text: not asked again.
    if (dataOf(session).statementVersion !== statementVersion && (await agreements.has(session.sub, statementVersion))) {
      await ctx.saveSessionData(session, { statementVersion });
    }
    if (dataOf(session).statementVersion === statementVersion) return res.redirect(302, nextStep(rp, session) ?? '/home');
    rp.render(res, {
      title: 'Confidentiality Statement',
      body: html`<section class="card wide" aria-labelledby="statement-title">
  <h1 id="statement-title">Confidentiality Statement</h1>
  ${confidentialityStatement.map((p) => html`<p>${p}</p>`)}
  <form method="post" action="/statement">
    ${csrfField(res)}
    <button class="usa-button" type="submit">I Agree</button>
    <a class="usa-button usa-button--outline" href="${rp.portalUrl}">I Do Not Agree</a>
  </form>
  <p class="hint">Statement version ${statementVersion}</p>
</section>`,
    });
  });

  router.post(
    '/statement',
    rp.requireSession,
    ...formPost(ctx, async (_req, res) => {
      const session = rp.sessionOf(res);
      await agreements.record(session.sub, statementVersion, clock.now());
      await audit.record({ at: clock.now(), sub: session.sub, organization_id: null, action: 'statement.agree', details: statementVersion });
      await ctx.saveSessionData(session, { statementVersion });
      res.redirect(303, nextStep(rp, rp.sessionOf(res)) ?? '/home');
    }),
  );

  // The landing screen, which is also the "Manage Access" portal view a person of several
  // organizations returns to from the menu bar to change organization.
  router.get('/landing', rp.requireSession, (_req, res) => {
    const session = rp.sessionOf(res);
    if (dataOf(session).statementVersion !== statementVersion) return res.redirect(302, '/statement');
    const all = rp.orgsOf(session);
    const current = activeOrgOf(rp, session);
    rp.render(res, {
      title: all.length > 1 ? 'Manage Access' : 'Welcome',
      body: html`<section class="card wide" aria-labelledby="landing-title">
  <h1 id="landing-title">${all.length > 1 ? 'Manage Access' : 'Welcome to ImmTrac2'}</h1>
  <p>Welcome, ${personName(session)}.</p>
  ${all.length === 0
    ? html`<p>Your Enterprise Portal account has no organization in ImmTrac2. Ask your organization\u2019s Provider Supervisor or ImmTrac2 Customer Support.</p>`
    : html`${all.length > 1 ? html`<p>You have access to more than one organization. Select ImmTrac2 for the organization you are working for.</p>` : ''}
  <form method="post" action="/landing">
    ${csrfField(res)}
    <table class="usa-table usa-table--stacked responsive">
      <caption class="hint">Your organizations</caption>
      <thead><tr><th scope="col">Organization</th><th scope="col">TX IIS ID</th><th scope="col">Role</th><th scope="col"><span class="visually-hidden">Open</span></th></tr></thead>
      <tbody>
      ${all.map(
        (o) => html`<tr${current?.iis_id === o.iis_id ? html` class="current"` : ''}><td data-label="Organization">${o.name} (${o.code})</td><td data-label="TX IIS ID">${o.iis_id}</td><td data-label="Role">${roleLabel(o.role)}</td>
        <td><button class="usa-button" type="submit" name="org" value="${o.iis_id}" aria-label="ImmTrac2 for ${o.name}">ImmTrac2</button></td></tr>`,
      )}
      </tbody>
    </table>
  </form>`}
</section>`,
    });
  });

  router.post(
    '/landing',
    rp.requireSession,
    ...formPost(ctx, async (_req, res, body) => {
      const session = rp.sessionOf(res);
      if (dataOf(session).statementVersion !== statementVersion) throw new RpError('access.denied', 403);
      // Only an organization from the person's own claims can be chosen.
      const org = rp.orgsOf(session).find((o) => o.iis_id === body.org);
      if (!org) throw new RpError('request.invalid', 400);
      await orgs.ensure(org);
      await ctx.saveSessionData(session, { activeOrg: org.iis_id });
      await audit.record({ at: clock.now(), sub: session.sub, organization_id: org.iis_id, action: 'organization.choose' });
      res.redirect(303, nextStep(rp, rp.sessionOf(res)) ?? '/home');
    }),
  );

  router.get('/pandemic', rp.requireSession, (_req, res) => {
    const session = rp.sessionOf(res);
    const step = nextStep(rp, session);
    if (step !== '/pandemic') return res.redirect(302, step ?? '/home');
    rp.render(res, {
      title: 'Pandemic message',
      body: html`<section class="card" role="region" aria-labelledby="pandemic-title">
  <h1 id="pandemic-title">Pandemic message</h1>
  <p>Report every COVID-19 and influenza vaccine dose you administer to ImmTrac2 within 24 hours of administration, as Texas requires during a declared public health disaster.</p>
  <p>Check the Forms page for the current disaster consent form and reporting guidance.</p>
  <form method="post" action="/pandemic">${csrfField(res)}<button class="usa-button" type="submit">OK</button></form>
</section>`,
    });
  });

  router.post(
    '/pandemic',
    rp.requireSession,
    ...formPost(ctx, async (_req, res) => {
      const session = rp.sessionOf(res);
      if (dataOf(session).statementVersion !== statementVersion || !activeOrgOf(rp, session)) throw new RpError('access.denied', 403);
      await ctx.saveSessionData(session, { pandemicOk: true });
      res.redirect(303, '/home');
    }),
  );

  router.get('/home', ...requireWorkspace(ctx), (_req, res) => {
    const actor = actorOf(res);
    renderWorkspace(ctx, res, {
      title: 'Home',
      current: '/home',
      body: html`<h1>ImmTrac2</h1>
<p>Working for <strong>${actor.org.name}</strong> as ${roleLabel(actor.org.role)}.</p>
<ul class="tiles">
  <li><a href="/clients/search">Client search</a><span>Find a client by name and date of birth, or a smart search that forgives typos and nicknames.</span></li>
  ${can(actor, 'clients:edit') ? html`<li><a href="/clients/new">Add client</a><span>Register a client with consent.</span></li>` : ''}
  ${can(actor, 'recall:run') ? html`<li><a href="/recall">Recall and reminder</a><span>Clients due or overdue for vaccines.</span></li>` : ''}
  <li><a href="/schools/lists">Schools</a><span>Student lists and school reports.</span></li>
  ${can(actor, 'users:manage') ? html`<li><a href="/users">Manage users</a><span>Who at ${actor.org.name} uses ImmTrac2, and their role.</span></li>` : ''}
</ul>`,
    });
  });

  return router;
}
