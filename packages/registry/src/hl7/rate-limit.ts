import type { Clock } from '@portal/rp-kit';

/**
 * Messages per client and minute, in this process (a fixed one-minute window per client_id): enough
 * to stop one sender's runaway loop from starving the others. Instances behind a load balancer
 * each count their own share (docs/hl7.md).
 */
export function createRateLimit(options: { perMinute: number; clock: Clock; maxClients?: number }) {
  const windows = new Map<string, { start: number; count: number }>();
  const maxClients = options.maxClients ?? 10_000;
  return {
    /** Counts one message; returns the seconds to wait when over the limit, else 0. */
    take(clientId: string): number {
      const now = options.clock.now();
      let w = windows.get(clientId);
      if (!w || now - w.start >= 60_000) {
        if (!w && windows.size >= maxClients) for (const [k, old] of windows) if (now - old.start >= 60_000) windows.delete(k);
        w = { start: now, count: 0 };
        windows.set(clientId, w);
      }
      w.count += 1;
      return w.count > options.perMinute ? Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000)) : 0;
    },
  };
}
