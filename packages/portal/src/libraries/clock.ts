/** Time is injected so tests move it (30 minutes, 90 days) instead of sleeping. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests can move forward; starts at the real time so tokens stay plausible. */
export function createTestClock(start = Date.now()) {
  let offset = 0;
  return {
    now: () => start + offset + (Date.now() - start),
    advance(ms: number) {
      offset += ms;
    },
  };
}
