import express, { type Express } from 'express';
import { createRelyingParty, html, orgTable, type RelyingParty, type AppOptions } from '@portal/rp-kit';

export type { AppOptions };

/** Syntropi, provider enrollment (SPEC §5). For now: sign-in and the home page. */
export function createApp(options: AppOptions): Express & { relyingParty: RelyingParty } {
  const rp = createRelyingParty({ appName: 'Syntropi', ...options });
  const app = express();
  app.disable('x-powered-by');
  app.use(rp.router);

  app.get('/', rp.requireSession, (_req, res) => {
    const session = rp.sessionOf(res);
    rp.render(res, {
      title: 'Home',
      body: html`<section class="card" aria-labelledby="home-title">
  <h1 id="home-title">Syntropi</h1>
  <p>Welcome, ${String(session.claims.name ?? session.claims.preferred_username ?? '')}.</p>
  ${orgTable(rp.orgsOf(session))}
</section>`,
    });
  });

  app.use(rp.notFound);
  app.use(rp.errorHandler);
  return Object.assign(app, { relyingParty: rp });
}
