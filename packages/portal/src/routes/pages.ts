import express, { type Router } from 'express';
import type { PortalConfig } from '../config/index.js';
import { html } from '../libraries/html.js';
import { messagePage } from '../views/message.js';

/** Public pages that do not belong to a flow yet. */
export function createPageRoutes(deps: { config: PortalConfig }): Router {
  const { config } = deps;
  const router = express.Router();
  const apps = [
    { name: 'ImmTrac2', what: 'Immunization registry', url: config.apps.registry.url },
    { name: 'Syntropi', what: 'Provider enrollment', url: config.apps.enrollment.url },
    { name: 'VAOS', what: 'Vaccine ordering (vaccine coordinators)', url: config.apps.ordering.url },
  ];

  router.get('/', (_req, res) => {
    res.type('html').send(
      messagePage({
        title: 'HHS Enterprise Portal',
        message: 'One sign-in for the immunization applications. Open an application to sign in.',
        supportContact: config.supportContact,
        extra: html`<ul class="apps">${apps.map((a) => html`<li><a href="${a.url}/login">${a.name}</a> — ${a.what}</li>`)}</ul>`,
      }),
    );
  });

  return router;
}
