import express, { type Router } from 'express';
import type { Db } from '../db/knex.js';

/** Whether this instance is shutting down: the load balancer is told at once, before it stops. */
export interface Lifecycle {
  draining: boolean;
}

/**
 * Liveness (the process answers) and readiness (the database answers too, and the instance is not
 * draining). A load balancer checks `/readyz`: after SIGTERM it answers 503 while in-flight
 * requests finish, so new ones go to another instance.
 */
export function createHealthRoutes(deps: { db: Db; lifecycle: Lifecycle }): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (deps.lifecycle.draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    try {
      await deps.db.raw('select 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'database' });
    }
  });
  return router;
}
