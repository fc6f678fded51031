import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs. Paths that could carry a secret are removed before anything is written, as a second
 * line of defence: the code itself never logs bodies, cookies, tokens or query strings.
 */
export function createLogger(level: string, destination?: { write(line: string): void }): Logger {
  const options = {
    level,
    base: { service: 'portal' },
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', '*.password', '*.client_secret', '*.code', '*.token'],
      remove: true,
    },
  };
  // A destination is for tests that read every line the portal writes (no secret may be in one).
  return destination ? pino(options, destination) : pino(options);
}
