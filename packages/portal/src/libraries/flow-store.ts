import type { FlowQueries, FlowRow } from '../queries/flows.js';
import type { Clock } from './clock.js';
import type { Csrf } from './csrf.js';
import { PortalError } from './errors.js';
import { randomToken } from './secrets.js';

export interface Flow<Data extends object = Record<string, unknown>> {
  id: string;
  kind: string;
  state: string;
  userId: string | null;
  usernameKey: string | null;
  interactionUid: string | null;
  data: Data;
  attempts: number;
  expiresAt: number;
}

function fromRow<Data extends object>(row: FlowRow): Flow<Data> {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    userId: row.user_id,
    usernameKey: row.username_key,
    interactionUid: row.interaction_uid,
    data: JSON.parse(row.data) as Data,
    attempts: Number(row.attempts),
    expiresAt: Number(row.expires_at),
  };
}

/**
 * User flows as stored records with named states (Kratos self-service flows). The browser holds
 * only the id; every submit is checked for expiry, CSRF (a token bound to the flow id) and state
 * (a step already done cannot be submitted again).
 */
export function createFlowStore(deps: { queries: FlowQueries; clock: Clock; csrf: Csrf }) {
  const { queries, clock, csrf } = deps;

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
        user_id: input.userId ?? null,
        username_key: input.usernameKey ?? null,
        interaction_uid: input.interactionUid ?? null,
        data: JSON.stringify(input.data),
        attempts: 0,
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

    /** Moves the flow on; refuses if another submission moved it first (replay, double click). */
    async advance<Data extends object>(flow: Flow<Data>, state: string, changes: { data?: Data; userId?: string | null; attempts?: number } = {}): Promise<Flow<Data>> {
      const data = changes.data ?? flow.data;
      const moved = await queries.transition(
        flow.id,
        flow.state,
        {
          state,
          data: JSON.stringify(data),
          ...(changes.userId !== undefined ? { user_id: changes.userId } : {}),
          ...(changes.attempts !== undefined ? { attempts: changes.attempts } : {}),
        },
        clock.now(),
      );
      if (!moved) throw new PortalError('flow.replayed', 409);
      return { ...flow, state, data, userId: changes.userId !== undefined ? changes.userId : flow.userId, attempts: changes.attempts ?? flow.attempts };
    },

    /** Counts one wrong answer; returns the count after it. */
    addAttempt: (flow: Flow<object>) => queries.addAttempt(flow.id, clock.now()),

    end: (flow: Flow<object>) => queries.remove(flow.id),

    deleteExpired: (now: number) => queries.deleteExpired(now),
  };
}

export type FlowStore = ReturnType<typeof createFlowStore>;
