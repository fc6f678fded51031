import express, { type Router } from 'express';

/** My Profile (SPEC §3.9): built in issue #4. */
export function createProfileRoutes(): Router {
  return express.Router();
}
