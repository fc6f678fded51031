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

  // Self-service reset arrives with the account-protection work; until then the help desk resets.
  router.get('/forgot-password', (req, res) => {
    const locked = req.query.notice === 'locked';
    res.type('html').send(
      messagePage({
        title: 'Forgot Password',
        message: `${locked ? 'Your account is locked because of too many unsuccessful sign-in attempts. ' : ''}Self-service password reset is not available yet. ${config.supportContact}`,
        supportContact: config.supportContact,
      }),
    );
  });
  return router;
}
