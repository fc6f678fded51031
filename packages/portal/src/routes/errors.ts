import { t } from '../locales/portal.js';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { PortalConfig } from '../config/index.js';
import type { Logger } from '../libraries/logger.js';
import { PortalError, messageFor } from '../libraries/errors.js';
import { html } from '@portal/common';
import { messagePage } from '../views/message.js';
import type { SecurityHeaders } from './security-headers.js';

function wantsJson(req: Request): boolean {
  return !req.accepts('html') || req.path.startsWith('/api/') || req.path === '/healthz' || req.path === '/readyz';
}

export function notFound(): RequestHandler {
  return (_req, _res, next) => next(new PortalError('page.not_found', 404));
}

/**
 * What any thrown thing means to the person or client who caused it: a PortalError as it is, a
 * body-parser refusal as 413 or 400-class, anything else a 500 whose details go to the log only.
 * `clientStatus` answers every client error with that one status (the admin API's 400).
 */
export function toPortalError(err: unknown, logUnhandled: (fields: object) => void, options: { clientStatus?: number } = {}): PortalError {
  const e = err as { type?: unknown; status?: unknown; message?: unknown; stack?: unknown } | undefined;
  if (err instanceof PortalError) return err;
  if (e?.type === 'entity.too.large') return new PortalError('request.too_large', 413);
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return new PortalError('request.invalid', options.clientStatus ?? e.status);
  logUnhandled({ err: { message: e?.message, stack: e?.stack } });
  return new PortalError('server.error', 500);
}

/**
 * The one error handler: a PortalError becomes its message, a body-parser error a 400/413, and
 * anything else a generic 500 whose details go to the log only — never a stack trace to a person.
 */
export function errorHandler(deps: { config: PortalConfig; logger: Logger; securityHeaders: SecurityHeaders }): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const error = toPortalError(err, (fields) => deps.logger.error({ ...fields, reqId: res.locals.requestId as unknown, path: req.path }, 'unhandled error'));
    if (res.headersSent) return;
    const message = messageFor(error.code, { support: deps.config.supportContact, ...error.params });
    res.status(error.status).set('cache-control', 'no-store');
    if (wantsJson(req)) {
      res.json({ error: error.code, message });
    } else {
      // An error may be thrown before the app's headers were set (a machine path, a refused address).
      deps.securityHeaders(req, res);
      // Every error page offers a way on (issue 13): back to the portal's home.
      res.type('html').send(messagePage({ title: titleFor(error.status), message, supportContact: deps.config.supportContact, extra: html`<p><a class="usa-button" href="/">${t('common.home')}</a></p>` }));
    }
  };
}

function titleFor(status: number): string {
  if (status === 404) return t('errors.notFound');
  if (status === 429) return t('errors.wait');
  if (status >= 500) return t('errors.server');
  return t('errors.refused');
}
