import { compareTimings } from './timing.js';

// A fixed pseudo-random sequence, so these checks of the statistics cannot flake.
function noise(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

const sample = (n: number, base: number, seed: number) => {
  const r = noise(seed);
  return Array.from({ length: n }, () => base + r() * 2 + (r() < 0.05 ? 10 : 0)); // jitter and a few slow outliers
};

test('samples from the same distribution: no difference found, and the shift interval holds zero', () => {
  const c = compareTimings(sample(300, 5, 1), sample(300, 5, 2));
  expect(c.p).toBeGreaterThan(0.01);
  expect(c.shiftLow).toBeLessThan(0);
  expect(c.shiftHigh).toBeGreaterThan(0);
});

test('a 0.3 ms difference hidden in 2 ms of jitter is found, and its size estimated', () => {
  const c = compareTimings(sample(300, 5.3, 3), sample(300, 5, 4));
  expect(c.p).toBeLessThan(0.001);
  expect(c.shift).toBeGreaterThan(0.15);
  expect(c.shift).toBeLessThan(0.45);
  expect(c.shiftLow).toBeGreaterThan(0);
});
