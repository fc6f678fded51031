import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs. Paths that could carry a secret are removed before anything is written, as a second
 * line of defence: the code itself never logs bodies, cookies, tokens or query strings.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'portal' },
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', '*.password', '*.client_secret', '*.code', '*.token'],
      remove: true,
    },
  });
}
