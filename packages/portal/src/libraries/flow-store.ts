import type { FlowChanges, FlowQueries, FlowRow } from '../queries/flows.js';
import type { UnitOfWork } from '../db/knex.js';
import type { Clock } from './clock.js';
import type { Csrf } from './csrf.js';
import { PortalError } from './errors.js';
import { randomToken } from './secrets.js';

export interface Flow<Data extends object = Record<string, unknown>> {
  id: string;
  kind: string;
  state: string;
  /** Moves on with every step: a submission made against an older read cannot apply. */
  version: number;
  userId: string | null;
  usernameKey: string | null;
  interactionUid: string | null;
  data: Data;
  attempts: number;
  /** The emailed code this flow waits for (its HMAC) and when it stops working. */
  secretHash: string | null;
  secretExpiresAt: number | null;
  expiresAt: number;
}

function fromRow<Data extends object>(row: FlowRow): Flow<Data> {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    version: Number(row.version),
    userId: row.user_id,
    usernameKey: row.username_key,
    interactionUid: row.interaction_uid,
    data: JSON.parse(row.data) as Data,
    attempts: Number(row.attempts),
    secretHash: row.secret_hash,
    secretExpiresAt: row.secret_expires_at == null ? null : Number(row.secret_expires_at),
    expiresAt: Number(row.expires_at),
  };
}

/**
 * User flows as stored records with named states (Kratos self-service flows). The browser holds
 * only the id; every submit is checked for expiry, CSRF (a token bound to the flow id) and state
 * (a step already done cannot be submitted again).
 */
export function createFlowStore(deps: { queries: FlowQueries; clock: Clock; csrf: Csrf; unitOfWork: UnitOfWork }) {
  const { queries, clock, csrf, unitOfWork } = deps;

  async function load<Data extends object>(id: string, kind: string): Promise<Flow<Data>> {
    const row = await queries.find(id);
    if (!row || row.kind !== kind || Number(row.expires_at) <= clock.now()) throw new PortalError('flow.expired', 410);
    return fromRow<Data>(row);
  }

  return {
    async start<Data extends object>(input: {
      kind: string;
      state: string;
      ttlMs: number;
      userId?: string | null;
      usernameKey?: string | null;
      interactionUid?: string | null;
      data: Data;
    }): Promise<Flow<Data>> {
      const now = clock.now();
      const row: FlowRow = {
        id: randomToken(24),
        kind: input.kind,
        state: input.state,
        version: 0,
        user_id: input.userId ?? null,
        username_key: input.usernameKey ?? null,
        interaction_uid: input.interactionUid ?? null,
        data: JSON.stringify(input.data),
        attempts: 0,
        secret_hash: null,
        secret_expires_at: null,
        created_at: now,
        updated_at: now,
        expires_at: now + input.ttlMs,
      };
      await queries.insert(row);
      return fromRow<Data>(row);
    },

    load,

    async forInteraction<Data extends object>(kind: string, interactionUid: string): Promise<Flow<Data> | undefined> {
      const row = await queries.findByInteraction(kind, interactionUid);
      if (!row || Number(row.expires_at) <= clock.now()) return undefined;
      return fromRow<Data>(row);
    },

    /** Loads a flow for a form submission: live, in one of the expected states, CSRF token valid. */
    async forSubmit<Data extends object>(id: unknown, kind: string, states: string[], token: unknown): Promise<Flow<Data>> {
      if (typeof id !== 'string' || !id || id.length > 64) throw new PortalError('flow.expired', 410);
      const flow = await load<Data>(id, kind);
      if (!csrf.verify(`flow:${flow.id}`, token)) throw new PortalError('request.csrf', 403);
      if (!states.includes(flow.state)) throw new PortalError('flow.replayed', 409);
      return flow;
    },

    csrfToken(flow: Flow<object>): string {
      return csrf.token(`flow:${flow.id}`);
    },

    /**
     * Moves the flow on and applies the step's effect, in one transaction: a compare-and-set on the
     * state and version the flow was read in, then `effect` (a password written, an answer saved,
     * its audit row). Of racing submissions exactly one moves the flow; the others get
     * `flow.replayed` (409) and change nothing. If the effect fails, the flow does not move either.
     * Slow work (hashing, policy checks) belongs before the call, so the transaction stays short.
     */
    async advance<Data extends object, T = void>(
      flow: Flow<Data>,
      state: string,
      changes: { data?: Data; userId?: string | null; usernameKey?: string | null; clearSecret?: boolean } = {},
      effect?: () => Promise<T>,
    ): Promise<Flow<Data>> {
      const data = changes.data ?? flow.data;
      const row: FlowChanges = {
        state,
        data: JSON.stringify(data),
        ...(changes.userId !== undefined ? { user_id: changes.userId } : {}),
        ...(changes.usernameKey !== undefined ? { username_key: changes.usernameKey } : {}),
        // A code is used once: the step that accepts it removes it in the same statement.
        ...(changes.clearSecret ? { secret_hash: null, secret_expires_at: null } : {}),
      };
      await unitOfWork(async () => {
        if (!(await queries.transition(flow.id, flow, row, clock.now()))) throw new PortalError('flow.replayed', 409);
        await effect?.();
      });
      return {
        ...flow,
        state,
        data,
        version: flow.version + 1,
        userId: changes.userId !== undefined ? changes.userId : flow.userId,
        usernameKey: changes.usernameKey !== undefined ? changes.usernameKey : flow.usernameKey,
        ...(changes.clearSecret ? { secretHash: null, secretExpiresAt: null } : {}),
      };
    },

    /**
     * Reserves a try at the flow's secret before comparing it (issue #7): undefined when the limit
     * is reached, and then the caller must refuse without comparing. Counted and committed at once,
     * whatever happens next, so a burst cannot compare more than `limit` times.
     */
    reserveTry: (flow: Flow<object>, limit: number) => queries.reserveTry(flow.id, flow.state, limit, clock.now()),

    /** Stores the HMAC of a new code on the flow; codes issued earlier in other flows stop working. */
    async setSecret<Data extends object>(flow: Flow<Data>, usernameKey: string, secretHash: string, expiresAt: number): Promise<Flow<Data>> {
      const now = clock.now();
      await unitOfWork(async () => {
        await queries.clearOtherSecrets(flow.kind, usernameKey, flow.id, now);
        await queries.setSecret(flow.id, secretHash, expiresAt, now);
      });
      return { ...flow, secretHash, secretExpiresAt: expiresAt };
    },

    /** The code stops working (its tries are used up); the flow stays, so later tries say why. */
    clearSecret: (flow: Flow<object>) => queries.setSecret(flow.id, null, null, clock.now()),

    end: (flow: Flow<object>) => queries.remove(flow.id),

    deleteExpired: (now: number) => queries.deleteExpired(now),
  };
}

export type FlowStore = ReturnType<typeof createFlowStore>;
