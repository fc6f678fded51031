import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { OidcPayloadQueries } from '../queries/oidc-payloads.js';
import type { ClientQueries } from '../queries/clients.js';
import type { Clock } from '../libraries/clock.js';

/**
 * oidc-provider's storage, mapped onto our queries. Clients come from the `oidc_clients` table
 * (operators manage them with the CLI); everything else is one payload table, so a restart or a
 * second instance sees the same sessions, grants and tokens.
 */
export function createAdapterClass(deps: { payloads: OidcPayloadQueries; clients: ClientQueries; clock: Clock }) {
  const { payloads, clients, clock } = deps;

  return class KnexAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      if (this.model === 'Client') throw new Error('clients are managed with `pnpm portal client:create`');
      await payloads.upsert({
        model: this.model,
        id,
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        user_code: payload.userCode ?? null,
        uid: payload.uid ?? null,
        account_id: payload.accountId ?? null,
        expires_at: expiresIn ? clock.now() + expiresIn * 1000 : null,
      });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') {
        const row = await clients.find(id);
        return row ? (JSON.parse(row.metadata) as AdapterPayload) : undefined;
      }
      return this.live(await payloads.find(this.model, id));
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return this.live(await payloads.findBy(this.model, 'user_code', userCode));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.live(await payloads.findBy(this.model, 'uid', uid));
    }

    async consume(id: string): Promise<void> {
      await payloads.consume(this.model, id, Math.floor(clock.now() / 1000));
    }

    async destroy(id: string): Promise<void> {
      await payloads.destroy(this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await payloads.destroyByGrantId(grantId);
    }

    // Expired rows may linger until the sweeper runs; they must never be served.
    private live(stored: Awaited<ReturnType<OidcPayloadQueries['find']>>): AdapterPayload | undefined {
      if (!stored) return undefined;
      if (stored.expiresAt !== null && stored.expiresAt <= clock.now()) return undefined;
      return stored.consumedAt !== null ? { ...stored.payload, consumed: stored.consumedAt } : stored.payload;
    }
  };
}
