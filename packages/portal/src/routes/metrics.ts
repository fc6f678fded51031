import express, { type Router } from 'express';
import { safeEqual } from '../libraries/secrets.js';
import type { Metrics } from '../libraries/metrics.js';

/**
 * `/metrics` for Prometheus. With METRICS_TOKEN set, a scraper sends it as a bearer token (from
 * anywhere); unset, only a scraper on this machine that did not come through a proxy is answered,
 * so counts of sign-ins and lockouts never reach the public through the load balancer.
 */
export function createMetricsRoutes(deps: { metrics: Metrics; token: string | undefined }): Router {
  const router = express.Router();
  router.get('/metrics', async (req, res, next) => {
    if (!allowed(req.get('authorization'), req.socket.remoteAddress, req.get('x-forwarded-for'), deps.token)) return next(); // our 404
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(await deps.metrics.registry.metrics());
  });
  return router;
}

function allowed(authorization: string | undefined, peer: string | undefined, forwardedFor: string | undefined, token: string | undefined): boolean {
  if (token) {
    const presented = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    return presented !== undefined && safeEqual(presented, token);
  }
  return forwardedFor === undefined && (peer === '127.0.0.1' || peer === '::1' || peer === '::ffff:127.0.0.1');
}
