import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { html, type SafeHtml } from '@portal/common';
import { RpError } from './errors.js';
import type { AppSession } from './session-store.js';

/** What a form handler gets: each field once, as a string. */
export type FormHandler = (req: Request, res: Response, body: Record<string, string>) => Promise<void>;

/**
 * A form post for a route after requireSession: the body parsed (small bodies only), the CSRF token
 * checked against the session (constant time) before anything else, each field present at most
 * once — a repeated field is a malformed form, not a list to pick from — then the handler.
 */
export function createFormPost(verifyCsrf: (session: AppSession, submitted: unknown) => boolean) {
  return (handler: FormHandler, limits: { bodyBytes?: string; fields?: number } = {}): RequestHandler[] => [
    express.urlencoded({ extended: false, limit: limits.bodyBytes ?? '32kb', parameterLimit: limits.fields ?? 60 }),
    async (req: Request, res: Response, next: NextFunction) => {
      const raw = (req.body ?? {}) as Record<string, unknown>;
      const session = res.locals.rpSession as AppSession | undefined;
      if (!session || !verifyCsrf(session, raw.csrf)) return next(new RpError('request.csrf', 403));
      const body: Record<string, string> = {};
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string') return next(new RpError('request.invalid', 400));
        body[k] = v;
      }
      await handler(req, res, body);
    },
  ];
}

/** The hidden CSRF field every form of an app carries (bound to the app session). */
export function csrfField(res: Response): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${(res.locals.rpSession as AppSession).csrfToken}">`;
}
