import express, { type Express } from 'express';
import { createRelyingParty, html, orgTable, roleLabel, RpError, type AppSession, type OrgAccess, type RelyingParty, type AppOptions } from '../src/index.js';


/**
 * The smallest app on rp-kit, the one its README describes: sign-in, "Manage Access" (a person of
 * several organizations picks one, kept in the session's data) and a home page. rp-kit's own tests
 * drive it, so they do not depend on any real app's screens.
 */
export function createSampleApp(options: AppOptions & { appName?: string }): Express & { relyingParty: RelyingParty } {
  const rp = createRelyingParty({ appName: 'ImmTrac2', ...options });
  const app = express();
  app.disable('x-powered-by');
  app.use(rp.router);

  /** The organization the person is working for in this session; undefined until they pick one. */
  function activeOrg(session: AppSession, orgs: OrgAccess[]): OrgAccess | undefined {
    if (orgs.length === 1) return orgs[0];
    return orgs.find((o) => o.id === session.data.activeOrgId);
  }

  app.get('/', rp.requireSession, (_req, res) => {
    const session = rp.sessionOf(res);
    const orgs = rp.orgsOf(session);
    const org = activeOrg(session, orgs);
    if (orgs.length > 1 && !org) return res.redirect(302, '/manage-access');
    rp.render(res, {
      title: 'Home',
      body: html`<section class="card" aria-labelledby="home-title">
  <h1 id="home-title">ImmTrac2</h1>
  <p>Welcome, ${String(session.claims.name ?? session.claims.preferred_username ?? '')}.</p>
  ${org ? html`<p>Working for <strong>${org.name}</strong> as ${roleLabel(org.role)}.</p>` : ''}
  ${orgs.length > 1 ? html`<p><a href="/manage-access">Manage Access</a> (change organization)</p>` : ''}
  ${orgTable(orgs)}
</section>`,
    });
  });

  // "Manage Access": a person who works for several organizations picks one (SPEC §5).
  app.get('/manage-access', rp.requireSession, (_req, res) => {
    const session = rp.sessionOf(res);
    const orgs = rp.orgsOf(session);
    rp.render(res, {
      title: 'Manage Access',
      body: html`<section class="card" aria-labelledby="access-title">
  <h1 id="access-title">Manage Access</h1>
  <p>You have access to more than one organization. Choose the organization you are working for.</p>
  <form method="post" action="/manage-access">
    <input type="hidden" name="csrf" value="${session.csrfToken}">
    <ul class="org-choices">
      ${orgs.map((o) => html`<li><button type="submit" name="org" value="${o.id}">${o.name} (${o.code}) — ${roleLabel(o.role)}</button></li>`)}
    </ul>
  </form>
</section>`,
    });
  });

  app.post('/manage-access', rp.requireSession, express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 }), async (req, res) => {
    const session = rp.sessionOf(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!rp.verifyCsrf(session, body.csrf)) throw new RpError('request.csrf', 403);
    // Only an organization from the person's own claims can be chosen.
    const org = rp.orgsOf(session).find((o) => o.id === body.org);
    if (!org) throw new RpError('request.invalid', 400);
    await rp.updateSessionData(session, { activeOrgId: org.id });
    res.redirect(303, '/');
  });

  app.use(rp.notFound);
  app.use(rp.errorHandler);
  return Object.assign(app, { relyingParty: rp });
}
