import express, { type Express } from 'express';
import { createRelyingParty, html, isVaccineCoordinator, orgTable, type RelyingParty, type AppOptions } from '@portal/rp-kit';

export type { AppOptions };

// What the app's own guard says, and what a portal refusal (access_denied) says when it gives no reason of its own.
const coordinatorsOnly = {
  title: 'VAOS is for Primary and Secondary Vaccine Coordinators',
  message:
    'Your account is not a Primary or Secondary Vaccine Coordinator at any organization. If you should be, ask your organization to update your access, or contact Customer Support.',
};

/** VAOS, vaccine ordering (SPEC §5): coordinators only. For now: sign-in and the home page. */
export function createApp(options: AppOptions): Express & { relyingParty: RelyingParty } {
  const rp = createRelyingParty({ appName: 'VAOS', accessDenied: coordinatorsOnly, ...options });
  const app = express();
  app.disable('x-powered-by');
  app.use(rp.router);

  const coordinatorOnly = rp.requireAccess((orgs) => isVaccineCoordinator(orgs), coordinatorsOnly);

  app.get('/', rp.requireSession, coordinatorOnly, (_req, res) => {
    const session = rp.sessionOf(res);
    const coordinating = rp.orgsOf(session).filter((o) => o.coordinator !== null);
    rp.render(res, {
      title: 'Home',
      body: html`<section class="card" aria-labelledby="home-title">
  <h1 id="home-title">VAOS</h1>
  <p>Welcome, ${String(session.claims.name ?? session.claims.preferred_username ?? '')}.</p>
  <p>You can order vaccines for the organizations you coordinate.</p>
  ${orgTable(coordinating)}
</section>`,
    });
  });

  app.use(rp.notFound);
  app.use(rp.errorHandler);
  return Object.assign(app, { relyingParty: rp });
}
