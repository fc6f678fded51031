import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../libraries/logger.js';
import type { Metrics } from '../libraries/metrics.js';
import type { Lifecycle } from './health.js';

/** Relying parties' and monitors' endpoints: answered many times a second, all alike. */
const quiet = /^\/(token|jwks|me|healthz|readyz|metrics|\.well-known\/openid-configuration)(\/|$)/;
const requestIdShape = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * First on every request: a request id (the load balancer's when we trust it, else our own), sent
 * back as X-Request-Id and on every log line about the request; its latency into the metrics; one
 * JSON log line when it ends. Successful machine requests log at debug only: a relying party's
 * refreshes and a monitor's checks are counted by the metrics, not written out one by one (a log
 * line each was ≈ 5 % of their cost, issue #9). While the instance drains, every answer says
 * `Connection: close`, so the load balancer's kept-alive connections move to another instance.
 */
export function requestLog(deps: { logger: Logger; metrics: Metrics; lifecycle: Lifecycle }): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // Believed only from a proxy TRUST_PROXY trusts (Express's compiled check of the peer address).
    const trusted = (req.app.get('trust proxy fn') as (addr: string | undefined, hop: number) => boolean)(req.socket.remoteAddress, 0);
    const incoming = trusted ? req.get('x-request-id') : undefined;
    const requestId = incoming && requestIdShape.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    if (deps.lifecycle.draining) res.setHeader('Connection', 'close');
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      deps.metrics.observe(req.path, req.method, res.statusCode, ms / 1000);
      const level = res.statusCode < 400 && quiet.test(req.path) ? 'debug' : 'info';
      // Path only: query strings can carry codes and tokens, which never reach a log.
      deps.logger[level]({ reqId: requestId, method: req.method, path: req.path, status: res.statusCode, ms }, 'request');
    });
    next();
  };
}
