import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { PortalConfig } from '../config/index.js';
import type { Logger } from '../libraries/logger.js';
import { PortalError, messageFor } from '../libraries/errors.js';
import { messagePage } from '../views/message.js';

function wantsJson(req: Request): boolean {
  return !req.accepts('html') || req.path.startsWith('/api/') || req.path === '/healthz' || req.path === '/readyz';
}

export function notFound(): RequestHandler {
  return (_req, _res, next) => next(new PortalError('page.not_found', 404));
}

/**
 * The one error handler: a PortalError becomes its message, a body-parser error a 400/413, and
 * anything else a generic 500 whose details go to the log only — never a stack trace to a person.
 */
export function errorHandler(deps: { config: PortalConfig; logger: Logger }): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let error: PortalError;
    if (err instanceof PortalError) {
      error = err;
    } else if (err?.type === 'entity.too.large') {
      error = new PortalError('request.too_large', 413);
    } else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      error = new PortalError('request.invalid', err.status);
    } else {
      deps.logger.error({ err: { message: err?.message, stack: err?.stack }, path: req.path }, 'unhandled error');
      error = new PortalError('server.error', 500);
    }
    if (res.headersSent) return;
    const message = messageFor(error.code, { support: deps.config.supportContact, ...error.params });
    res.status(error.status).set('cache-control', 'no-store');
    if (wantsJson(req)) {
      res.json({ error: error.code, message });
    } else {
      res.type('html').send(messagePage({ title: titleFor(error.status), message, supportContact: deps.config.supportContact }));
    }
  };
}

function titleFor(status: number): string {
  if (status === 404) return 'Page not found';
  if (status === 429) return 'Please wait';
  if (status >= 500) return 'Something went wrong';
  return 'This request could not be completed';
}
