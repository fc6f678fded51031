import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../db/knex.js';
import type { AuditEvent } from './audit.js';

/**
 * What an operator graphs and alerts on, in Prometheus' text format at `/metrics` (issue #9).
 * One registry per portal: tests run many portals in one process, and their counts must not mix.
 * Labels are small fixed sets (an outcome, a grant type, an area of the site), never a user, a
 * client or a path with an id in it.
 */
export function createMetrics(deps: { db: Db; processMetrics?: boolean }) {
  const registry = new Registry();
  if (deps.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'portal_' });

  const signIns = new Counter({ name: 'portal_sign_ins_total', help: 'Password sign-in attempts by outcome', labelNames: ['outcome'] as const, registers: [registry] });
  const lockouts = new Counter({ name: 'portal_lockouts_total', help: 'Accounts locked by failed sign-ins', registers: [registry] });
  const resets = new Counter({ name: 'portal_password_resets_total', help: 'Passwords reset through Forgot Password or the help desk', registers: [registry] });
  const auditEvents = new Counter({ name: 'portal_audit_events_total', help: 'Audit rows written, by action', labelNames: ['action'] as const, registers: [registry] });
  const tokens = new Counter({ name: 'portal_tokens_issued_total', help: 'Successful token endpoint grants, by grant type', labelNames: ['grant'] as const, registers: [registry] });
  const latency = new Histogram({
    name: 'portal_http_request_duration_seconds',
    help: 'Request latency by area of the site',
    labelNames: ['area', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // Read when scraped: how busy the database pool is right now.
  const pool = () => (deps.db.client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number } }).pool;
  new Gauge({ name: 'portal_db_pool_used', help: 'Database connections in use', registers: [registry], collect() { this.set(pool()?.numUsed() ?? 0); } });
  new Gauge({ name: 'portal_db_pool_free', help: 'Idle database connections', registers: [registry], collect() { this.set(pool()?.numFree() ?? 0); } });
  new Gauge({ name: 'portal_db_pool_pending', help: 'Queries waiting for a database connection', registers: [registry], collect() { this.set(pool()?.numPendingAcquires() ?? 0); } });

  return {
    registry,
    /** Every audit row is also a count; sign-ins, lockouts and resets get their own names. */
    audited(event: AuditEvent): void {
      auditEvents.inc({ action: event.action });
      if (event.action === 'signin.success') signIns.inc({ outcome: 'success' });
      else if (event.action === 'signin.failure') signIns.inc({ outcome: 'failure' });
      else if (event.action === 'signin.locked') {
        signIns.inc({ outcome: 'locked' });
        // The attempt that locked the account (later ones against the lock say reason "locked").
        if (event.details?.reason !== 'locked') lockouts.inc();
      } else if (event.action === 'password.reset') resets.inc();
    },
    tokenIssued(grant: string): void {
      tokens.inc({ grant: knownGrants.has(grant) ? grant : 'other' });
    },
    observe(path: string, method: string, status: number, seconds: number): void {
      latency.observe({ area: areaOf(path), method: method === 'GET' || method === 'POST' ? method : 'other', status: `${Math.floor(status / 100)}xx` }, seconds);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const knownGrants = new Set(['authorization_code', 'refresh_token', 'client_credentials']);
const areas = new Set(['auth', 'token', 'me', 'jwks', 'session', 'interaction', 'forgot-password', 'account', 'profile', 'helpdesk', 'admin', 'api', 'static', 'healthz', 'readyz', 'metrics', '.well-known']);

/** The first path segment when it is one of ours, so a scanner's random paths add no series. */
export function areaOf(path: string): string {
  const first = path.split('/')[1] ?? '';
  if (first === '') return 'home';
  return areas.has(first) ? first : 'other';
}
