import express, { type Router } from 'express';
import type { Db } from '../db/knex.js';

/** Liveness (the process answers) and readiness (the database answers too). */
export function createHealthRoutes(deps: { db: Db }): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await deps.db.raw('select 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'database' });
    }
  });
  return router;
}
